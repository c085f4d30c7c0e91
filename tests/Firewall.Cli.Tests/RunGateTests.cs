using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// CI gates that cannot go green by accident: a capture none of whose frames could be decoded checked
/// nothing (exit 2, naming the link type), <c>--fail-on undecodable</c> exits 1 on any undecodable frame,
/// and <c>replies</c> and <c>explain</c> take <c>--fail-on</c> as <c>check</c> does.
/// </summary>
public sealed class RunGateTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public void Dispose() => _dir.Dispose();

    /// <summary>Three frames of LINKTYPE_VSOCK (271), which the decoder does not read.</summary>
    private string VsockCapture()
    {
        var pcap = new PcapBuilder { LinkType = 271 };
        for (var i = 0; i < 3; i++)
        {
            pcap.Raw(i, new byte[44]);
        }
        return pcap.WriteTo(_dir.File("vsock.pcap"));
    }

    public static TheoryData<string, string> CaptureCommands => new()
    {
        { "check", "text" }, { "check", "json" }, { "check", "jsonl" }, { "replies", "text" }, { "replies", "json" },
    };

    [Theory, MemberData(nameof(CaptureCommands))]
    public void A_capture_of_an_unsupported_link_type_checked_nothing_and_exits_2(string command, string format)
    {
        var r = InProcessCli.Run(command, VsockCapture(), "--ruleset", _ruleset, "--format", format, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("firewall: nothing was checked: none of the 3 frames of", r.Error);
        Assert.Contains("3 are of link type 271 (LINKTYPE_VSOCK), which firewall does not decode; it decodes NULL (0), ETHERNET (1), RAW (12, 14, 101)", r.Error);
        Assert.DoesNotContain("Exception", r.Error);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void The_gate_is_the_same_on_every_thread_count(string threads)
    {
        var r = InProcessCli.Run("check", VsockCapture(), "--ruleset", _ruleset, "--threads", threads, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("271 (LINKTYPE_VSOCK)", r.Error);
    }

    [Fact]
    public void Report_and_diff_of_such_a_capture_exit_2_too()
    {
        var capture = VsockCapture();
        var r = InProcessCli.Run("report", capture, "--ruleset", _ruleset, "-o", _dir.File("r.html"), "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nothing was checked", r.Error);
        r = InProcessCli.Run("diff", capture, "--ruleset", _ruleset, "--against", _ruleset, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nothing was checked", r.Error);
    }

    [Fact]
    public void Frames_that_are_all_damaged_name_their_reasons()
    {
        var pcap = new PcapBuilder().BrokenIpv4(0).BrokenIpv4(1);
        var r = InProcessCli.Run("check", pcap.WriteTo(_dir.File("broken.pcap")), "--ruleset", _ruleset, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("none of the 2 frames of", r.Error);
        Assert.Contains("could be decoded: 2 bad-ip-header-length", r.Error);
    }

    [Fact]
    public void One_decodable_frame_is_a_run_that_checked_something()
    {
        var pcap = new PcapBuilder().BrokenIpv4(0).Udp(1, "198.51.100.7", 5000, "10.0.1.10", 53);
        var capture = pcap.WriteTo(_dir.File("mixed.pcap"));
        var r = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "-q");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);

        r = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "-q", "--fail-on", "undecodable");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("firewall: --fail-on undecodable: 1 of 2 frames could not be decoded\n", r.Error);
    }

    [Fact]
    public void Fail_on_takes_several_conditions_and_names_each_that_holds()
    {
        var sample = Repository.PathOf("samples/web-tier.pcapng");
        var r = InProcessCli.Run("check", sample, "--ruleset", _ruleset, "-q", "--fail-on", "undecodable", "--fail-on", "reply-denied");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("firewall: --fail-on reply-denied: 4 flows had their replies dropped\n", r.Error);

        r = InProcessCli.Run("check", sample, "--ruleset", _ruleset, "-q", "--fail-on", "undecodable");
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Replies_takes_fail_on()
    {
        var sample = Repository.PathOf("samples/web-tier.pcapng");
        var r = InProcessCli.Run("replies", sample, "--ruleset", _ruleset, "-q", "--fail-on", "reply-denied");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("4 flows of 12 had their requests allowed and their replies dropped", r.Out);
        Assert.Equal("firewall: --fail-on reply-denied: 4 flows had their replies dropped\n", r.Error);

        r = InProcessCli.Run("replies", sample, "--ruleset", _ruleset, "-q", "--fail-on", "bogus");
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData("udp web-1:* -> 192.0.2.53:53", "reply-denied", 1, "firewall: --fail-on reply-denied: the reply is denied by nacl:public-nacl:inbound:*")]
    [InlineData("udp web-1:* -> 192.0.2.53:53", "deny", 1, "firewall: --fail-on deny: the reply is denied by nacl:public-nacl:inbound:*")]
    [InlineData("tcp 198.51.100.7:40000 -> web-1:22", "deny", 1, "firewall: --fail-on deny: the request is denied by sg:web-1:inbound:none")]
    [InlineData("tcp 198.51.100.7:40000 -> web-1:22", "reply-denied", 0, "")]
    [InlineData("tcp 198.51.100.7:51514 -> web-1:443", "deny", 0, "")]
    public void Explain_takes_fail_on(string flow, string condition, int exit, string message)
    {
        var r = InProcessCli.Run("explain", "--ruleset", _ruleset, flow, "--fail-on", condition);
        Assert.Equal(exit, r.ExitCode);
        Assert.Equal(message, r.Error.TrimEnd('\n'));
        Assert.Contains("request", r.Out);
    }

    [Fact]
    public void Explain_refuses_undecodable_it_reads_no_capture()
    {
        var r = InProcessCli.Run("explain", "--ruleset", _ruleset, "tcp 198.51.100.7:51514 -> web-1:443", "--fail-on", "undecodable");
        Assert.Equal(2, r.ExitCode);
    }
}
