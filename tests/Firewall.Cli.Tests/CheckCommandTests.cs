using System.Text.Json;
using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _capture;
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public CheckCommandTests()
    {
        _capture = WebTierTraffic.Build().WriteTo(_dir.File("web-tier-small.pcap"));
    }

    public void Dispose() => _dir.Dispose();

    private CliResult Check(params string[] extra) =>
        InProcessCli.Run(["check", _capture, "--ruleset", _ruleset, .. extra]);

    private void Golden(string name, string text) => Support.Golden.Check(name, text, (_dir.Path, "$TMP"));

    [Fact]
    public void Text_summary_matches_golden()
    {
        var r = Check();
        Assert.Equal("", r.Error);
        Assert.Equal(0, r.ExitCode);
        Golden("check-small.txt", r.Out);
    }

    [Fact]
    public void Text_with_packets_and_flows_matches_golden()
    {
        var r = Check("--packets", "--flows");
        Assert.Equal(0, r.ExitCode);
        Golden("check-small-packets-flows.txt", r.Out);
    }

    [Fact]
    public void Json_document_matches_golden_and_parses()
    {
        var r = Check("--format", "json", "--packets", "--flows");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(27, doc.RootElement.GetProperty("packets").GetArrayLength());
        Golden("check-small.json", r.Out);
    }

    [Fact]
    public void Jsonl_summary_records_match_golden()
    {
        var r = Check("--format", "jsonl");
        Assert.Equal(0, r.ExitCode);
        foreach (var line in r.Out.TrimEnd('\n').Split('\n'))
        {
            using var doc = JsonDocument.Parse(line);
            Assert.True(doc.RootElement.TryGetProperty("type", out _), line);
        }
        Golden("check-small-summary.jsonl", r.Out);
    }

    [Fact]
    public void Jsonl_packets_and_flows_match_golden()
    {
        var r = Check("--format", "jsonl", "--packets", "--flows");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(27, lines.Count(l => l.StartsWith("{\"type\":\"packet\"", StringComparison.Ordinal)));
        Golden("check-small-records.jsonl", r.Out);
    }

    [Fact]
    public void Csv_packets_and_flows_match_golden()
    {
        var packets = Check("--format", "csv", "--packets");
        Assert.Equal(0, packets.ExitCode);
        Golden("check-small-packets.csv", packets.Out);
        var flows = Check("--format", "csv", "--flows");
        Assert.Equal(0, flows.ExitCode);
        Golden("check-small-flows.csv", flows.Out);
    }

    [Fact]
    public void Csv_needs_exactly_one_table()
    {
        var r = Check("--format", "csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains("--packets or --flows", r.Error);
    }

    [Fact]
    public void Fail_on_deny_and_reply_denied_exit_1()
    {
        var deny = Check("--fail-on", "deny");
        Assert.Equal(1, deny.ExitCode);
        Assert.Contains("--fail-on deny: 6 packets denied", deny.Error);
        var replies = Check("--fail-on", "reply-denied", "--format", "json");
        Assert.Equal(1, replies.ExitCode);
        Assert.Contains("3 flows had their replies dropped", replies.Error);
    }

    [Fact]
    public void Fail_on_passes_when_nothing_matches()
    {
        var capture = new PcapBuilder().Echo(0, "198.51.100.7", "10.0.1.10", true, 1).Echo(0.001, "10.0.1.10", "198.51.100.7", false, 1)
            .WriteTo(_dir.File("ping.pcap"));
        var r = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "--fail-on", "deny");
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Standard_input_is_read_as_a_stream()
    {
        var bytes = File.ReadAllBytes(_capture);
        var fromFile = Check("--format", "csv", "--flows");
        var fromStdin = InProcessCli.RunWithInput(bytes, "check", "-", "--ruleset", _ruleset, "--format", "csv", "--flows");
        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(fromFile.Out, fromStdin.Out);
    }

    [Fact]
    public void Output_option_writes_the_file_and_nothing_to_stdout()
    {
        var path = _dir.File("report.json");
        var r = Check("--format", "json", "-o", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(27, doc.RootElement.GetProperty("summary").GetProperty("totals").GetProperty("packets").GetInt64());
    }

    [Fact]
    public void Midstream_strict_denies_a_connection_picked_up_mid_stream()
    {
        var capture = new PcapBuilder()
            .Tcp(0, "198.51.100.7", 40001, "10.0.1.10", 443, WebTierTraffic.PshAck, 10)
            .WriteTo(_dir.File("midstream.pcap"));
        var pickup = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "--format", "csv", "--packets");
        var strict = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "--format", "csv", "--packets", "--midstream", "strict");
        Assert.Contains(",allow,sg:web-sg:inbound:2,", pickup.Out);
        Assert.Contains(",deny,conntrack:web-1:midstream,midstream-strict,", strict.Out);
    }
}
