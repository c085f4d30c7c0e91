using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Tests.Reachability;

/// <summary>
/// Random rulesets over small address and port pools, so that rules, topology and sampled packets meet:
/// two or three subnets (IPv4, some with IPv6) each with its own NACL (allow and deny, ports, ICMP types),
/// interfaces inside and outside subnets, groups whose rules name CIDRs, other groups and a prefix list,
/// sometimes a VPC CIDR (the Amazon DNS resolver at its base + 2).
/// </summary>
internal static class RandomRulesets
{
    public static readonly string[] Cidrs4 = ["0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/25", "198.51.100.0/24", "198.51.100.7/32", "203.0.113.0/28", "192.0.2.0/25"];
    public static readonly string[] Cidrs6 = ["::/0", "2001:db8::/32", "2001:db8:1::/64", "2001:db8:ff::/48", "2001:db8:2::10/128"];
    public static readonly ushort[] Ports = [22, 53, 80, 443, 1024, 8080, 32768, 40000, 60999, 61000, 65535];
    private static readonly (ushort, ushort)[] Ranges = [(22, 22), (53, 53), (80, 80), (443, 443), (1024, 65535), (32768, 60999), (40000, 40000), (8000, 8080), (0, 65535)];
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp, IpProtocol.IcmpV6, 47];
    private static readonly short[] IcmpTypes = [-1, 0, 3, 8, 11, 128, 129, 135];

    public static Ruleset Ruleset(Random rng)
    {
        var subnetCount = rng.Next(2, 4);
        var subnets = new List<Subnet>();
        var acls = new List<NetworkAcl>();
        for (var s = 1; s <= subnetCount; s++)
        {
            var acl = rng.Next(5) == 0 ? NetworkAcl.DefaultName : $"n{s}";
            subnets.Add(new Subnet($"s{s}", Cidr.Parse($"10.0.{s}.0/24"), rng.Next(2) == 0 ? Cidr.Parse($"2001:db8:{s}::/64") : null, acl));
            if (acl != NetworkAcl.DefaultName)
            {
                acls.Add(new NetworkAcl(acl, NaclRules(rng, acl, Direction.Inbound), NaclRules(rng, acl, Direction.Outbound)));
            }
        }
        if (subnets.Any(s => s.NetworkAcl == NetworkAcl.DefaultName))
        {
            acls.Add(NetworkAcl.CreateDefault());
        }
        var groups = new[] { "g1", "g2", "g3" };
        var interfaces = new List<NetworkInterface>();
        var interfaceCount = rng.Next(2, 6);
        for (var i = 1; i <= interfaceCount; i++)
        {
            var s = rng.Next(0, subnetCount + 1); // 0: no subnet
            var addresses = new List<IpAddr> { IpAddr.Parse(s == 0 ? $"10.9.0.{i}" : $"10.0.{s}.{10 * i}") };
            if (s > 0 && subnets[s - 1].Ipv6Cidr is not null && rng.Next(2) == 0)
            {
                addresses.Add(IpAddr.Parse($"2001:db8:{s}::{10 * i:x}"));
            }
            var carried = groups.OrderBy(_ => rng.Next()).Take(rng.Next(0, 3)).ToList();
            interfaces.Add(new NetworkInterface($"i{i}", addresses, s == 0 ? null : $"s{s}", carried, null));
        }
        var sgs = groups.Select(g => new SecurityGroup(g, SgRules(rng, g, Direction.Inbound), SgRules(rng, g, Direction.Outbound))).ToList();
        return new Ruleset("random", null, subnets, interfaces, sgs, acls,
            [new PrefixList("pl1", [Cidr.Parse("198.51.100.0/25"), Cidr.Parse("2001:db8:ff::/48")])],
            rng.Next(3) == 0 ? Cidr.Parse("10.0.0.0/16") : null,
            TrackingSettings.Default);
    }

    /// <summary>The ruleset with one rule changed, added or removed: what a pull request does.</summary>
    public static Ruleset Mutate(Ruleset r, Random rng)
    {
        switch (rng.Next(3))
        {
            case 0 when r.NetworkAcls.Any(a => a.Name != NetworkAcl.DefaultName):
            {
                var acl = r.NetworkAcls.Where(a => a.Name != NetworkAcl.DefaultName).ElementAt(rng.Next(r.NetworkAcls.Count(a => a.Name != NetworkAcl.DefaultName)));
                var direction = rng.Next(2) == 0 ? Direction.Inbound : Direction.Outbound;
                var rules = acl.Rules(direction).ToList();
                if (rules.Count > 0 && rng.Next(2) == 0)
                {
                    rules.RemoveAt(rng.Next(rules.Count));
                }
                else
                {
                    var taken = rules.Select(x => x.Number).ToHashSet();
                    var free = Enumerable.Range(1, 60).Select(n => n * 5).Where(n => !taken.Contains(n)).ToList();
                    rules.Add(NaclRule(rng, acl.Name, direction, free[rng.Next(free.Count)]));
                    rules.Sort((a, b) => a.Number.CompareTo(b.Number));
                }
                var changed = direction == Direction.Inbound ? acl with { Inbound = rules } : acl with { Outbound = rules };
                return r with { NetworkAcls = r.NetworkAcls.Select(a => a == acl ? changed : a).ToList() };
            }
            default:
            {
                var group = r.SecurityGroups[rng.Next(r.SecurityGroups.Count)];
                var direction = rng.Next(2) == 0 ? Direction.Inbound : Direction.Outbound;
                var rules = group.Rules(direction).ToList();
                if (rules.Count > 0 && rng.Next(2) == 0)
                {
                    rules.RemoveAt(rng.Next(rules.Count));
                }
                else
                {
                    rules.Add(SgRule(rng, group.Name, direction, $"m{rng.Next(1000)}"));
                }
                var changed = direction == Direction.Inbound ? group with { Inbound = rules } : group with { Outbound = rules };
                return r with { SecurityGroups = r.SecurityGroups.Select(g => g == group ? changed : g).ToList() };
            }
        }
    }

    private static List<SgRule> SgRules(Random rng, string group, Direction direction) =>
        Enumerable.Range(1, rng.Next(0, 6)).Select(i => SgRule(rng, group, direction, i.ToString())).ToList();

    private static SgRule SgRule(Random rng, string group, Direction direction, string id)
    {
        var (protocol, ports, icmp) = Fields(rng);
        var peer = rng.Next(10) switch
        {
            0 => SgPeer.ForGroup(new[] { "g1", "g2", "g3" }[rng.Next(3)]),
            1 => SgPeer.ForPrefixList("pl1"),
            < 7 => SgPeer.ForCidr(Cidr.Parse(Cidrs4[rng.Next(Cidrs4.Length)])),
            _ => SgPeer.ForCidr(Cidr.Parse(Cidrs6[rng.Next(Cidrs6.Length)])),
        };
        return new SgRule(group, direction, id, protocol, ports, icmp, peer);
    }

    private static List<NaclRule> NaclRules(Random rng, string acl, Direction direction) =>
        Enumerable.Range(1, 30).Select(i => i * 10).OrderBy(_ => rng.Next()).Take(rng.Next(0, 7))
            .Select(number => NaclRule(rng, acl, direction, number))
            .OrderBy(r => r.Number).ToList();

    private static NaclRule NaclRule(Random rng, string acl, Direction direction, int number)
    {
        var (protocol, ports, icmp) = Fields(rng);
        var cidr = rng.Next(3) == 0 ? Cidrs6[rng.Next(Cidrs6.Length)] : Cidrs4[rng.Next(Cidrs4.Length)];
        return new NaclRule(acl, direction, number, rng.Next(3) == 0 ? NaclAction.Deny : NaclAction.Allow, protocol, ports, icmp, Cidr.Parse(cidr));
    }

    private static (RuleProtocol, PortRange, IcmpMatch) Fields(Random rng)
    {
        if (rng.Next(6) == 0)
        {
            return (RuleProtocol.All, PortRange.All, IcmpMatch.Any);
        }
        var protocol = Protocols[rng.Next(Protocols.Length)];
        var ports = PortRange.All;
        var icmp = IcmpMatch.Any;
        if (IpProtocol.HasPorts(protocol) && rng.Next(5) != 0)
        {
            var (a, b) = Ranges[rng.Next(Ranges.Length)];
            ports = new PortRange(a, b);
        }
        if (IpProtocol.IsIcmp(protocol))
        {
            var type = IcmpTypes[rng.Next(IcmpTypes.Length)];
            icmp = new IcmpMatch(type, type < 0 || rng.Next(2) == 0 ? (short)-1 : (short)rng.Next(0, 3));
        }
        return (new RuleProtocol(protocol), ports, icmp);
    }

    /// <summary>A random packet set over the ruleset's names and the pools, as text.</summary>
    public static string Set(Random rng, Ruleset r)
    {
        string Addresses()
        {
            string One() => rng.Next(9) switch
            {
                0 => "*",
                1 => r.Interfaces[rng.Next(r.Interfaces.Count)].Name,
                2 => $"sg:g{rng.Next(1, 4)}",
                3 => $"subnet:{r.Subnets[rng.Next(r.Subnets.Count)].Name}",
                4 => "pl:pl1",
                5 => "10.0.0.0/14",
                6 => Cidrs6[rng.Next(Cidrs6.Length)] is var c6 ? $"[{c6}]" : "",
                _ => Cidrs4[rng.Next(Cidrs4.Length)],
            };
            return rng.Next(4) == 0 ? $"{One()},{One()}" : One();
        }
        string PortsText() => rng.Next(3) switch
        {
            0 => "*",
            1 => Ports[rng.Next(Ports.Length)].ToString(),
            _ => $"{rng.Next(1, 2000)}-{rng.Next(2000, 65536)}",
        };
        if (rng.Next(3) == 0)
        {
            // Traffic crossing a subnet's boundary, where its NACL judges the request and the reply by ports.
            var subnet = $"subnet:{r.Subnets[rng.Next(r.Subnets.Count)].Name}";
            var (inside, outside) = (rng.Next(2) == 0 ? subnet : r.Interfaces[rng.Next(r.Interfaces.Count)].Name, rng.Next(2) == 0 ? "*" : "198.51.100.0/24,10.0.0.0/16");
            var tcpOrUdp = rng.Next(2) == 0 ? "tcp" : "udp";
            return rng.Next(2) == 0 ? $"{tcpOrUdp} {outside} -> {inside}" : $"{tcpOrUdp} {inside} -> {outside}";
        }
        var protocol = new[] { "tcp", "udp", "icmp", "icmpv6", "47", "*" }[rng.Next(6)];
        var withPorts = protocol is "tcp" or "udp" && rng.Next(2) == 0;
        var source = Addresses() + (withPorts && rng.Next(2) == 0 ? ":" + PortsText() : "");
        var destination = Addresses() + (withPorts ? ":" + PortsText() : "");
        var type = protocol is "icmp" or "icmpv6" && rng.Next(3) == 0 ? $" type {new[] { 0, 3, 8, 128, 129 }[rng.Next(5)]}" : "";
        return $"{protocol} {source} -> {destination}{type}";
    }
}
