namespace Firewall.Rulesets.Tests.Validation;

using static LoaderAssert;

/// <summary>Keys, shapes, duplicates and the version: what the document reader and YAML layer report.</summary>
public class StructureErrorTests
{
    private const string RootKeys = "version, name, description, subnets, interfaces, security_groups, network_acls, prefix_lists, vpc_cidr, connection_tracking";

    [Fact]
    public void UnknownRootKeyListsTheAllowedKeys() => Single(
        """
        version: 1
        subnet:
          a: { cidr: 10.0.0.0/24 }
        """,
        $"2:1: unknown key 'subnet' in a ruleset; expected one of: {RootKeys}");

    [Fact]
    public void UnknownKeyInARule() => Single(
        """
        version: 1
        security_groups:
          g:
            inbound:
              - { protocol: tcp, port: 22, source: 10.0.0.0/8 }
        """,
        "5:26: unknown key 'port' in a security group inbound rule; expected one of: id, protocol, ports, icmp_type, icmp_code, source, description");

    [Fact]
    public void DestinationInAnInboundGroupRuleIsNamedAsMisplaced() => Single(
        """
        version: 1
        security_groups:
          g:
            inbound:
              - { protocol: tcp, ports: 22, source: 10.0.0.0/8, destination: 10.0.0.0/8 }
        """,
        "5:57: an inbound security group rule matches the packet's source: write 'source', not 'destination'");

    [Fact]
    public void SourceInAnOutboundAclRuleIsNamedAsMisplaced() => Errors(
        """
        version: 1
        network_acls:
          n:
            outbound:
              - { rule: 1, protocol: all, action: allow, source: 10.0.0.0/8 }
        """).ShouldBe(
        "5:9: missing 'destination' in this network ACL outbound rule: expected the CIDR of the packet's destination",
        "5:50: an outbound network ACL rule matches the packet's destination: write 'destination', not 'source'");

    [Fact]
    public void DuplicateKeyIsReportedAtTheSecondNamingTheFirst() => Single(
        """
        version: 1
        subnets:
          a:
            cidr: 10.0.0.0/24
            cidr: 10.0.1.0/24
        """,
        "5:5: duplicate key 'cidr': it was first given at line 4");

    [Fact]
    public void DuplicateNameOfAGroupIsADuplicateKey() => Single(
        """
        version: 1
        security_groups:
          web: {}
          web: {}
        """,
        "4:3: duplicate key 'web': it was first given at line 3");

    [Fact]
    public void ScalarWhereAListIsExpected() => Single(
        """
        version: 1
        interfaces:
          i:
            addresses: 10.0.0.5
        """,
        "4:16: addresses: expected a list of addresses, found a scalar '10.0.0.5'");

    [Fact]
    public void ListWhereAMappingIsExpected() => Single(
        """
        version: 1
        subnets:
          - 10.0.0.0/24
        """,
        "3:3: subnets: expected subnets by name, found a list");

    [Fact]
    public void MappingWhereAScalarIsExpected() => Single(
        """
        version: 1
        vpc_cidr: { cidr: 10.0.0.0/16 }
        """,
        "2:11: vpc_cidr: expected the VPC's IPv4 CIDR, found a mapping");

    [Fact]
    public void EmptyValueWhereAScalarIsExpected() => Single(
        """
        version: 1
        subnets:
          a:
            cidr:
        """,
        "4:10: cidr: expected an IPv4 CIDR, found nothing");

    [Fact]
    public void RuleThatIsNotAMapping() => Single(
        """
        version: 1
        security_groups:
          g:
            inbound:
              - tcp 22
        """,
        "5:9: expected a security group inbound rule (a mapping with keys id, protocol, ports, icmp_type, icmp_code, source, description), found a scalar 'tcp 22'");

    [Fact]
    public void RootThatIsNotAMapping() => Single(
        "- version: 1\n",
        "1:1: expected a ruleset (a mapping starting with 'version: 1'), found a list");

    [Fact]
    public void MissingVersion() => Single(
        "name: x\n",
        "1:1: missing 'version': expected 'version: 1' (the format version) at the top of the file");

    [Fact]
    public void VersionOtherThanOne() => Single(
        "version: 2\n",
        "1:10: version: expected 1 (the only format version this loader reads), found '2'");

    [Fact]
    public void EmptyFile() => Single(
        "# nothing here\n",
        "1:1: the file is empty: expected a ruleset starting with 'version: 1'");

    [Fact]
    public void NamesMustBeSimple() => Single(
        """
        version: 1
        security_groups:
          "web:sg": {}
        """,
        "3:3: security group name 'web:sg' is not a simple name: use letters, digits, '-', '_' and '.' (names appear in rule references such as sg:NAME:inbound:1)");

    [Fact]
    public void UnknownTimeoutKey() => Single(
        """
        version: 1
        connection_tracking:
          other_timeout: 600
        """,
        "3:3: unknown key 'other_timeout' in connection_tracking; expected one of: tcp_established_timeout, udp_timeout, udp_stream_timeout, tcp_syn_sent_timeout, tcp_syn_recv_timeout, tcp_fin_wait_timeout, tcp_close_wait_timeout, tcp_last_ack_timeout, tcp_time_wait_timeout, tcp_close_timeout, icmp_timeout");
}

internal static class ErrorListAssert
{
    public static void ShouldBe(this string[] actual, params string[] expected) => Assert.Equal(expected, actual);
}
