using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary><c>check --flows FLOWS.yaml</c> (SPEC §6): synthetic flows evaluated without writing a capture.</summary>
public sealed class CheckFlowsInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _flows = Repository.PathOf("samples/web-tier.flows.yaml");
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Same_per_packet_and_per_flow_records_as_synth_then_check()
    {
        var capture = _dir.File("synth.pcap");
        Assert.Equal(0, InProcessCli.Run("synth", _flows, "-r", _ruleset, "-o", capture).ExitCode);
        foreach (var records in new[] { "--packets", "--flow-records" })
        {
            var direct = InProcessCli.Run("check", "--flows", _flows, "--ruleset", _ruleset, records, "--format", "jsonl");
            var viaCapture = InProcessCli.Run("check", capture, "--ruleset", _ruleset, records == "--flow-records" ? "--flows" : records, "--format", "jsonl");
            Assert.Equal(0, direct.ExitCode);
            // The old spelling keeps standard output and says, on standard error only, how it is spelled now.
            Assert.Equal($"firewall: note: --flows {_flows} is now spelled --flows-file {_flows}; --flows will keep working\n", direct.Error);
            Assert.Equal(0, viaCapture.ExitCode);
            Assert.NotEmpty(direct.Out);
            Assert.Equal(viaCapture.Out, direct.Out);
        }
    }

    [Fact]
    public void A_denied_request_is_reported_once_and_never_answered()
    {
        var flows = _dir.File("denied.yaml");
        File.WriteAllText(flows, $"ruleset: {_ruleset}\nflows:\n  - {{ flow: \"tcp 198.51.100.7:* -> web-1:5432\", exchange: full, count: 3 }}\n");
        var r = InProcessCli.Run("check", "--flows-file", flows, "--ruleset", _ruleset, "--flows", "--format", "jsonl");
        Assert.Equal(0, r.ExitCode);
        var records = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Each repetition's SYN is denied and nothing answers it: no reply, allowed or denied, in any flow.
        Assert.NotEmpty(records);
        Assert.All(records, line => Assert.Contains("\"reply\":{\"allowed\":0,\"denied\":0}", line));
        Assert.All(records, line => Assert.Contains("\"outcome\":\"request-denied\"", line));
        // Written without a ruleset, the capture has every exchange whole: the SYN/ACKs a server would send.
        var capture = _dir.File("open.pcap");
        Assert.Equal(0, InProcessCli.Run("synth", flows, "-o", capture, "-q").ExitCode);
        var open = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "--flows", "--format", "jsonl");
        Assert.DoesNotContain("\"reply\":{\"allowed\":0,\"denied\":0}", open.Out);
    }

    [Fact]
    public void Sample_flows_show_the_nacl_dropping_replies()
    {
        var r = InProcessCli.Run("check", "--flows", _flows, "--ruleset", _ruleset, "--fail-on", "reply-denied");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("nacl:public-nacl:outbound:*", r.Out);
        Assert.Contains("reply-denied", r.Error);
    }

    [Fact]
    public void Bare_flows_before_the_capture_still_means_per_flow_records()
    {
        var capture = _dir.File("synth.pcap");
        InProcessCli.Run("synth", _flows, "-o", capture);
        var r = InProcessCli.Run("check", "--flows", capture, "--ruleset", _ruleset, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("flow,", r.Out);
    }

    [Fact]
    public void A_capture_and_a_flows_file_together_are_refused()
    {
        var r = InProcessCli.Run("check", Repository.PathOf("samples/web-tier.pcapng"), "--flows", _flows, "--ruleset", _ruleset);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("either a CAPTURE or --flows", r.Error);
    }

    [Fact]
    public void Neither_is_refused()
    {
        var r = InProcessCli.Run("check", "--ruleset", _ruleset);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs a CAPTURE", r.Error);
    }

    [Fact]
    public void Flows_file_errors_are_positioned()
    {
        var bad = _dir.File("bad.yaml");
        File.WriteAllText(bad, "flows:\n  - tcp 198.51.100.7:51514 -> nowhere-1:443\n");
        var r = InProcessCli.Run("check", "--flows", bad, "--ruleset", _ruleset);
        Assert.Equal(2, r.ExitCode);
        Assert.Matches(@"bad\.yaml:2:\d+: ", r.Error);
    }
}
