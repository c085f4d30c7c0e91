namespace Firewall.Rulesets.Tests.Validation;

using static LoaderAssert;

/// <summary>Values: CIDRs, addresses, ports, protocols, ICMP fields, rule numbers, actions, timeouts.</summary>
public class ValueErrorTests
{
    /// <summary>A group with one inbound rule whose fields start on line 5, column 9 (the rule's position).</summary>
    private static string SgInbound(params string[] fields) =>
        "version: 1\nsecurity_groups:\n  g:\n    inbound:\n      - " + string.Join("\n        ", fields) + "\n";

    /// <summary>An ACL with one inbound rule whose fields start on line 5, column 9.</summary>
    private static string NaclInbound(params string[] fields) =>
        "version: 1\nnetwork_acls:\n  n:\n    inbound:\n      - " + string.Join("\n        ", fields) + "\n";

    /// <summary>
    /// Host bits are accepted only where an EC2 API page documents AWS keeping the network (AwsAcceptedTests);
    /// a NACL's IPv6 CIDR, a subnet's IPv6 CIDR and a prefix-list entry have no such page.
    /// </summary>
    [Fact]
    public void Ipv6AclCidrWithHostBitsSuggestsTheNetwork() => Single(
        NaclInbound("rule: 1", "protocol: all", "action: allow", "source: 2001:db8::1/64"),
        "8:17: 2001:db8::1/64 has host bits set; did you mean 2001:db8::/64?");

    [Fact]
    public void Ipv6SubnetCidrWithHostBitsSuggestsTheNetwork() => Single(
        "version: 1\nsubnets:\n  a: { ipv6_cidr: \"2001:db8:1::5/64\" }\n",
        "3:19: 2001:db8:1::5/64 has host bits set; did you mean 2001:db8:1::/64?");

    [Fact]
    public void PrefixListEntryWithHostBitsSuggestsTheNetwork() => Single(
        "version: 1\nprefix_lists:\n  office: [198.51.100.7/24]\n",
        "3:12: 198.51.100.7/24 has host bits set; did you mean 198.51.100.0/24?");

    [Fact]
    public void MalformedCidr() => Single(
        SgInbound("protocol: all", "source: 10.0.0.0/33"),
        "6:17: source: expected a CIDR such as 10.0.0.0/16 or 2001:db8::/32, sg:NAME or pl:NAME, found '10.0.0.0/33'");

    [Fact]
    public void BareAddressWhereACidrIsExpected() => Single(
        SgInbound("protocol: all", "source: 203.0.113.7"),
        "6:17: source: expected a CIDR such as 10.0.0.0/16 or 2001:db8::/32, sg:NAME or pl:NAME, found the address 203.0.113.7; a single host is written 203.0.113.7/32");

    [Fact]
    public void Ipv6CidrUnderCidr() => Single(
        "version: 1\nsubnets:\n  a:\n    cidr: 2001:db8::/64\n",
        "4:11: cidr: expected an IPv4 CIDR such as 10.0.1.0/24, found the IPv6 CIDR 2001:db8::/64; IPv6 goes under ipv6_cidr");

    [Fact]
    public void Ipv4CidrUnderIpv6Cidr() => Single(
        "version: 1\nsubnets:\n  a:\n    ipv6_cidr: 10.0.0.0/24\n",
        "4:16: ipv6_cidr: expected an IPv6 CIDR such as 2001:db8:1::/64, found the IPv4 CIDR 10.0.0.0/24; IPv4 goes under cidr");

    [Fact]
    public void Ipv6VpcCidr() => Single(
        "version: 1\nvpc_cidr: 2001:db8::/56\n",
        "2:11: vpc_cidr: expected the VPC's IPv4 CIDR (it locates the Amazon DNS resolver at its base + 2), found the IPv6 CIDR 2001:db8::/56");

    [Fact]
    public void BadPrefixListEntry() => Single(
        "version: 1\nprefix_lists:\n  office:\n    - 198.51.100.0/24\n    - 198.51.100.300/32\n",
        "5:7: office: expected a CIDR, found '198.51.100.300/32'");

