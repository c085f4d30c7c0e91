using Firewall.Flows.Pcap;
using Firewall.Tests.Support;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary>Must-show 1: tshark reads every synth output with no malformed packet and no bad checksum.</summary>
public class SynthCaptureTests
{
    /// <summary>Every exchange of every protocol, both families, an ICMP error of each family, payload kinds of each well-known port.</summary>
    public const string EveryExchange = """
        ruleset: web-tier.yaml
        start: 2026-01-01T10:00:00Z
        flows:
          - tcp 198.51.100.7:51514 -> web-1:443
          - tcp 198.51.100.7:* -> web-1:80
          - { flow: "tcp 203.0.113.9:* -> web-1:22", exchange: full }
          - { flow: "tcp 198.51.100.7:* -> web-1:8080", exchange: handshake }
          - { flow: "tcp 198.51.100.7:* -> web-1:25", exchange: syn-only }
          - { flow: "tcp 198.51.100.7:* -> web-1:3389", exchange: reset }
          - { flow: "tcp web-1:* -> 192.0.2.53:53", count: 2 }
          - { flow: "udp web-1:* -> 192.0.2.53:53", exchange: request-reply, count: 3, reply_after: 40s }
          - { flow: "udp web-1:* -> 192.0.2.123:123" }
          - { flow: "udp web-1:* -> 192.0.2.9:5000", exchange: request-only }
          - { flow: "icmp 198.51.100.7 -> web-1", exchange: echo, count: 2, gap: 1s }
          - { flow: "icmp 10.0.1.1 -> 198.51.100.7", icmp_type: 3, icmp_code: 4, quoting: "tcp 198.51.100.7:50000 -> 10.0.1.10:443" }
          - { flow: "icmp 10.0.1.1 -> 198.51.100.7", icmp_type: 11, icmp_code: 0, quoting: "udp 198.51.100.7:* -> 10.0.1.10:53" }
          - tcp [2001:db8:ffff::7]:50000 -> [2001:db8:1::10]:443
          - udp [2001:db8:1::10]:* -> [2001:db8:ffff::53]:53
          - icmpv6 2001:db8:ffff::7 -> web-1
          - { flow: "icmpv6 2001:db8:1::1 -> 2001:db8:ffff::7", icmp_type: 2, quoting: "tcp [2001:db8:ffff::7]:50000 -> [2001:db8:1::10]:443" }
          - { flow: "icmpv6 2001:db8:1::1 -> 2001:db8:ffff::7", icmp_type: 1, icmp_code: 4, quoting: "udp [2001:db8:ffff::7]:* -> [2001:db8:1::10]:9999" }
          - { flow: "253 198.51.100.7 -> web-1", exchange: request-reply }
        """;

    [SkippableFact]
    public void TsharkReadsEveryExchangeCleanly()
    {
        using var dir = new TempDir();
        var file = TestFiles.LoadFlows(EveryExchange);
        var path = dir.File("every.pcap");
        var frames = SynthCapture.Write(file, path);
        Assert.Equal(frames, Tshark.CountFrames(path));
        AssertClean(path);
    }

    internal static void AssertClean(string path)
    {
        var problems = Tshark.Problems(path);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
