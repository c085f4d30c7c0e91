using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Engine.Tests.Model;

/// <summary>
/// A rule keeps the ports and ICMP fields it was written with; <c>MatchedPorts</c> and <c>MatchedIcmp</c> say
/// what AWS matches (EC2 API IpPermission, CreateNetworkAclEntry). Evaluation and reports read only those.
/// </summary>
public class MatchedFieldsTests
{
    private static NaclRule Nacl(string protocol, string cidr, PortRange ports, IcmpMatch icmp) =>
        new("n", Direction.Inbound, 100, NaclAction.Allow, Protocol(protocol), ports, icmp, Cidr.Parse(cidr));

    private static SgRule Sg(string protocol, string cidr, PortRange ports, IcmpMatch icmp) =>
        new("g", Direction.Inbound, "1", Protocol(protocol), ports, icmp, SgPeer.ForCidr(Cidr.Parse(cidr)));

    private static RuleProtocol Protocol(string text) => text switch
    {
        "all" => RuleProtocol.All,
        "tcp" => new RuleProtocol(IpProtocol.Tcp),
        "icmp" => new RuleProtocol(IpProtocol.Icmp),
        "icmpv6" => new RuleProtocol(IpProtocol.IcmpV6),
        _ => new RuleProtocol(short.Parse(text)),
    };

    [Fact]
    public void Nacl_icmpv6_with_an_ipv4_cidr_keeps_its_type_but_matches_every_type()
    {
        var rule = Nacl("icmpv6", "0.0.0.0/0", PortRange.All, new IcmpMatch(128, 0));
        Assert.Equal(new IcmpMatch(128, 0), rule.Icmp);
        Assert.Equal(IcmpMatch.Any, rule.MatchedIcmp);

        // With an IPv6 CIDR the type and code are matched, and icmp keeps them whatever the family.
        Assert.Equal(new IcmpMatch(128, 0), Nacl("icmpv6", "::/0", PortRange.All, new IcmpMatch(128, 0)).MatchedIcmp);
        Assert.Equal(new IcmpMatch(3, 4), Nacl("icmp", "0.0.0.0/0", PortRange.All, new IcmpMatch(3, 4)).MatchedIcmp);
        Assert.Equal(new IcmpMatch(3, 4), Nacl("icmp", "::/0", PortRange.All, new IcmpMatch(3, 4)).MatchedIcmp);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("47")]
    [InlineData("50")]
    public void Ports_and_icmp_fields_of_other_protocols_match_everything(string protocol)
    {
        var nacl = Nacl(protocol, "0.0.0.0/0", new PortRange(22, 22), new IcmpMatch(8, -1));
        Assert.Equal(new PortRange(22, 22), nacl.Ports);
        Assert.Equal(PortRange.All, nacl.MatchedPorts);
        Assert.Equal(IcmpMatch.Any, nacl.MatchedIcmp);

        var sg = Sg(protocol, "0.0.0.0/0", new PortRange(22, 22), new IcmpMatch(8, -1));
        Assert.Equal(PortRange.All, sg.MatchedPorts);
        Assert.Equal(IcmpMatch.Any, sg.MatchedIcmp);
    }

    [Fact]
    public void Tcp_ports_and_sg_icmp_fields_are_matched_as_written()
    {
        Assert.Equal(new PortRange(443, 443), Nacl("tcp", "0.0.0.0/0", new PortRange(443, 443), IcmpMatch.Any).MatchedPorts);
        Assert.Equal(new PortRange(443, 443), Sg("tcp", "0.0.0.0/0", new PortRange(443, 443), IcmpMatch.Any).MatchedPorts);
        // The IPv4-CIDR exception is documented for network ACL entries only (CreateNetworkAclEntry).
        Assert.Equal(new IcmpMatch(128, -1), Sg("icmpv6", "0.0.0.0/0", PortRange.All, new IcmpMatch(128, -1)).MatchedIcmp);
    }
}
