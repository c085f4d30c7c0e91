using Firewall.Engine.Model;
using Firewall.Rulesets.Validation;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Documents;

/// <summary>
/// Reads the YAML tree into <see cref="RulesetDocument"/>: which keys may appear where, and whether each
/// value is a scalar, a list or a mapping. Every problem is reported and reading goes on, so that one run
/// shows all of a file's errors. Values are not interpreted here.
/// </summary>
public static class RulesetDocumentReader
{
    private static readonly string[] RootKeys =
        ["version", "name", "description", "subnets", "interfaces", "security_groups", "network_acls", "prefix_lists", "vpc_cidr", "connection_tracking"];

    private static readonly string[] SubnetKeys = ["cidr", "ipv6_cidr", "network_acl", "description"];
    private static readonly string[] InterfaceKeys = ["addresses", "subnet", "security_groups", "max_tracked", "description"];
    private static readonly string[] GroupKeys = ["description", "inbound", "outbound"];
    private static readonly string[] AclKeys = ["description", "inbound", "outbound"];
    private static readonly string[] SgInboundKeys = ["id", "protocol", "ports", "icmp_type", "icmp_code", "source", "description"];
    private static readonly string[] SgOutboundKeys = ["id", "protocol", "ports", "icmp_type", "icmp_code", "destination", "description"];
    private static readonly string[] NaclInboundKeys = ["rule", "protocol", "ports", "icmp_type", "icmp_code", "source", "action", "description"];
    private static readonly string[] NaclOutboundKeys = ["rule", "protocol", "ports", "icmp_type", "icmp_code", "destination", "action", "description"];

    public static RulesetDocument? Read(YamlNode root, DiagnosticBag bag)
    {
        if (root is not MappingNode)
        {
            bag.Add(root, $"expected a ruleset (a mapping starting with 'version: 1'), found {root.Describe()}");
            return null;
        }
        var m = StrictMapping.Open(root, "a ruleset", RootKeys, bag)!;
        return new RulesetDocument(
            m.Node,
            m.Scalar("version", "the format version 1"),
            m.Scalar("name", "the ruleset's name"),
            m.Scalar("description", "a text"),
            Named(m, "subnets", "subnets by name", ReadSubnet, bag),
            Named(m, "interfaces", "network interfaces by name", ReadInterface, bag),
            Named(m, "security_groups", "security groups by name", ReadGroup, bag),
            Named(m, "network_acls", "network ACLs by name", ReadAcl, bag),
            Named(m, "prefix_lists", "prefix lists by name (each a list of CIDRs)", ReadPrefixList, bag),
            m.Scalar("vpc_cidr", "the VPC's IPv4 CIDR"),
            ReadTracking(m, bag));
    }

    private static IReadOnlyList<T> Named<T>(StrictMapping parent, string key, string expected, Func<ScalarNode, YamlNode, DiagnosticBag, T?> read, DiagnosticBag bag)
        where T : class
    {
        var result = new List<T>();
        foreach (var entry in parent.Mapping(key, expected) ?? [])
        {
            if (read(entry.Key, entry.Value, bag) is { } item)
            {
                result.Add(item);
            }
        }
        return result;
    }

    private static SubnetDocument? ReadSubnet(ScalarNode name, YamlNode node, DiagnosticBag bag)
    {
        if (StrictMapping.Open(node, $"subnet '{ScalarNode.Shorten(name.Value)}'", SubnetKeys, bag) is not { } m)
        {
            return null;
        }
        m.Scalar("description", "a text");
        return new SubnetDocument(name, m.Node, m.Scalar("cidr", "an IPv4 CIDR"), m.Scalar("ipv6_cidr", "an IPv6 CIDR"), m.Scalar("network_acl", "a network ACL's name"));
    }

    private static InterfaceDocument? ReadInterface(ScalarNode name, YamlNode node, DiagnosticBag bag)
    {
        if (StrictMapping.Open(node, $"interface '{ScalarNode.Shorten(name.Value)}'", InterfaceKeys, bag) is not { } m)
        {
            return null;
        }
        m.Scalar("description", "a text");
        var addresses = m.Has("addresses") ? m.ScalarList("addresses", "a list of addresses", "an address") : null;
        return new InterfaceDocument(
            name,
            m.Node,
            addresses,
            m.Scalar("subnet", "a subnet's name"),
            m.Entry("security_groups")?.Key,
            m.ScalarList("security_groups", "a list of security group names", "a security group's name") ?? [],
            m.Scalar("max_tracked", "a positive whole number"));
    }

    private static SecurityGroupDocument? ReadGroup(ScalarNode name, YamlNode node, DiagnosticBag bag)
    {
        if (StrictMapping.Open(node, $"security group '{ScalarNode.Shorten(name.Value)}'", GroupKeys, bag, nullIsEmpty: true) is not { } m)
        {
            return null;
        }
        return new SecurityGroupDocument(
            name,
            m.Scalar("description", "a text"),
            ReadSgRules(m, Direction.Inbound, bag),
            ReadSgRules(m, Direction.Outbound, bag));
    }

