using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Rulesets.Tests.Validation;

using static LoaderAssert;

/// <summary>
/// Rules that AWS accepts load, with the meaning AWS gives them (issue 19): the written fields are kept, and
/// what AWS matches is what evaluation matches. Lint says which written fields have no effect.
/// </summary>
public class AwsAcceptedTests
{
    /// <summary>A subnet 10.0.1.0/24 behind ACL n, whose one inbound rule is <paramref name="rule"/>.</summary>
    private static string AclWith(string rule) => $$"""
        version: 1
        subnets:
          public: { cidr: 10.0.1.0/24, network_acl: n }
        network_acls:
          n:
            inbound:
              - {{rule}}
        """;

    private static string Evaluate(Ruleset ruleset, PacketInfo packet)
    {
        var evaluator = new Evaluator(RulesetCompiler.Compile(ruleset));
        var result = new PacketResult();
        evaluator.Evaluate(in packet, ref result);
        return $"{ResultText.Name(result.Verdict)} {evaluator.Rules.Rules.Reference(result.RuleId)}";
    }

    /// <summary>An IPv4 packet of protocol 58 (what a NACL icmpv6 rule with an IPv4 CIDR names).</summary>
    private static PacketInfo Ipv4Protocol58(string from, string to, byte type, byte code) => new()
    {
        Frame = 1,
        IpVersion = 4,
        Src = IpAddr.Parse(from),
        Dst = IpAddr.Parse(to),
        Protocol = IpProtocol.IcmpV6,
        IpLength = 60,
        Flags = PacketFlags.Icmp,
        IcmpType = type,
        IcmpCode = code,
    };

    [Theory]
    [InlineData("all")]
    [InlineData("-1")]
    [InlineData("47")]
    [InlineData("50")]
    public void PortsAndIcmpFieldsOnProtocolsAwsIgnoresThemForLoad(string protocol)
    {
        // API IpPermission: -1 or a protocol number other than tcp, udp, icmp or icmpv6 allows traffic on all
        // ports, regardless of any port range given. CreateNetworkAclEntry: the same for ports, ICMP types and codes.
        var ruleset = Loads($$"""
            version: 1
            security_groups:
              g:
                inbound:
                  - { protocol: {{protocol}}, ports: 22, source: 0.0.0.0/0 }
                  - { protocol: {{protocol}}, icmp_code: 4, source: "::/0" }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: {{protocol}}, ports: 1024-2048, icmp_type: 3, icmp_code: 4, action: allow, source: 0.0.0.0/0 }
            """);
        var sg = ruleset.SecurityGroups.Single().Inbound;
        Assert.Equal(new PortRange(22, 22), sg[0].Ports);
        Assert.Equal(PortRange.All, sg[0].MatchedPorts);
        Assert.Equal(new IcmpMatch(-1, 4), sg[1].Icmp);
        Assert.Equal(IcmpMatch.Any, sg[1].MatchedIcmp);
        var nacl = ruleset.NetworkAcls.Single().Inbound.Single();
        Assert.Equal((new PortRange(1024, 2048), new IcmpMatch(3, 4)), (nacl.Ports, nacl.Icmp));
        Assert.Equal((PortRange.All, IcmpMatch.Any), (nacl.MatchedPorts, nacl.MatchedIcmp));
    }

    [Fact]
    public void MinusOneIsEveryIcmpTypeOrCodeAsInTheAwsApi()
    {
        // API IpPermission: FromPort -1 is every ICMP type, ToPort -1 every code; NetworkAclEntry IcmpTypeCode the same.
        var ruleset = Loads("""
            version: 1
            security_groups:
              g:
                inbound:
                  - { protocol: icmp, icmp_type: 3, icmp_code: -1, source: 0.0.0.0/0 }
                  - { protocol: icmpv6, icmp_type: -1, icmp_code: -1, source: "::/0" }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: icmp, icmp_type: -1, action: allow, source: 0.0.0.0/0 }
            """);
        Assert.Equal([new IcmpMatch(3, -1), IcmpMatch.Any], ruleset.SecurityGroups.Single().Inbound.Select(r => r.Icmp));
        Assert.Equal(IcmpMatch.Any, ruleset.NetworkAcls.Single().Inbound.Single().Icmp);
    }

