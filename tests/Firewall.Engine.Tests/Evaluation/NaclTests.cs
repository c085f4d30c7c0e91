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
        // AWS CreateNetworkAclEntry: protocol 58 with an IPv4 CIDR allows all ICMP types and codes.
        var run = new Run(Subnet().Nacl("nacl", Direction.Inbound, 100, "allow", "icmpv6", "0.0.0.0/0", icmpType: 128));
        var p = Icmp("198.51.100.7", "10.0.1.5", 1, 0);
        p.Protocol = Firewall.Engine.Addressing.IpProtocol.IcmpV6;
        Assert.Equal("allow nacl:nacl:inbound:100", run.Outcome(p));
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