    [Fact]
    public void BadAddress() => Single(
        "version: 1\ninterfaces:\n  i:\n    addresses: [10.0.0.5, 10.0.0.256]\n",
        "4:27: addresses: expected an IPv4 or IPv6 address, found '10.0.0.256'");

    [Fact]
    public void CidrWhereAnAddressIsExpected() => Single(
        "version: 1\ninterfaces:\n  i:\n    addresses: [10.0.0.5/32]\n",
        "4:17: addresses: expected an address, found the CIDR 10.0.0.5/32; write the address without a prefix length");

    [Fact]
    public void PortThatIsNotANumber() => Single(
        SgInbound("protocol: tcp", "ports: https", "source: 0.0.0.0/0"),
        "6:16: ports: expected a port 0-65535 or a range a-b such as 1024-65535, found 'https'");

    [Fact]
    public void PortAbove65535() => Single(
        SgInbound("protocol: udp", "ports: 1024-65536", "source: 0.0.0.0/0"),
        "6:16: ports: expected a port 0-65535 or a range a-b such as 1024-65535, found '1024-65536'");

    [Fact]
    public void PortRangeBackwards() => Single(
        NaclInbound("rule: 1", "protocol: tcp", "ports: 2000-1000", "action: allow", "source: 0.0.0.0/0"),
        "7:16: ports: the range 2000-1000 ends before it starts; write 1000-2000");

    /// <summary>
    /// No AWS input means "icmp, port 22": a security group's FromPort and ToPort are the ICMP type and code
    /// for icmp/icmpv6 (API IpPermission), and NACL port ranges are documented for tcp/udp only.
    /// </summary>
    [Theory]
    [InlineData("icmp")]
    [InlineData("icmpv6")]
    [InlineData("1")]
    [InlineData("58")]
    public void PortsOnAnIcmpRule(string protocol)
    {
        var shown = protocol switch { "1" => "icmp", "58" => "icmpv6", _ => protocol };
        var expected = $"ports apply to tcp and udp rules, not to {shown}: AWS documents port ranges for those protocols only (a security group's FromPort and ToPort are the ICMP type and code here); use icmp_type and icmp_code";
        Single(SgInbound($"protocol: {protocol}", "ports: 22", "source: 0.0.0.0/0"), $"6:9: {expected}");
        Single(NaclInbound("rule: 1", $"protocol: {protocol}", "ports: 22", "action: allow", "source: \"::/0\""), $"7:9: {expected}");
    }

    [Theory]
    [InlineData("tcp", "icmp_type: 8")]
    [InlineData("udp", "icmp_code: 0")]
    [InlineData("6", "icmp_type: 8")]
    public void IcmpFieldOnATcpOrUdpRule(string protocol, string field)
    {
        var shown = protocol == "6" ? "tcp" : protocol;
        var key = field[..field.IndexOf(':')];
        var expected = $"{key} applies to icmp and icmpv6 rules, not to {shown}: AWS documents ICMP types and codes for those protocols only (a security group's FromPort and ToPort are {shown} ports)";
        Single(NaclInbound("rule: 1", $"protocol: {protocol}", field, "action: allow", "source: 0.0.0.0/0"), $"7:9: {expected}");
        Single(SgInbound($"protocol: {protocol}", field, "source: 0.0.0.0/0"), $"6:9: {expected}");
    }

    [Fact]
    public void PortsThatAwsIgnoresMustStillBeWellFormed() => Single(
        SgInbound("protocol: all", "ports: https", "source: 0.0.0.0/0"),
        "6:16: ports: expected a port 0-65535 or a range a-b such as 1024-65535, found 'https'");

    [Fact]
    public void IcmpCodeWithoutType() => Single(
        SgInbound("protocol: icmp", "icmp_code: 4", "source: 0.0.0.0/0"),
        "6:9: icmp_code needs an icmp_type: AWS refuses a code without a type");

    [Fact]
    public void IcmpCodeWithEveryType() => Single(
        NaclInbound("rule: 1", "protocol: icmp", "icmp_type: -1", "icmp_code: 4", "action: allow", "source: 0.0.0.0/0"),
        "8:9: icmp_code 4 with icmp_type -1 (every type): AWS refuses a code without a type; give the type, or leave the code out");

