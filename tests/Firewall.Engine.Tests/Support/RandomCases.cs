using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tests.Support;

/// <summary>Random rulesets and packets over small domains, so that rules and packets actually meet.</summary>
public static class RandomCases
{
    public static readonly string[] Cidrs4 = ["0.0.0.0/0", "10.0.0.0/8", "10.0.1.0/24", "198.51.100.0/24", "198.51.100.7/32", "203.0.113.0/24", "192.0.2.0/25"];
    public static readonly string[] Cidrs6 = ["::/0", "2001:db8::/32", "2001:db8:1::/64", "2001:db8:ff::/48"];
    public static readonly string[] Externals = ["198.51.100.7", "198.51.100.9", "203.0.113.9", "192.0.2.1", "192.0.2.200", "2001:db8:ff::1", "2001:db8:ee::1"];
    public static readonly ushort[] PortChoices = [22, 53, 80, 443, 1024, 40000, 61000, 65535];
    private static readonly (ushort, ushort)[] Ranges = [(22, 22), (53, 53), (80, 80), (443, 443), (1024, 65535), (32768, 60999), (0, 65535), (40000, 40000)];
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp, IpProtocol.IcmpV6, 47];
    private static readonly short[] IcmpTypes = [-1, 0, 3, 8, 11, 128, 129];

    /// <summary>One subnet "s" (10.0.1.0/24, 2001:db8:1::/64) with NACL "n", two interfaces in it and one outside, three groups.</summary>
    public static Ruleset Ruleset(Random rng)
    {
        var groups = new[] { "g1", "g2", "g3" };
        var sgs = groups.Select(g => new SecurityGroup(g, SgRules(rng, g, Direction.Inbound), SgRules(rng, g, Direction.Outbound))).ToList();
        var acl = new NetworkAcl("n", NaclRules(rng, Direction.Inbound), NaclRules(rng, Direction.Outbound));
        var interfaces = new List<NetworkInterface>
        {
            new("a", [IpAddr.Parse("10.0.1.10"), IpAddr.Parse("2001:db8:1::10")], "s", Pick(rng, groups, rng.Next(0, 3)), null),
            new("b", [IpAddr.Parse("10.0.1.20"), IpAddr.Parse("2001:db8:1::20")], "s", Pick(rng, groups, rng.Next(1, 3)), null),
            new("c", [IpAddr.Parse("10.9.0.5"), IpAddr.Parse("2001:db8:9::5")], null, Pick(rng, groups, rng.Next(1, 4)), null),
        };
        return new Ruleset("random", null,
            [new Subnet("s", Cidr.Parse("10.0.1.0/24"), Cidr.Parse("2001:db8:1::/64"), "n")],
            interfaces, sgs, [acl],
            [new PrefixList("pl1", [Cidr.Parse("198.51.100.0/25"), Cidr.Parse("2001:db8:ff::/48")])],
            null, TrackingSettings.Default);
    }

    private static List<string> Pick(Random rng, string[] from, int count) => from.OrderBy(_ => rng.Next()).Take(count).ToList();

    private static List<SgRule> SgRules(Random rng, string group, Direction direction)
    {
        var n = rng.Next(4) == 0 ? rng.Next(6, 30) : rng.Next(0, 6); // sometimes enough to build port indexes
        var list = new List<SgRule>();
        for (var i = 0; i < n; i++)
        {
            var (protocol, ports, icmp) = Fields(rng);
            var peer = rng.Next(10) switch
            {
                0 => SgPeer.ForGroup(new[] { "g1", "g2", "g3" }[rng.Next(3)]),
                1 => SgPeer.ForPrefixList("pl1"),
                < 7 => SgPeer.ForCidr(Cidr.Parse(Cidrs4[rng.Next(Cidrs4.Length)])),
                _ => SgPeer.ForCidr(Cidr.Parse(Cidrs6[rng.Next(Cidrs6.Length)])),
            };
            list.Add(new SgRule(group, direction, (i + 1).ToString(), protocol, ports, icmp, peer));
        }
        return list;
    }

    private static List<NaclRule> NaclRules(Random rng, Direction direction)
    {
        var numbers = Enumerable.Range(1, 30).Select(i => i * 10).OrderBy(_ => rng.Next()).Take(rng.Next(0, 8)).ToList();
        return numbers.Select(number =>
        {
            var (protocol, ports, icmp) = Fields(rng);
            var cidr = rng.Next(3) == 0 ? Cidrs6[rng.Next(Cidrs6.Length)] : Cidrs4[rng.Next(Cidrs4.Length)];
            return new NaclRule("n", direction, number, rng.Next(3) == 0 ? NaclAction.Deny : NaclAction.Allow, protocol, ports, icmp, Cidr.Parse(cidr));
        }).OrderBy(r => r.Number).ToList();
    }

    private static (RuleProtocol, PortRange, IcmpMatch) Fields(Random rng)
    {
        var choice = rng.Next(7);
        if (choice == 0)
        {
            return (RuleProtocol.All, IgnoredPorts(rng), IgnoredIcmp(rng));
        }
        var protocol = Protocols[rng.Next(Protocols.Length)];
        var ports = PortRange.All;
        var icmp = IcmpMatch.Any;
        if (!IpProtocol.HasPorts(protocol) && !IpProtocol.IsIcmp(protocol))
        {
            return (new RuleProtocol(protocol), IgnoredPorts(rng), IgnoredIcmp(rng));
        }
        if (IpProtocol.HasPorts(protocol) && rng.Next(4) != 0)
        {
            var (a, b) = Ranges[rng.Next(Ranges.Length)];
            ports = new PortRange(a, b);
        }
        if (IpProtocol.IsIcmp(protocol))
        {
            var type = IcmpTypes[rng.Next(IcmpTypes.Length)];
            icmp = new IcmpMatch(type, type < 0 || rng.Next(2) == 0 ? (short)-1 : (short)rng.Next(0, 5));
        }
        return (new RuleProtocol(protocol), ports, icmp);
    }

    /// <summary>Ports and ICMP fields that AWS accepts on protocol all or 47 and ignores (API IpPermission, CreateNetworkAclEntry).</summary>
    private static PortRange IgnoredPorts(Random rng) => rng.Next(3) == 0 ? new PortRange(22, 22) : PortRange.All;

    private static IcmpMatch IgnoredIcmp(Random rng) => rng.Next(3) == 0 ? new IcmpMatch(8, -1) : IcmpMatch.Any;

    public static PacketInfo Packet(Random rng, string src, string dst, long frame, double t)
    {
        var protocol = Protocols[rng.Next(Protocols.Length)];
        var s = IpAddr.Parse(src);
        var p = new PacketInfo
        {
            Frame = frame,
            TimestampNs = (long)(t * 1e9),
            IpVersion = (byte)(s.IsV6 ? 6 : 4),
            Src = s,
            Dst = IpAddr.Parse(dst),
            Protocol = protocol,
            IpLength = 40,
        };
        if (IpProtocol.HasPorts(protocol))
        {
            p.Flags |= PacketFlags.Ports;
            p.SrcPort = PortChoices[rng.Next(PortChoices.Length)];
            p.DstPort = PortChoices[rng.Next(PortChoices.Length)];
            if (protocol == IpProtocol.Tcp)
            {
                p.Flags |= PacketFlags.Tcp;
                p.TcpFlags = new[] { TcpFlag.Syn, (byte)(TcpFlag.Syn | TcpFlag.Ack), TcpFlag.Ack, (byte)(TcpFlag.Fin | TcpFlag.Ack), (byte)(TcpFlag.Rst | TcpFlag.Ack) }[rng.Next(5)];
            }
        }
        else if (IpProtocol.IsIcmp(protocol))
        {
            p.Flags |= PacketFlags.Icmp;
            p.IcmpType = (byte)new[] { 0, 3, 8, 11, 128, 129 }[rng.Next(6)];
            p.IcmpCode = (byte)rng.Next(0, 5);
            if (IcmpKind.IsEchoRequest(protocol, p.IcmpType) || IcmpKind.IsEchoReply(protocol, p.IcmpType))
            {
                p.Flags |= PacketFlags.IcmpEcho;
                p.IcmpId = (ushort)rng.Next(1, 4);
            }
        }
        return p;
    }
}
