using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// The README's main command, and `replies`, on the shipped sample (samples/web-tier.pcapng with
/// rulesets/web-tier.yaml), run in-process with repository-relative paths exactly as the README writes
/// them. When the sample is re-recorded, regenerate with FIREWALL_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class SampleGoldenTests
{
    private const string Sample = "samples/web-tier.pcapng";
    private const string Ruleset = "rulesets/web-tier.yaml";

    private static CliResult RunInRepo(params string[] args)
    {
        Skip.IfNot(File.Exists(Repository.PathOf(Sample)), $"{Sample} is not in the repository");
        // Paths as the README gives them: relative to the repository root.
        var args2 = args.Select(a => a is Sample or Ruleset ? Repository.PathOf(a) : a).ToArray();
        var r = InProcessCli.Run(args2);
        return r with
        {
            Out = r.Out.Replace(Repository.PathOf(Sample), Sample).Replace(Repository.PathOf(Ruleset), Ruleset),
        };
    }

    [SkippableFact]
    public void Check_text()
    {
        var r = RunInRepo("check", Sample, "--ruleset", Ruleset);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Golden.Check("sample-check.txt", r.Out);
    }

    [SkippableFact]
    public void Check_summary()
    {
        var r = RunInRepo("check", Sample, "--ruleset", Ruleset, "--summary");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Golden.Check("sample-check-summary.txt", r.Out);
    }

    [SkippableFact]
    public void Check_json_with_flows()
    {
        var r = RunInRepo("check", Sample, "--ruleset", Ruleset, "--format", "json", "--flows");
        Assert.Equal(0, r.ExitCode);
        Golden.Check("sample-check-flows.json", r.Out);
    }

    [SkippableFact]
    public void Replies_text()
    {
        var r = RunInRepo("replies", Sample, "--ruleset", Ruleset);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("nacl:public-nacl:outbound:*", r.Out);
        Golden.Check("sample-replies.txt", r.Out);
    }

    [SkippableFact]
    public void Replies_json()
    {
        var r = RunInRepo("replies", Sample, "--ruleset", Ruleset, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        Golden.Check("sample-replies.json", r.Out);
    }
}
