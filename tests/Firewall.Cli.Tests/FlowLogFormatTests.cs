using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary><c>check --format flowlog</c> end to end on the shipped sample capture.</summary>
public class FlowLogFormatTests
{
    private static readonly string Capture = Repository.PathOf("samples/web-tier.pcapng");
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    [Fact]
    public void EveryRecordHasTheFourteenDefaultFieldsAndTheRuleWhenAsked()
    {
        var r = InProcessCli.Run("check", Capture, "-r", Ruleset, "--format", "flowlog", "--flowlog-rule", "--flowlog-account", "123456789012");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.NotEmpty(lines);
        foreach (var fields in lines.Select(l => l.Split(' ')))
        {
            Assert.Equal(15, fields.Length);
            Assert.Equal(("2", "123456789012", "web-1", "OK"), (fields[0], fields[1], fields[2], fields[13]));
            Assert.Contains(fields[12], new[] { "ACCEPT", "REJECT" });
            Assert.True(long.Parse(fields[10]) <= long.Parse(fields[11]));
        }
        // The NACL-dropped replies of the sample show as REJECT at web-1 with the NACL's * rule.
        Assert.Contains(lines, l => l.EndsWith(" REJECT OK nacl:public-nacl:outbound:*", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--flowlog-interval", "30")]
    [InlineData("--flowlog-interval", "601")]
    [InlineData("--packets")]
    [InlineData("--flowlog-account", "two words")]
    public void BadFlowLogOptionsExitTwo(params string[] extra)
    {
        var r = InProcessCli.Run(["check", Capture, "-r", Ruleset, "--format", "flowlog", .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
    }
}