    [Fact]
    public void AnAllRuleWithPortsMatchesEveryPort()
    {
        var ruleset = Loads("""
            version: 1
            subnets:
              public: { cidr: 10.0.1.0/24, network_acl: n }
            interfaces:
              web: { addresses: [10.0.1.5], subnet: public, security_groups: [g] }
            security_groups:
              g:
                inbound:
                  - { protocol: all, ports: 22, source: 198.51.100.0/24 }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: all, ports: 22, action: allow, source: 198.51.100.0/24 }
            """);
        var packet = new PacketInfo
        {
            Frame = 1,
            IpVersion = 4,
            Src = IpAddr.Parse("198.51.100.7"),
            Dst = IpAddr.Parse("10.0.1.5"),
            Protocol = IpProtocol.Udp,
            IpLength = 60,
            Flags = PacketFlags.Ports,
            SrcPort = 40000,
            DstPort = 53,
        };
        Assert.Equal("allow sg:g:inbound:1", Evaluate(ruleset, packet));
    }

    [Fact]
    public void CidrsWithHostBitsLoadAsTheirNetworkWhereAwsDocumentsIt()
    {
        // EC2 API IpRange / Ipv6Range: AWS canonicalises IPv4 and IPv6 CIDRs (100.68.0.18/18 becomes
        // 100.68.0.0/18); CreateNetworkAclEntry, CreateSubnet and CreateVpc say the same of an IPv4 CidrBlock.
        var ruleset = Loads("""
            version: 1
            vpc_cidr: 10.0.0.7/16
            subnets:
              public: { cidr: 10.0.1.9/24, network_acl: n }
            interfaces:
              web: { addresses: [10.0.1.10], subnet: public }
            security_groups:
              g:
                inbound:
                  - { id: ssh, protocol: tcp, ports: 22, source: 203.0.113.7/24 }
                  - { protocol: icmpv6, source: "2001:db8::7/32" }
            network_acls:
              n:
                outbound:
                  - { rule: 100, protocol: all, action: allow, destination: 198.51.100.7/25 }
            """);
        Assert.Equal(Cidr.Parse("10.0.0.0/16"), ruleset.VpcCidr);
        Assert.Equal(Cidr.Parse("10.0.1.0/24"), ruleset.Subnets.Single().Cidr);
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], ruleset.SecurityGroups.Single().Inbound.Select(r => r.Peer.ToString()));
        Assert.Equal(Cidr.Parse("198.51.100.0/25"), ruleset.NetworkAcls.Single().Outbound.Single().Cidr);
        Assert.Equal(
            [
                new HostBitsCidr("10.0.0.7/16", Cidr.Parse("10.0.0.0/16"), "vpc_cidr", "CreateVpc", new SourceLocation(File, 2, 11)),
                new HostBitsCidr("10.0.1.9/24", Cidr.Parse("10.0.1.0/24"), "cidr", "CreateSubnet", new SourceLocation(File, 4, 19)),
                new HostBitsCidr("203.0.113.7/24", Cidr.Parse("203.0.113.0/24"), "source", "IpRange", new SourceLocation(File, 10, 54), "sg:g:inbound:ssh"),
                new HostBitsCidr("2001:db8::7/32", Cidr.Parse("2001:db8::/32"), "source", "Ipv6Range", new SourceLocation(File, 11, 37), "sg:g:inbound:2"),
                new HostBitsCidr("198.51.100.7/25", Cidr.Parse("198.51.100.0/25"), "destination", "CreateNetworkAclEntry", new SourceLocation(File, 15, 65), "nacl:n:outbound:100"),
            ],
            ruleset.HostBitsCidrs.OrderBy(h => h.Location.Line));
    }

    [Fact]
    public void AnIcmpv6AclRuleWithAnIpv4CidrAndATypeLoadsAndMatchesEveryType()
    {
        // CreateNetworkAclEntry: protocol 58 with an IPv4 CIDR allows all ICMP types and codes, regardless of
        // any that are given. AWS accepts the entry, so an export of it must load.
        var ruleset = Loads(AclWith("{ rule: 100, protocol: icmpv6, icmp_type: 128, icmp_code: 0, action: allow, source: 0.0.0.0/0 }"));
        var rule = ruleset.NetworkAcls.Single(a => a.Name == "n").Inbound.Single();
        Assert.Equal(new IcmpMatch(128, 0), rule.Icmp); // kept as written, for writing back and for lint
        Assert.Equal(IcmpMatch.Any, rule.MatchedIcmp);
        foreach (var (type, code) in new (byte, byte)[] { (128, 0), (129, 0), (1, 4), (135, 0), (255, 255) })
        {
            Assert.Equal("allow nacl:n:inbound:100", Evaluate(ruleset, Ipv4Protocol58("198.51.100.7", "10.0.1.5", type, code)));
        }
    }
}