    [Fact]
    public void IcmpTypeAbove255() => Single(
        SgInbound("protocol: icmpv6", "icmp_type: 256", "source: \"::/0\""),
        "6:20: icmp_type: expected an ICMP type 0-255, or -1 for every type, found '256'");

    [Fact]
    public void IcmpCodeBelowMinusOne() => Single(
        SgInbound("protocol: icmp", "icmp_type: 3", "icmp_code: -2", "source: 0.0.0.0/0"),
        "7:20: icmp_code: expected an ICMP code 0-255, or -1 for every code, found '-2'");

    [Theory]
    [InlineData("tcpp")]
    [InlineData("TCP")]
    [InlineData("256")]
    [InlineData("-2")]
    [InlineData("0x06")]
    public void UnknownProtocol(string protocol) => Single(
        SgInbound($"protocol: {protocol}", "source: 0.0.0.0/0"),
        $"5:19: protocol: expected all, -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255, found '{protocol}'");

    [Theory]
    [InlineData("0")]
    [InlineData("32767")]
    [InlineData("1e3")]
    [InlineData("+100")]
    public void AclRuleNumberOutsideRange(string number) => Single(
        NaclInbound($"rule: {number}", "protocol: all", "action: allow", "source: 0.0.0.0/0"),
        $"5:15: rule: expected a rule number 1-32766 (AWS reserves 32767 and up), found '{number}'");

    [Fact]
    public void AclRuleNumberRepeatedInOneDirection() => Single(
        """
        version: 1
        network_acls:
          n:
            inbound:
              - { rule: 100, protocol: all, action: allow, source: 0.0.0.0/0 }
              - { rule: 100, protocol: tcp, action: deny, source: 10.0.0.0/8 }
            outbound:
              - { rule: 100, protocol: all, action: allow, destination: 0.0.0.0/0 }
        """,
        "6:17: rule number 100 is used twice in the inbound rules of network ACL 'n': first at line 5");

    [Fact]
    public void AclActionOtherThanAllowOrDeny() => Single(
        NaclInbound("rule: 1", "protocol: all", "action: accept", "source: 0.0.0.0/0"),
        "7:17: action: expected allow or deny, found 'accept'");

    [Theory]
    [InlineData("sg:web")]
    [InlineData("pl:office")]
    public void AclRuleNamingAGroupOrPrefixList(string peer) => Single(
        NaclInbound("rule: 1", "protocol: all", "action: allow", $"source: {peer}"),
        $"8:17: source: a network ACL rule matches a CIDR only; AWS network ACL entries cannot name security groups (sg:) or prefix lists (pl:), found '{peer}'");

    [Fact]
    public void AclRuleMissingSource() => Single(
        NaclInbound("rule: 1", "protocol: all", "action: allow"),
        "5:9: missing 'source' in this network ACL inbound rule: expected the CIDR of the packet's source");

    [Fact]
    public void AclRuleMissingRuleNumberAndAction() => Errors(
        NaclInbound("protocol: all", "source: 0.0.0.0/0")).ShouldBe(
        "5:9: missing 'rule' in this network ACL inbound rule: expected a rule number 1-32766",
        "5:9: missing 'action' in this network ACL inbound rule: expected allow or deny");

    [Fact]
    public void GroupRuleMissingSource() => Single(
        SgInbound("protocol: tcp", "ports: 22"),
        "5:9: missing 'source' in this security group inbound rule: expected the packet's source: a CIDR, sg:NAME or pl:NAME");

    [Fact]
    public void GroupRuleMissingDestination() => Single(
        "version: 1\nsecurity_groups:\n  g:\n    outbound:\n      - { protocol: all }\n",
        "5:9: missing 'destination' in this security group outbound rule: expected the packet's destination: a CIDR, sg:NAME or pl:NAME");

    [Fact]
    public void GroupRuleMissingProtocol() => Single(
        SgInbound("source: 0.0.0.0/0"),
        "5:9: missing 'protocol' in this security group inbound rule: expected all, -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255");

