using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Flows.Definitions;
using Firewall.Flows.Loading;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Flows.Tests;

/// <summary>The shipped rulesets and loading shared by the tests.</summary>
internal static class TestFiles
{
    public static string Rulesets => Repository.PathOf("rulesets");

    public static string WebTier => Path.Combine(Rulesets, "web-tier.yaml");

    public static Ruleset LoadRuleset(string path)
    {
        var result = RulesetLoader.LoadFile(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Ruleset!;
    }

    public static CompiledRuleset Compile(string path) => RulesetCompiler.Compile(LoadRuleset(path));

    public static FlowsFile LoadFlows(string yaml, Ruleset? ruleset = null)
    {
        var result = FlowsLoader.LoadText(yaml, Path.Combine(Rulesets, "inline-flows.yaml"), ruleset);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.File!;
    }
}
