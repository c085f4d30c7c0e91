namespace Firewall.Rulesets.Tests.Validation;

using static LoaderAssert;

/// <summary>Names that must resolve, and facts that involve more than one part of the file.</summary>
public class ReferenceErrorTests
{
    [Fact]
    public void UnknownGroupInARule() => Single(
        """
        version: 1
        security_groups:
          web:
            inbound:
              - { protocol: all, source: sg:webb }
        """,
        "5:34: source: unknown security group 'webb'; defined security groups: web");

    [Fact]
    public void UnknownPrefixListInARule() => Single(
        """
        version: 1
        security_groups:
          web:
            outbound:
              - { protocol: all, destination: pl:office }
        """,
        "5:39: destination: unknown prefix list 'office'; the file defines no prefix lists");

    [Fact]
    public void UnknownAclOnASubnet() => Single(
        """
        version: 1
        network_acls:
          public-nacl: {}
        subnets:
          public: { cidr: 10.0.1.0/24, network_acl: pubic-nacl }
        """,
        "5:45: network_acl: unknown network ACL 'pubic-nacl'; defined network ACLs: public-nacl (or omit network_acl for the AWS default)");

    [Fact]
    public void UnknownSubnetOnAnInterface() => Single(
        """
        version: 1
        subnets:
          public: { cidr: 10.0.1.0/24 }
        interfaces:
          web: { addresses: [10.0.1.10], subnet: private }
        """,
        "5:42: subnet: unknown subnet 'private'; defined subnets: public");

    [Fact]
    public void UnknownGroupOnAnInterface() => Single(
        """
        version: 1
        security_groups:
          web: {}
        interfaces:
          web: { addresses: [10.0.1.10], security_groups: [web, db] }
        """,
        "5:57: security_groups: unknown security group 'db'; defined security groups: web");

    [Fact]
    public void GroupListedTwiceOnAnInterface() => Single(
        """
        version: 1
        security_groups:
          web: {}
        interfaces:
          web: { addresses: [10.0.1.10], security_groups: [web, web] }
        """,
        "5:57: security group 'web' is listed twice for interface 'web'");

    [Fact]
    public void MoreThanSixteenGroupsOnAnInterface()
    {
        var groups = Enumerable.Range(1, 17).Select(i => $"g{i}").ToList();
        var yaml = "version: 1\nsecurity_groups:\n" + string.Concat(groups.Select(g => $"  {g}: {{}}\n"))
            + $"interfaces:\n  i:\n    addresses: [10.0.0.5]\n    security_groups: [{string.Join(", ", groups)}]\n";
        Single(yaml, "23:5: interface 'i' has 17 security groups; AWS allows at most 16 per network interface");
    }

    [Fact]
    public void SixteenGroupsOnAnInterfaceAreAllowed()
    {
        var groups = Enumerable.Range(1, 16).Select(i => $"g{i}").ToList();
        var yaml = "version: 1\nsecurity_groups:\n" + string.Concat(groups.Select(g => $"  {g}: {{}}\n"))
            + $"interfaces:\n  i:\n    addresses: [10.0.0.5]\n    security_groups: [{string.Join(", ", groups)}]\n";
        Assert.Equal(groups, Loads(yaml).Interfaces[0].SecurityGroups);
    }

    [Fact]
    public void AddressOutsideItsSubnet() => Single(
        """
        version: 1
        subnets:
          public: { cidr: 10.0.1.0/24, ipv6_cidr: "2001:db8:1::/64" }
        interfaces:
          web: { addresses: [10.0.1.10, "2001:db8:2::10"], subnet: public }
        """,
        "5:33: address 2001:db8:2::10 is outside subnet 'public' (10.0.1.0/24, 2001:db8:1::/64)");

    [Fact]
    public void Ipv6AddressInASubnetWithoutIpv6() => Single(
        """
        version: 1
        subnets:
          public: { cidr: 10.0.1.0/24 }
        interfaces:
          web: { addresses: ["2001:db8:1::10"], subnet: public }
        """,
        "5:22: address 2001:db8:1::10 is outside subnet 'public' (10.0.1.0/24)");

    [Fact]
    public void AddressOnTwoInterfaces() => Single(
        """
        version: 1
        interfaces:
          a: { addresses: [10.0.1.10] }
          b: { addresses: [10.0.1.11, 10.0.1.10] }
        """,
        "4:31: address 10.0.1.10 is already on interface 'a' (line 3); an address belongs to one interface");

