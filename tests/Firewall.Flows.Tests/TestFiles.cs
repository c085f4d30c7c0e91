using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Flows.Definitions;
using Firewall.Flows.Loading;
using Firewall.Rulesets;

namespace Firewall.Flows.Tests;

/// <summary>The repository's files, temporary files, and loading helpers shared by the tests.</summary>
internal static class TestFiles
{
    public static string Root { get; } = FindRoot();

    public static string Rulesets => Path.Combine(Root, "rulesets");

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

    /// <summary>A fresh directory under the system temp folder, removed when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fw-flows-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Firewall.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Firewall.sln above {AppContext.BaseDirectory}");
    }
}
