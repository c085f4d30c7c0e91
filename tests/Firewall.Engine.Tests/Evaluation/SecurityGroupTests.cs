using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>Security-group hop by rules (aws-semantics.md §1).</summary>
public class SecurityGroupTests
{
    private static RulesetBuilder Web() => new RulesetBuilder()
        .Interface("web-1", "10.0.1.10, 2001:db8:1::10", groups: "web-sg, extra-sg")
        .Interface("app-1", "10.0.2.20", groups: "app-sg")
        .Sg("app-sg", Direction.Outbound, "all", "0.0.0.0/0")
        .Sg("web-sg", Direction.Inbound, "tcp", "0.0.0.0/0", "443", id: "https")
        .Sg("web-sg", Direction.Inbound, "tcp", "203.0.113.0/24", "22")
        .Sg("extra-sg", Direction.Inbound, "tcp", "198.51.100.0/24", "440-450")
        .Sg("extra-sg", Direction.Inbound, "icmp", "0.0.0.0/0", icmpType: 8)
        .Sg("extra-sg", Direction.Inbound, "all", "sg:app-sg")
        .Sg("extra-sg", Direction.Inbound, "udp", "pl:office", "53");

    [Fact]
    public void Union_of_groups_names_the_first_matching_rule_in_interface_order()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("allow sg:web-sg:inbound:https", run.Outcome(Tcp("198.51.100.7:50000", "10.0.1.10:443", "S")));
        Assert.Equal("allow sg:extra-sg:inbound:1", run.Outcome(Tcp("198.51.100.7:50001", "10.0.1.10:445", "S")));
    }

    [Fact]
    public void No_match_is_denied_with_the_interface_reference()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Tcp("198.51.100.7:50000", "10.0.1.10:22", "S")));
        Assert.Equal("allow sg:web-sg:inbound:2", run.Outcome(Tcp("203.0.113.9:50000", "10.0.1.10:22", "S")));
    }

    [Fact]
    public void Icmp_rule_does_not_match_icmpv6_and_ipv4_cidr_does_not_match_ipv6()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("allow sg:extra-sg:inbound:2", run.Outcome(EchoRequest("198.51.100.7", "10.0.1.10", 1)));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Icmp("2001:db8:ff::1", "2001:db8:1::10", 128, 0, 1, v6: true)));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Tcp("[2001:db8:ff::1]:50000", "[2001:db8:1::10]:443", "S")));
    }

    [Fact]
    public void Group_reference_matches_the_addresses_of_its_members()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("allow sg:extra-sg:inbound:3", run.Outcome(Udp("10.0.2.20:5000", "10.0.1.10:9999")));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Udp("10.0.2.21:5000", "10.0.1.10:9999")));
    }

    [Fact]
    public void Prefix_list_matches_any_of_its_cidrs()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("allow sg:extra-sg:inbound:4", run.Outcome(Udp("192.0.2.3:5000", "10.0.1.10:53")));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Udp("192.0.2.30:5000", "10.0.1.10:53")));
    }

    [Fact]
    public void Group_with_no_outbound_rules_allows_nothing_new_out()
    {
        var run = new Run(Web().PrefixList("office", "192.0.2.0/28"));
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(Tcp("10.0.1.10:40000", "198.51.100.7:443", "S")));
    }

    [Fact]
    public void Protocol_number_rule_matches_that_protocol_only()
    {
        var run = new Run(new RulesetBuilder()
            .Interface("vpn", "10.0.1.5", groups: "gre")
            .Sg("gre", Direction.Inbound, "47", "0.0.0.0/0"));
        Assert.Equal("allow sg:gre:inbound:1", run.Outcome(Other(47, "198.51.100.7", "10.0.1.5")));
        Assert.Equal("deny sg:vpn:inbound:none", run.Outcome(Other(50, "198.51.100.7", "10.0.1.5")));
    }

    [Fact]
    public void Ports_on_an_all_or_other_protocol_rule_are_ignored()
    {
        // API IpPermission: -1 or a protocol number other than tcp, udp, icmp or icmpv6 allows traffic on all
        // ports, regardless of any port range given.
        var run = new Run(new RulesetBuilder()
            .Interface("vpn", "10.0.1.5", groups: "g")
            .Sg("g", Direction.Inbound, "all", "198.51.100.0/24", "22")
            .Sg("g", Direction.Inbound, "47", "192.0.2.0/24", "1723"));
        Assert.Equal("allow sg:g:inbound:1", run.Outcome(Tcp("198.51.100.7:50000", "10.0.1.5:443", "S")));
        Assert.Equal("allow sg:g:inbound:1", run.Outcome(Udp("198.51.100.7:50000", "10.0.1.5:53")));
        Assert.Equal("allow sg:g:inbound:2", run.Outcome(Other(47, "192.0.2.7", "10.0.1.5")));
    }
}
