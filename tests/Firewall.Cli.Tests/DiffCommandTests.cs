using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary><c>firewall diff</c> end to end on <see cref="NaclEdit"/>: a capture (written by <c>synth</c>) and <c>--flows</c> give the same answer.</summary>
public class DiffCommandTests
{
    // NaclEdit's three connections, as flows.
    private const string Flows = """
        flows:
          - tcp 203.0.113.5:40001 -> web:22
          - tcp 198.51.100.7:40002 -> web:80
          - tcp 198.51.100.7:40003 -> web:443
        """;

    private static (string Old, string New, string Flows) Files(TempDir dir)
    {
        File.WriteAllText(dir.File("old.yaml"), NaclEdit.Old);
        File.WriteAllText(dir.File("new.yaml"), NaclEdit.New);
        File.WriteAllText(dir.File("flows.yaml"), Flows);
        return (dir.File("old.yaml"), dir.File("new.yaml"), dir.File("flows.yaml"));
    }

    [Fact]
    public void FlowsAndTheirCaptureGiveTheSameChanges()
    {
        using var dir = new TempDir();
        var (old, @new, flows) = Files(dir);
        var pcap = dir.File("t.pcap");
        Assert.Equal(0, InProcessCli.Run("synth", flows, "-r", old, "-o", pcap, "-q").ExitCode);

        var fromFlows = InProcessCli.Run("diff", "--flows", flows, "-r", old, "--against", @new, "--format", "json");
        var fromCapture = InProcessCli.Run("diff", pcap, "-r", old, "--against", @new, "--format", "json");
        Assert.Equal(0, fromFlows.ExitCode);
        Assert.Equal(0, fromCapture.ExitCode);
        // The capture was sent through the old ruleset: the http request it denied went unanswered there, so
        // under the new ruleset the capture has no reply to show, while the flows file (sent as each ruleset
        // lets it) does. Which flows changed, how, and the old side's decisions are the same either way.
        string Changes(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return string.Join("\n", doc.RootElement.GetProperty("changes").EnumerateArray().Select(c =>
                $"{c.GetProperty("change")} {c.GetProperty("flow")} {c.GetProperty("old").GetRawText()} -> {c.GetProperty("new").GetProperty("outcome")}"));
        }
        Assert.Equal(Changes(fromFlows.Out), Changes(fromCapture.Out));
        using var parsed = JsonDocument.Parse(fromCapture.Out);
        Assert.Equal(["newly-blocked", "newly-allowed"], parsed.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("change").GetString()));
    }

    [Fact]
    public void FailOnNewlyBlockedExitsOne()
    {
        using var dir = new TempDir();
        var (old, @new, flows) = Files(dir);
        var r = InProcessCli.Run("diff", "--flows", flows, "-r", old, "--against", @new, "--fail-on", "newly-blocked");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("newly-blocked (1)\n  tcp 203.0.113.5:40001 -> 10.0.1.10:22", r.Out);
        Assert.Contains("--fail-on newly-blocked: 3 flows compared: 1 newly allowed, 1 newly blocked, 0 otherwise changed", r.Error);
        // The reverse comparison swaps the two lists.
        var back = InProcessCli.Run("diff", "--flows", flows, "-r", @new, "--against", old);
        Assert.Contains("newly-allowed (1)\n  tcp 203.0.113.5:40001 -> 10.0.1.10:22", back.Out);
    }

    [Theory]
    [InlineData("diff", "-r", "x.yaml", "--against", "y.yaml")]
    [InlineData("diff", "-", "-r", "x.yaml", "--against", "y.yaml")]
    [InlineData("diff", "a.pcap", "--flows", "f.yaml", "-r", "x.yaml", "--against", "y.yaml")]
    public void BadUsageExitsTwo(params string[] args) => Assert.Equal(2, InProcessCli.Run(args).ExitCode);
}