    private static List<SgRuleDocument> ReadSgRules(StrictMapping group, Direction direction, DiagnosticBag bag)
    {
        var key = DirectionText.Name(direction);
        var result = new List<SgRuleDocument>();
        var items = group.List(key, "a list of rules") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var m = StrictMapping.Open(
                items[i],
                $"a security group {key} rule",
                direction == Direction.Inbound ? SgInboundKeys : SgOutboundKeys,
                bag,
                k => MisplacedPeer(k, direction, "security group"));
            if (m is null)
            {
                continue;
            }
            result.Add(new SgRuleDocument(
                m.Node,
                direction,
                i + 1,
                m.Scalar("protocol", "a protocol"),
                m.Scalar("ports", "a port or a range a-b"),
                m.Scalar("icmp_type", "an ICMP type 0-255"),
                m.Scalar("icmp_code", "an ICMP code 0-255"),
                m.Scalar(PeerKey(direction), "a CIDR, sg:NAME or pl:NAME"),
                m.Scalar("id", "a rule id"),
                m.Scalar("description", "a text")));
        }
        return result;
    }

    private static NetworkAclDocument? ReadAcl(ScalarNode name, YamlNode node, DiagnosticBag bag)
    {
        if (StrictMapping.Open(node, $"network ACL '{ScalarNode.Shorten(name.Value)}'", AclKeys, bag, nullIsEmpty: true) is not { } m)
        {
            return null;
        }
        return new NetworkAclDocument(
            name,
            m.Scalar("description", "a text"),
            ReadNaclRules(m, Direction.Inbound, bag),
            ReadNaclRules(m, Direction.Outbound, bag));
    }

    private static List<NaclRuleDocument> ReadNaclRules(StrictMapping acl, Direction direction, DiagnosticBag bag)
    {
        var key = DirectionText.Name(direction);
        var result = new List<NaclRuleDocument>();
        foreach (var item in acl.List(key, "a list of rules") ?? [])
        {
            var m = StrictMapping.Open(
                item,
                $"a network ACL {key} rule",
                direction == Direction.Inbound ? NaclInboundKeys : NaclOutboundKeys,
                bag,
                k => MisplacedPeer(k, direction, "network ACL"));
            if (m is null)
            {
                continue;
            }
            result.Add(new NaclRuleDocument(
                m.Node,
                direction,
                m.Scalar("rule", "a rule number 1-32766"),
                m.Scalar("protocol", "a protocol"),
                m.Scalar("ports", "a port or a range a-b"),
                m.Scalar("icmp_type", "an ICMP type 0-255"),
                m.Scalar("icmp_code", "an ICMP code 0-255"),
                m.Scalar(PeerKey(direction), "a CIDR"),
                m.Scalar("action", "allow or deny"),
                m.Scalar("description", "a text")));
        }
        return result;
    }

    private static string PeerKey(Direction direction) => direction == Direction.Inbound ? "source" : "destination";

    /// <summary>
    /// Inbound rules match the packet's source and outbound rules its destination (AWS "Security group
    /// rules", "Network ACL rules"); the other key is a common slip worth its own message.
    /// </summary>
    private static string? MisplacedPeer(string key, Direction direction, string kind) => (key, direction) switch
    {
        ("destination", Direction.Inbound) => $"an inbound {kind} rule matches the packet's source: write 'source', not 'destination'",
        ("source", Direction.Outbound) => $"an outbound {kind} rule matches the packet's destination: write 'destination', not 'source'",
        _ => null,
    };

    private static PrefixListDocument? ReadPrefixList(ScalarNode name, YamlNode node, DiagnosticBag bag)
    {
        if (node is ScalarNode { IsNull: true })
        {
            return new PrefixListDocument(name, []);
        }
        if (node is not SequenceNode list)
        {
            bag.Add(node, $"prefix list '{ScalarNode.Shorten(name.Value)}': expected a list of CIDRs, found {node.Describe()}");
            return null;
        }
        var cidrs = new List<ScalarNode>();
        foreach (var item in list.Items)
        {
            if (item is ScalarNode { IsNull: false } scalar)
            {
                cidrs.Add(scalar);
            }
            else
            {
                bag.Add(item, $"prefix list '{ScalarNode.Shorten(name.Value)}': expected a CIDR, found {item.Describe()}");
            }
        }
        return new PrefixListDocument(name, cidrs);
    }

    private static TrackingDocument? ReadTracking(StrictMapping root, DiagnosticBag bag)
    {
        if (root.Entry("connection_tracking") is not { } entry
            || StrictMapping.Open(entry.Value, "connection_tracking", TrackingTimeouts.Keys, bag, nullIsEmpty: true) is not { } m)
        {
            return null;
        }
        var timeouts = new List<ScalarField>();
        foreach (var key in TrackingTimeouts.Keys)
        {
            if (m.Scalar(key, "a number of seconds") is { } field)
            {
                timeouts.Add(field);
            }
        }
        return new TrackingDocument(m.Node, timeouts);
    }
}
