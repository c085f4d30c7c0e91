using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>Network ACL hop: first match by rule number, per family, `*` deny (aws-semantics.md §3.3).</summary>
public class NaclTests
{
    private static RulesetBuilder Subnet() => new RulesetBuilder()
        .Subnet("public", "10.0.1.0/24", "nacl", "2001:db8:1::/64");

    [Fact]
    public void Lowest_number_wins_whatever_the_file_order()
    {
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 200, "allow", "tcp", "0.0.0.0/0", "1024-65535")
            .Nacl("nacl", Direction.Inbound, 100, "deny", "tcp", "0.0.0.0/0", "8080"));
        Assert.Equal("deny nacl:nacl:inbound:100", run.Outcome(Tcp("198.51.100.7:1234", "10.0.1.5:8080", "S")));
        Assert.Equal("allow nacl:nacl:inbound:200", run.Outcome(Tcp("198.51.100.7:1234", "10.0.1.5:8081", "S")));
    }

    [Fact]
    public void Nothing_matching_is_the_star_deny()
    {
        var run = new Run(Subnet().Nacl("nacl", Direction.Inbound, 100, "allow", "tcp", "0.0.0.0/0", "443"));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Udp("198.51.100.7:1234", "10.0.1.5:53")));
        Assert.Equal("deny nacl:nacl:outbound:*", run.Outcome(Udp("10.0.1.5:53", "198.51.100.7:1234")));
    }

    [Fact]
    public void Ipv4_rules_never_match_ipv6_and_the_reverse()
    {
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "all", "0.0.0.0/0")
            .Nacl("nacl", Direction.Inbound, 200, "allow", "tcp", "::/0", "443"));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Udp("[2001:db8:ff::1]:1234", "[2001:db8:1::5]:53")));
        Assert.Equal("allow nacl:nacl:inbound:200", run.Outcome(Tcp("[2001:db8:ff::1]:1234", "[2001:db8:1::5]:443", "S")));
    }

    [Fact]
    public void Inbound_matches_the_source_and_outbound_the_destination()
    {
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "all", "198.51.100.0/24")
            .Nacl("nacl", Direction.Outbound, 100, "allow", "all", "192.0.2.0/24"));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Udp("198.51.100.7:1", "10.0.1.5:2")));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Udp("192.0.2.7:1", "10.0.1.5:2")));
        Assert.Equal("allow nacl:nacl:outbound:100", run.Outcome(Udp("10.0.1.5:2", "192.0.2.7:1")));
    }

    [Fact]
    public void Ports_are_destination_ports()
    {
        var run = new Run(Subnet().Nacl("nacl", Direction.Inbound, 100, "allow", "tcp", "0.0.0.0/0", "443"));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Tcp("198.51.100.7:443", "10.0.1.5:50000", "S.")));
    }

    [Fact]
    public void Icmp_type_and_code_match_with_minus_one_as_any()
    {
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "icmp", "0.0.0.0/0", icmpType: 3, icmpCode: 4)
            .Nacl("nacl", Direction.Inbound, 110, "allow", "icmp", "0.0.0.0/0", icmpType: 8));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Icmp("198.51.100.7", "10.0.1.5", 3, 4)));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Icmp("198.51.100.7", "10.0.1.5", 3, 3)));
        Assert.Equal("allow nacl:nacl:inbound:110", run.Outcome(EchoRequest("198.51.100.7", "10.0.1.5", 7)));
    }

    [Fact]
    public void Icmpv6_rule_with_an_ipv4_cidr_matches_every_type()
    {
        // AWS CreateNetworkAclEntry: protocol 58 with an IPv4 CIDR allows all ICMP types and codes,
        // whatever type and code the rule gives.
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "icmpv6", "0.0.0.0/0", icmpType: 128, icmpCode: 0)
            .Nacl("nacl", Direction.Outbound, 100, "deny", "icmpv6", "0.0.0.0/0", icmpType: 2));
        foreach (var (type, code) in new (byte, byte)[] { (128, 0), (1, 0), (1, 4), (2, 0), (135, 0), (0, 0), (255, 255) })
        {
            Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(IcmpV6OverIpv4("198.51.100.7", "10.0.1.5", type, code)));
            Assert.Equal("deny nacl:nacl:outbound:100", run.Outcome(IcmpV6OverIpv4("10.0.1.5", "198.51.100.7", type, code)));
        }
        // A later fragment carries no ICMP header; a rule that matches every type matches it too (SPEC §2).
        var first = IcmpV6OverIpv4("198.51.100.9", "10.0.1.5", 1, 0);
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Fragment(first, 1480, more: false)));
        // ICMP (protocol 1) is another protocol: not matched.
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Icmp("198.51.100.7", "10.0.1.5", 128, 0)));
    }

    [Fact]
    public void Icmpv6_rule_with_an_ipv6_cidr_matches_its_type_only()
    {
        var run = new Run(Subnet().Nacl("nacl", Direction.Inbound, 100, "allow", "icmpv6", "::/0", icmpType: 128));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Icmp("2001:db8:ff::1", "2001:db8:1::5", 128, 0, 1, v6: true)));
        Assert.Equal("deny nacl:nacl:inbound:*", run.Outcome(Icmp("2001:db8:ff::1", "2001:db8:1::5", 1, 4, v6: true)));
    }

    [Fact]
    public void Ports_and_icmp_fields_on_an_all_rule_match_everything()
    {
        // CreateNetworkAclEntry: for -1 or a protocol other than 6, 17 and 1 all ports are allowed, regardless of
        // any ports or ICMP types and codes given.
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "all", "198.51.100.0/24", "22", icmpType: 8)
            .Nacl("nacl", Direction.Inbound, 110, "allow", "47", "192.0.2.0/24", "1723"));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Tcp("198.51.100.7:1234", "10.0.1.5:443", "S")));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Icmp("198.51.100.7", "10.0.1.5", 3, 4)));
        Assert.Equal("allow nacl:nacl:inbound:110", run.Outcome(Other(47, "192.0.2.7", "10.0.1.5")));
    }

    /// <summary>An IPv4 packet whose protocol is 58: nothing sends one, but a NACL rule can name it.</summary>
    private static Firewall.Engine.Packets.PacketInfo IcmpV6OverIpv4(string from, string to, byte type, byte code)
    {
        var p = Icmp(from, to, type, code);
        p.Protocol = Firewall.Engine.Addressing.IpProtocol.IcmpV6;
        return p;
    }

    [Fact]
    public void Default_nacl_allows_both_families()
    {
        var run = new Run(new RulesetBuilder().Subnet("s", "10.0.1.0/24", null, "2001:db8:1::/64"));
        Assert.Equal("allow nacl:default:inbound:100", run.Outcome(Udp("198.51.100.7:1", "10.0.1.5:2")));
        Assert.Equal("allow nacl:default:outbound:101", run.Outcome(Udp("[2001:db8:1::5]:1", "[2001:db8:ff::1]:2")));
    }

    [Fact]
    public void Replies_are_evaluated_too()
    {
        var run = new Run(Subnet()
            .Nacl("nacl", Direction.Inbound, 100, "allow", "tcp", "0.0.0.0/0", "443")
            .Nacl("nacl", Direction.Outbound, 100, "allow", "tcp", "0.0.0.0/0", "32768-60999"));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Tcp("198.51.100.7:50000", "10.0.1.5:443", "S")));
        Assert.Equal("allow nacl:nacl:outbound:100", run.Outcome(Tcp("10.0.1.5:443", "198.51.100.7:50000", "S.")));
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(Tcp("198.51.100.8:62000", "10.0.1.5:443", "S")));
        Assert.Equal("deny nacl:nacl:outbound:*", run.Outcome(Tcp("10.0.1.5:443", "198.51.100.8:62000", "S.")));
    }
}