    [Fact]
    public void RuleIdThatIsNotSimple() => Single(
        SgInbound("id: ssh from office", "protocol: tcp", "ports: 22", "source: 0.0.0.0/0"),
        "5:13: id: expected a simple rule id (letters, digits, '-', '_' and '.'), found 'ssh from office'");

    [Fact]
    public void RuleIdRepeatedInOneDirection() => Single(
        """
        version: 1
        security_groups:
          g:
            inbound:
              - { id: ssh, protocol: tcp, ports: 22, source: 10.0.0.0/8 }
              - { id: ssh, protocol: tcp, ports: 22, source: 192.0.2.0/24 }
        """,
        "6:15: rule id 'ssh' names two inbound rules of security group 'g': the other is at line 5 (a rule without an id is named by its position)");

    [Fact]
    public void RuleIdEqualToAnotherRulesPosition() => Single(
        """
        version: 1
        security_groups:
          g:
            inbound:
              - { protocol: tcp, ports: 22, source: 10.0.0.0/8 }
              - { id: 1, protocol: tcp, ports: 22, source: 192.0.2.0/24 }
        """,
        "6:15: rule id '1' names two inbound rules of security group 'g': the other is at line 5 (a rule without an id is named by its position)");

    [Theory]
    [InlineData("tcp_established_timeout", "59", "60-432000 (the range AWS allows)")]
    [InlineData("tcp_established_timeout", "432001", "60-432000 (the range AWS allows)")]
    [InlineData("udp_timeout", "29", "30-60 (the range AWS allows)")]
    [InlineData("udp_timeout", "61", "30-60 (the range AWS allows)")]
    [InlineData("udp_stream_timeout", "59", "60-180 (the range AWS allows)")]
    [InlineData("udp_stream_timeout", "181", "60-180 (the range AWS allows)")]
    [InlineData("tcp_syn_sent_timeout", "0", "1-86400 (AWS publishes no value; this project's bound)")]
    [InlineData("icmp_timeout", "86401", "1-86400 (AWS publishes no value; this project's bound)")]
    [InlineData("tcp_close_timeout", "ten", "1-86400 (AWS publishes no value; this project's bound)")]
    public void TimeoutOutsideItsRange(string key, string value, string range) => Single(
        $"version: 1\nconnection_tracking:\n  {key}: {value}\n",
        $"3:{key.Length + 5}: {key}: expected a number of seconds {range}, found '{value}'");

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("2147483648")]
    public void MaxTrackedNotPositive(string value) => Single(
        $"version: 1\ninterfaces:\n  i:\n    addresses: [10.0.0.5]\n    max_tracked: {value}\n",
        $"5:18: max_tracked: expected a positive whole number (the most flows the interface tracks), found '{value}'");
}

/// <summary>
/// IPv4 text the platform parser would read as octal or hex (inet_aton rules) is refused: "010.0.0.1"
/// must not silently become 8.0.0.1.
/// </summary>
public class AmbiguousAddressTextTests
{
    private const string Hint = " (write IPv4 as four decimal numbers 0-255 without leading zeros; 010 would be read as octal)";

    [Theory]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.010")]
    [InlineData("0x0a.0.0.1")]
    public void AddressWithLeadingZerosOrHex(string address) => Single(
        $"version: 1\ninterfaces:\n  i:\n    addresses: [{address}]\n",
        $"4:17: addresses: expected an IPv4 or IPv6 address, found '{address}'{Hint}");

    [Theory]
    [InlineData("010.0.0.0/8", Hint)]
    [InlineData("10.0.0.0/08", "")]
    [InlineData("10.0.0.0/+8", "")]
    public void CidrWithLeadingZeros(string cidr, string hint) => Single(
        $"version: 1\nprefix_lists:\n  p: [{cidr}]\n",
        $"3:7: p: expected a CIDR, found '{cidr}'{hint}");

    [Fact]
    public void ZeroOctetsAndIpv4MappedIpv6AreFine()
    {
        var r = Loads("version: 1\nprefix_lists:\n  p: [0.0.0.0/0, 10.0.0.0/8, \"::ffff:10.0.0.0/104\"]\n");
        Assert.Equal(3, r.PrefixLists[0].Cidrs.Count);
    }
}
