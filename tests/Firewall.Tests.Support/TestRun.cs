using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Rulesets;

namespace Firewall.Tests.Support;

/// <summary>Evaluates hand-made packets against a YAML ruleset and returns the finished run, with no file or capture involved.</summary>
public sealed class TestRun
{
    public const long T0 = 1_767_261_600_000_000_000; // 2026-01-01T10:00:00Z

    private readonly List<PacketInfo> _packets = [];

    public TestRun(string yaml)
    {
        var loaded = RulesetLoader.LoadText(yaml, "test.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        Rules = RulesetCompiler.Compile(loaded.Ruleset!);
    }

    public CompiledRuleset Rules { get; }

    public TestRun Tcp(double t, string src, ushort sport, string dst, ushort dport, byte flags) =>
        Add(t, src, dst, IpProtocol.Tcp, p =>
        {
            p.Flags |= PacketFlags.Ports | PacketFlags.Tcp;
            p.SrcPort = sport;
            p.DstPort = dport;
            p.TcpFlags = flags;
        });

    public TestRun Udp(double t, string src, ushort sport, string dst, ushort dport) =>
        Add(t, src, dst, IpProtocol.Udp, p =>
        {
            p.Flags |= PacketFlags.Ports;
            p.SrcPort = sport;
            p.DstPort = dport;
        });

    public TestRun Echo(double t, string src, string dst, bool request, ushort id)
    {
        var v6 = src.Contains(':');
        return Add(t, src, dst, v6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp, p =>
        {
            p.Flags |= PacketFlags.Icmp | PacketFlags.IcmpEcho;
            p.IcmpType = v6 ? (byte)(request ? 128 : 129) : (byte)(request ? 8 : 0);
            p.IcmpId = id;
        });
    }

    public TestRun Undecodable(double t, DecodeError error)
    {
        _packets.Add(new PacketInfo { Frame = _packets.Count + 1, TimestampNs = T0 + (long)(t * 1e9), Error = error, OriginalLength = 20 });
        return this;
    }

    /// <summary>A well-formed frame without an IP packet (ARP, LLDP, ...), as the decoder describes it.</summary>
    public TestRun NotIp(double t, NotIpKind kind, uint type)
    {
        _packets.Add(new PacketInfo { Frame = _packets.Count + 1, TimestampNs = T0 + (long)(t * 1e9), NotIp = kind, NotIpType = type, OriginalLength = 60 });
        return this;
    }

    /// <summary>A TCP handshake and one exchange of data; replies only when <paramref name="replies"/>.</summary>
    public TestRun Connection(double t, string client, ushort cport, string server, ushort sport)
    {
        Tcp(t, client, cport, server, sport, TcpFlag.Syn);
        Tcp(t + 0.001, server, sport, client, cport, TcpFlag.Syn | TcpFlag.Ack);
        Tcp(t + 0.002, client, cport, server, sport, TcpFlag.Ack);
        return Tcp(t + 0.003, server, sport, client, cport, TcpFlag.Psh | TcpFlag.Ack);
    }

    private TestRun Add(double t, string src, string dst, byte protocol, Action<PacketInfoBox> fill)
    {
        var s = IpAddr.Parse(src);
        var box = new PacketInfoBox
        {
            Value = new PacketInfo
            {
                Frame = _packets.Count + 1,
                TimestampNs = T0 + (long)Math.Round(t * 1e9),
                IpVersion = s.IsV6 ? (byte)6 : (byte)4,
                Src = s,
                Dst = IpAddr.Parse(dst),
                Protocol = protocol,
                OriginalLength = 60,
                IpLength = 46,
            },
        };
        fill(box);
        _packets.Add(box.Value);
        return this;
    }

    /// <summary>Evaluates every packet, passing each to <paramref name="writer"/> when given.</summary>
    public RunReport Evaluate(IRunSink? writer = null, EvaluationOptions? options = null)
    {
        var evaluator = new Evaluator(Rules, options);
        var result = new PacketResult();
        foreach (var p in _packets)
        {
            evaluator.Evaluate(in p, ref result);
            writer?.WritePacket(in p, in result);
        }
        // What a capture reader would have counted of the frames it could not decode.
        var decodeErrors = new long[Enum.GetValues<DecodeError>().Length];
        foreach (var p in _packets.Where(p => !p.Decoded))
        {
            decodeErrors[(int)p.Error]++;
        }
        return new RunReport(evaluator, new RunInput { CaptureName = "test.pcap", CaptureFormat = "pcap", RulesetPath = "test.yaml", DecodeErrors = decodeErrors });
    }

    /// <summary>PacketInfo is a struct: the builder lambdas fill it through this box.</summary>
    internal sealed class PacketInfoBox
    {
        public PacketInfo Value;

        public PacketFlags Flags { get => Value.Flags; set => Value.Flags = value; }
        public ushort SrcPort { get => Value.SrcPort; set => Value.SrcPort = value; }
        public ushort DstPort { get => Value.DstPort; set => Value.DstPort = value; }
        public byte TcpFlags { get => Value.TcpFlags; set => Value.TcpFlags = value; }
        public byte IcmpType { get => Value.IcmpType; set => Value.IcmpType = value; }
        public ushort IcmpId { get => Value.IcmpId; set => Value.IcmpId = value; }
    }
}

public static class TestRulesets
{
    /// <summary>A server subnet whose NACL passes replies only to 32768-60999, then denies 61000-65535 explicitly at 200.</summary>
    public const string WithNumberedDeny = """
        version: 1
        name: app
        subnets:
          app: { cidr: 10.0.2.0/24, ipv6_cidr: "2001:db8:2::/64", network_acl: app-nacl }
        interfaces:
          app-1: { addresses: [10.0.2.10, "2001:db8:2::10"], subnet: app, security_groups: [app-sg] }
        security_groups:
          app-sg:
            inbound:
              - { protocol: tcp, ports: 443, source: 0.0.0.0/0 }
              - { protocol: tcp, ports: 443, source: "::/0" }
              - { protocol: icmp, icmp_type: 8, source: 0.0.0.0/0 }
            outbound:
              - { protocol: udp, ports: 53, destination: 0.0.0.0/0 }
        network_acls:
          app-nacl:
            inbound:
              - { rule: 100, protocol: tcp, ports: 443, source: 0.0.0.0/0, action: allow }
              - { rule: 101, protocol: tcp, ports: 443, source: "::/0", action: allow }
              - { rule: 110, protocol: icmp, icmp_type: 8, source: 0.0.0.0/0, action: allow }
            outbound:
              - { rule: 100, protocol: tcp, ports: 32768-60999, destination: 0.0.0.0/0, action: allow }
              - { rule: 150, protocol: udp, ports: 53, destination: 0.0.0.0/0, action: allow }
              - { rule: 190, protocol: tcp, ports: 1-1023, destination: 0.0.0.0/0, action: allow }
              - { rule: 200, protocol: tcp, ports: 61000-65535, destination: 0.0.0.0/0, action: deny }
        """;
}