    [Fact]
    public void AddressTwiceOnOneInterface() => Single(
        "version: 1\ninterfaces:\n  a: { addresses: [10.0.1.10, 10.0.1.10] }\n",
        "3:31: address 10.0.1.10 is listed twice in interface 'a': first at line 3");

    [Fact]
    public void InterfaceWithoutAddresses() => Single(
        "version: 1\ninterfaces:\n  a: { security_groups: [] }\n",
        "3:3: interface 'a' needs addresses: a list of its IPv4 and IPv6 addresses");

    [Fact]
    public void SubnetWithoutCidr() => Single(
        "version: 1\nsubnets:\n  a: { network_acl: default }\n",
        "3:3: subnet 'a' needs a cidr (IPv4), an ipv6_cidr, or both");

    [Fact]
    public void OverlappingIpv4Subnets() => Single(
        """
        version: 1
        subnets:
          wide: { cidr: 10.0.0.0/16 }
          other: { cidr: 192.0.2.0/24 }
          narrow: { cidr: 10.0.5.0/24 }
        """,
        "5:19: cidr: subnet 'narrow' (10.0.5.0/24) overlaps subnet 'wide' (10.0.0.0/16, line 3); subnets of a VPC cannot overlap");

    [Fact]
    public void OverlappingSubnetsAreReportedAtTheLaterOneInTheFile() => Single(
        """
        version: 1
        subnets:
          narrow: { cidr: 10.0.5.0/24 }
          wide: { cidr: 10.0.0.0/16 }
        """,
        "4:17: cidr: subnet 'wide' (10.0.0.0/16) overlaps subnet 'narrow' (10.0.5.0/24, line 3); subnets of a VPC cannot overlap");

    [Fact]
    public void OverlappingIpv6Subnets() => Single(
        """
        version: 1
        subnets:
          a: { cidr: 10.0.1.0/24, ipv6_cidr: "2001:db8:1::/64" }
          b: { cidr: 10.0.2.0/24, ipv6_cidr: "2001:db8:1::/64" }
        """,
        "4:38: ipv6_cidr: subnet 'b' (2001:db8:1::/64) overlaps subnet 'a' (2001:db8:1::/64, line 3); subnets of a VPC cannot overlap");

    [Fact]
    public void AdjacentSubnetsDoNotOverlap()
    {
        var ruleset = Loads(
            """
            version: 1
            subnets:
              a: { cidr: 10.0.0.0/25 }
              b: { cidr: 10.0.0.128/25 }
              c: { cidr: 10.0.1.0/24 }
            """);
        Assert.Equal(3, ruleset.Subnets.Count);
    }

    [Fact]
    public void EveryErrorOfAFileIsReportedAtOnceInPositionOrder()
    {
        var errors = Errors(
            """
            version: 1
            subnets:
              public: { cidr: 10.0.1.0/33, network_acl: nope }
            interfaces:
              web: { addresses: [10.0.1.10], subnet: public, security_groups: [web-sg, db-sg] }
            security_groups:
              web-sg:
                inbound:
                  - { protocol: tcp, ports: 99999, source: 0.0.0.0/0 }
                  - { protocol: icmp, icmp_code: 3, source: sg:nope }
            network_acls:
              n:
                outbound:
                  - { rule: 40000, protocol: all, action: permit, destination: 0.0.0.0/0 }
            connection_tracking:
              udp_timeout: 600
            """);
        // The subnet is invalid, so the interface cannot be placed in it, but it is defined: no "unknown subnet".
        Assert.Equal(
            [
                "3:19: cidr: expected an IPv4 CIDR such as 10.0.1.0/24, found '10.0.1.0/33'",
                "3:45: network_acl: unknown network ACL 'nope'; defined network ACLs: n (or omit network_acl for the AWS default)",
                "5:76: security_groups: unknown security group 'db-sg'; defined security groups: web-sg",
                "9:33: ports: expected a port 0-65535 or a range a-b such as 1024-65535, found '99999'",
                "10:27: icmp_code needs an icmp_type: AWS refuses a code without a type",
                "10:49: source: unknown security group 'nope'; defined security groups: web-sg",
                "14:17: rule: expected a rule number 1-32766 (AWS reserves 32767 and up), found '40000'",
                "14:47: action: expected allow or deny, found 'permit'",
                "16:16: udp_timeout: expected a number of seconds 30-60 (the range AWS allows), found '600'",
            ],
            errors);
    }
}
