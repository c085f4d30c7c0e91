using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// Turns a <see cref="RulesetDocument"/> into the Engine's validated <see cref="Ruleset"/>: values parsed,
/// names resolved, NACL rules sorted, cross-references and AWS limits checked. Every error of the file is
/// reported; the ruleset is returned only when there was none.
/// </summary>
public sealed class RulesetValidator
{
    /// <summary>AWS's hard maximum of security groups per network interface (VPC quotas page).</summary>
    public const int MaxGroupsPerInterface = 16;

    private readonly DiagnosticBag _bag;
    private readonly string _file;
    private readonly HashSet<string> _groupNames;
    private readonly HashSet<string> _prefixListNames;
    private readonly HashSet<string> _aclNames;
    private readonly HashSet<string> _allSubnetNames;

    private RulesetValidator(RulesetDocument document, string file, DiagnosticBag bag)
    {
        _bag = bag;
        _file = file;
        _groupNames = document.SecurityGroups.Select(g => g.Name.Value).ToHashSet(StringComparer.Ordinal);
        _prefixListNames = document.PrefixLists.Select(p => p.Name.Value).ToHashSet(StringComparer.Ordinal);
        _aclNames = document.NetworkAcls.Select(a => a.Name.Value).ToHashSet(StringComparer.Ordinal);
        _allSubnetNames = document.Subnets.Select(s => s.Name.Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The ruleset, or null when the bag holds any error (from this step or an earlier one).</summary>
    /// <param name="defaultName">The ruleset's name when the file gives none (the file name without extension).</param>
    public static Ruleset? Validate(RulesetDocument document, string file, string defaultName, DiagnosticBag bag)
    {
        var ruleset = new RulesetValidator(document, file, bag).Build(document, defaultName);
        return bag.HasErrors ? null : ruleset;
    }

    private Ruleset Build(RulesetDocument doc, string defaultName)
    {
        CheckVersion(doc);
        CheckNames("subnet", doc.Subnets.Select(s => s.Name));
        CheckNames("interface", doc.Interfaces.Select(i => i.Name));
        CheckNames("security group", doc.SecurityGroups.Select(g => g.Name));
        CheckNames("network ACL", doc.NetworkAcls.Select(a => a.Name));
        CheckNames("prefix list", doc.PrefixLists.Select(p => p.Name));

        var prefixLists = doc.PrefixLists.Select(ReadPrefixList).ToList();
        var readAcls = doc.NetworkAcls.Select(ReadAcl).ToList();
        var groups = doc.SecurityGroups.Select(ReadGroup).ToList();
        var subnets = ReadSubnets(doc.Subnets);
        var interfaces = ReadInterfaces(doc.Interfaces, subnets);

        var acls = NetworkAcl.WithDefault(readAcls, subnets);

        Cidr? vpcCidr = null;
        if (doc.VpcCidr is { } vpcField && ReadCidr(vpcField, "the VPC's IPv4 CIDR", c => c.IsV6 ? null : "CreateVpc") is { } vpc)
        {
            if (vpc.IsV6)
            {
                _bag.Add(vpcField.Value, $"vpc_cidr: expected the VPC's IPv4 CIDR (it locates the Amazon DNS resolver at its base + 2), found the IPv6 CIDR {vpc}");
            }
            else
            {
                vpcCidr = vpc;
            }
        }

        return new Ruleset(
            doc.Name?.Text ?? defaultName,
            doc.Description?.Text,
            subnets,
            interfaces,
            groups,
            acls,
            prefixLists,
            vpcCidr,
            ReadTracking(doc.ConnectionTracking))
        {
            SourcePath = _file,
            HostBitsCidrs = _hostBits,
        };
    }

    private void CheckVersion(RulesetDocument doc)
    {
        if (doc.Version is not { } version)
        {
            if (doc.Node.Find("version") is null)
            {
                _bag.Add(doc.Node, "missing 'version': expected 'version: 1' (the format version) at the top of the file");
            }
            return;
        }
        if (version.Text != "1")
        {
            _bag.Add(version.Value, $"version: expected 1 (the only format version this loader reads), found '{ScalarNode.Shorten(version.Text)}'");
        }
    }

    private void CheckNames(string kind, IEnumerable<ScalarNode> names)
    {
        foreach (var name in names)
        {
            if (!ValueParser.IsSimpleName(name.Value))
            {
                _bag.Add(name, $"{kind} name '{ScalarNode.Shorten(name.Value)}' is not a simple name: use {ValueParser.SimpleNameRule} (names appear in rule references such as sg:NAME:inbound:1)");
            }
        }
    }

    private SourceLocation Location(YamlNode node) => new(_file, node.Line, node.Column);

    private readonly List<HostBitsCidr> _hostBits = [];

    /// <summary>
    /// A CIDR. Host bits set are accepted where <paramref name="awsPage"/> names the EC2 API page that documents
    /// AWS keeping the network (it returns null where AWS documents no such reading: those stay refused,
    /// so that nothing is guessed); what was written is recorded for lint.
    /// </summary>
    private Cidr? ReadCidr(ScalarField field, string expected, Func<Cidr, string?> awsPage, string? rule = null)
    {
        string? page = null;
        var cidr = ValueParser.Cidr(field, expected, _bag, c => (page = awsPage(c)) is not null, out var cleared);
        if (cleared)
        {
            _hostBits.Add(new HostBitsCidr(field.Text, cidr!.Value, field.Key.Value, page!, Location(field.Value), rule));
        }
        return cidr;
    }

    private PrefixList ReadPrefixList(PrefixListDocument doc)
    {
        var cidrs = new List<Cidr>();
        foreach (var item in doc.Cidrs)
        {
            if (ValueParser.Cidr(new ScalarField(doc.Name, item), "a CIDR", _bag) is { } cidr)
            {
                cidrs.Add(cidr);
            }
        }
        return new PrefixList(doc.Name.Value, cidrs);
    }

    // ---- network ACLs ----

    private NetworkAcl ReadAcl(NetworkAclDocument doc) =>
        new(doc.Name.Value, ReadNaclRules(doc, doc.Inbound), ReadNaclRules(doc, doc.Outbound), doc.Description?.Text);

    private List<NaclRule> ReadNaclRules(NetworkAclDocument acl, IReadOnlyList<NaclRuleDocument> docs)
    {
        var rules = new List<NaclRule>();
        var numbers = new Dictionary<int, NaclRuleDocument>();
        foreach (var doc in docs)
        {
            if (ReadNaclRule(acl, doc, numbers) is { } rule)
            {
                rules.Add(rule);
            }
        }
        // AWS evaluates NACL rules in ascending rule number, whatever order they were written in
        // (VPC "Network ACL rules"). IPv4 and IPv6 rules share one list; the evaluator filters by family.
        rules.Sort((a, b) => a.Number.CompareTo(b.Number));
        return rules;
    }

    private NaclRule? ReadNaclRule(NetworkAclDocument acl, NaclRuleDocument doc, Dictionary<int, NaclRuleDocument> numbers)
    {
        var direction = DirectionText.Name(doc.Direction);
        var what = $"network ACL {direction} rule";
        var ok = true;

        var number = 0;
        if (doc.Rule is not { } ruleField)
        {
            ok = false;
            ReportMissing(doc.Node, "rule", what, "a rule number 1-32766");
        }
        else if (!ValueParser.TryInteger(ruleField, 1, 32766, "a rule number 1-32766 (AWS reserves 32767 and up)", _bag, out number))
        {
            ok = false;
        }
        else if (numbers.TryGetValue(number, out var first))
        {
            ok = false;
            _bag.Add(ruleField.Value, $"rule number {number} is used twice in the {direction} rules of network ACL '{acl.Name.Value}': first at line {first.Rule!.Value.Line}");
        }
        else
        {
            numbers.Add(number, doc);
        }

        var match = ReadMatch(doc.Node, what, doc.Protocol, doc.Ports, doc.IcmpType, doc.IcmpCode);
        ok &= match is not null;

        NaclAction action = default;
        if (doc.Action is not { } actionField)
        {
            ok = false;
            ReportMissing(doc.Node, "action", what, "allow or deny");
        }
        else if (actionField.Text is "allow" or "deny")
        {
            action = actionField.Text == "allow" ? NaclAction.Allow : NaclAction.Deny;
        }
        else
        {
            ok = false;
            _bag.Add(actionField.Value, $"action: expected allow or deny, found '{ScalarNode.Shorten(actionField.Text)}'");
        }

        var peerKey = doc.Direction == Direction.Inbound ? "source" : "destination";
        Cidr cidr = default;
        if (doc.Peer is not { } peerField)
        {
            ok = false;
            if (doc.Node.Find(peerKey) is null)
            {
                ReportMissing(doc.Node, peerKey, what, $"the CIDR of the packet's {peerKey}");
            }
        }
        else if (peerField.Text.StartsWith("sg:", StringComparison.Ordinal) || peerField.Text.StartsWith("pl:", StringComparison.Ordinal))
        {
            // NACL entries carry only a CidrBlock or Ipv6CidrBlock (EC2 API CreateNetworkAclEntry).
            ok = false;
            _bag.Add(peerField.Value, $"{peerKey}: a network ACL rule matches a CIDR only; AWS network ACL entries cannot name security groups (sg:) or prefix lists (pl:), found '{ScalarNode.Shorten(peerField.Text)}'");
        }
        else if (ReadCidr(peerField, "a CIDR such as 10.0.0.0/16 or 2001:db8::/32", c => c.IsV6 ? null : "CreateNetworkAclEntry",
                     $"nacl:{acl.Name.Value}:{direction}:{number}") is { } parsed)
        {
            cidr = parsed;
        }
        else
        {
            ok = false;
        }

        // An icmpv6 rule with an IPv4 CIDR and an icmp_type loads as written: AWS accepts it and matches every
        // type and code (CreateNetworkAclEntry). NaclRule.MatchedIcmp says so; lint warns.
        if (!ok)
        {
            return null;
        }
        var (protocol, ports, icmp) = match!.Value;
        return new NaclRule(acl.Name.Value, doc.Direction, number, action, protocol, ports, icmp, cidr, doc.Description?.Text)
        {
            Location = Location(doc.Node),
        };
    }

    private void ReportMissing(YamlNode node, string key, string what, string expected) =>
        _bag.Add(node, $"missing '{key}' in this {what}: expected {expected}");

    /// <summary>
    /// The fields SG and NACL rules share, kept as written. Ports mean something for tcp/udp and ICMP type and
    /// code for icmp/icmpv6. For protocol all (-1) or any other number AWS accepts both and ignores them (EC2
    /// API IpPermission, CreateNetworkAclEntry), so they load and lint says they have no effect; the rule's
    /// MatchedPorts and MatchedIcmp are what is evaluated. What AWS has no input for is refused: ports on an
    /// icmp/icmpv6 rule (a security group's FromPort/ToPort are the ICMP type and code there) and ICMP fields
    /// on a tcp/udp rule (its FromPort/ToPort are ports).
    /// </summary>
    private (RuleProtocol Protocol, PortRange Ports, IcmpMatch Icmp)? ReadMatch(
        MappingNode node, string what, ScalarField? protocolField, ScalarField? portsField, ScalarField? typeField, ScalarField? codeField)
    {
        var ok = true;
        RuleProtocol? protocol = null;
        if (protocolField is null)
        {
            ok = false;
            if (node.Find("protocol") is null)
            {
                ReportMissing(node, "protocol", what, ValueParser.ProtocolExpected);
            }
        }
        else
        {
            protocol = ValueParser.Protocol(protocolField, _bag);
            ok &= protocol is not null;
        }

        var ports = PortRange.All;
        if (portsField is not null)
        {
            if (protocol is { HasIcmpFields: true } p)
            {
                ok = false;
                _bag.Add(portsField.Key, $"ports apply to tcp and udp rules, not to {p}: AWS documents port ranges for those protocols only (a security group's FromPort and ToPort are the ICMP type and code here); use icmp_type and icmp_code");
            }
            else if (ValueParser.Ports(portsField, _bag) is { } range)
            {
                ports = range;
            }
            else
            {
                ok = false;
            }
        }

        // -1 is AWS's "every type" / "every code" (API IpPermission FromPort/ToPort, NetworkAclEntry
        // IcmpTypeCode), the same as leaving the field out.
        short type = -1, code = -1;
        var typeRead = false;
        foreach (var (field, isType) in new[] { (typeField, true), (codeField, false) })
        {
            if (field is null)
            {
                continue;
            }
            if (protocol is { HasPorts: true } p)
            {
                ok = false;
                _bag.Add(field.Key, $"{field.Key.Value} applies to icmp and icmpv6 rules, not to {p}: AWS documents ICMP types and codes for those protocols only (a security group's FromPort and ToPort are {p} ports)");
            }
            else if (ValueParser.TryInteger(field, -1, 255, isType ? "an ICMP type 0-255, or -1 for every type" : "an ICMP code 0-255, or -1 for every code", _bag, out var value))
            {
                if (isType)
                {
                    type = (short)value;
                    typeRead = true;
                }
                else
                {
                    code = (short)value;
                }
            }
            else
            {
                ok = false;
            }
        }
        // EC2 API IpPermission: "If you specify all ICMP types, you must specify all ICMP codes."
        var icmpFieldsMatch = protocol is not { } rp || rp.HasIcmpFields;
        if (icmpFieldsMatch && codeField is not null && code >= 0)
        {
            if (typeField is null && node.Find("icmp_type") is null)
            {
                ok = false;
                _bag.Add(codeField.Key, "icmp_code needs an icmp_type: AWS refuses a code without a type");
            }
            else if (typeRead && type < 0)
            {
                ok = false;
                _bag.Add(codeField.Key, $"icmp_code {code} with icmp_type -1 (every type): AWS refuses a code without a type; give the type, or leave the code out");
            }
        }
        return ok ? (protocol!.Value, ports, new IcmpMatch(type, code)) : null;
    }

    // ---- security groups ----

    private SecurityGroup ReadGroup(SecurityGroupDocument doc) =>
        new(doc.Name.Value, ReadSgRules(doc, doc.Inbound), ReadSgRules(doc, doc.Outbound), doc.Description?.Text);

    private List<SgRule> ReadSgRules(SecurityGroupDocument group, IReadOnlyList<SgRuleDocument> docs)
    {
        var rules = new List<SgRule>();
        var ids = new Dictionary<string, SgRuleDocument>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (ReadSgRule(group, doc, ids) is { } rule)
            {
                rules.Add(rule);
            }
        }
        return rules;
    }

    private SgRule? ReadSgRule(SecurityGroupDocument group, SgRuleDocument doc, Dictionary<string, SgRuleDocument> ids)
    {
        var direction = DirectionText.Name(doc.Direction);
        var what = $"security group {direction} rule";
        var ok = true;

        // SPEC §3 "Rule references": the rule's id, else its 1-based position in its list.
        var id = doc.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        YamlNode idSite = doc.Node;
        if (doc.Id is { } idField)
        {
            id = idField.Text;
            idSite = idField.Value;
            if (!ValueParser.IsSimpleName(id))
            {
                ok = false;
                _bag.Add(idField.Value, $"id: expected a simple rule id ({ValueParser.SimpleNameRule}), found '{ScalarNode.Shorten(id)}'");
            }
        }
        if (ids.TryGetValue(id, out var first))
        {
            ok = false;
            var firstSite = first.Id?.Value ?? (YamlNode)first.Node;
            _bag.Add(idSite, $"rule id '{ScalarNode.Shorten(id)}' names two {direction} rules of security group '{group.Name.Value}': the other is at line {firstSite.Line} (a rule without an id is named by its position)");
        }
        else
        {
            ids.Add(id, doc);
        }

        var match = ReadMatch(doc.Node, what, doc.Protocol, doc.Ports, doc.IcmpType, doc.IcmpCode);
        ok &= match is not null;

        var peerKey = doc.Direction == Direction.Inbound ? "source" : "destination";
        SgPeer peer = default;
        if (doc.Peer is not { } peerField)
        {
            ok = false;
            if (doc.Node.Find(peerKey) is null)
            {
                ReportMissing(doc.Node, peerKey, what, $"the packet's {peerKey}: a CIDR, sg:NAME or pl:NAME");
            }
        }
        else if (ReadPeer(peerField, $"sg:{group.Name.Value}:{direction}:{id}") is { } parsed)
        {
            peer = parsed;
        }
        else
        {
            ok = false;
        }

        if (!ok)
        {
            return null;
        }
        var (protocol, ports, icmp) = match!.Value;
        return new SgRule(group.Name.Value, doc.Direction, id, protocol, ports, icmp, peer, doc.Description?.Text)
        {
            Location = Location(doc.Node),
        };
    }

    private SgPeer? ReadPeer(ScalarField field, string rule)
    {
        var text = field.Text;
        if (text.StartsWith("sg:", StringComparison.Ordinal))
        {
            var name = text[3..];
            if (_groupNames.Contains(name))
            {
                return SgPeer.ForGroup(name);
            }
            _bag.Add(field.Value, $"{field.Key.Value}: unknown security group '{ScalarNode.Shorten(name)}'; {Known("security groups", _groupNames)}");
            return null;
        }
        if (text.StartsWith("pl:", StringComparison.Ordinal))
        {
            var name = text[3..];
            if (_prefixListNames.Contains(name))
            {
                return SgPeer.ForPrefixList(name);
            }
            _bag.Add(field.Value, $"{field.Key.Value}: unknown prefix list '{ScalarNode.Shorten(name)}'; {Known("prefix lists", _prefixListNames)}");
            return null;
        }
        return ReadCidr(field, "a CIDR such as 10.0.0.0/16 or 2001:db8::/32, sg:NAME or pl:NAME", c => c.IsV6 ? "Ipv6Range" : "IpRange", rule) is { } cidr
            ? SgPeer.ForCidr(cidr)
            : null;
    }

    private readonly Dictionary<string, string> _known = [];

    /// <summary>"defined security groups: a, b" for messages; built once per kind, since a hostile file can hold many bad references.</summary>
    private string Known(string kind, IEnumerable<string> names)
    {
        if (!_known.TryGetValue(kind, out var text))
        {
            var list = names.Order(StringComparer.Ordinal).Take(20).Select(n => ScalarNode.Shorten(n)).ToList();
            text = list.Count == 0 ? $"the file defines no {kind}" : $"defined {kind}: {string.Join(", ", list)}{(names.Count() > 20 ? ", ..." : "")}";
            _known.Add(kind, text);
        }
        return text;
    }

    // ---- subnets ----

    private List<Subnet> ReadSubnets(IReadOnlyList<SubnetDocument> docs)
    {
        var subnets = new List<Subnet>();
        var v4 = new List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)>();
        var v6 = new List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)>();
        foreach (var doc in docs)
        {
            var ok = true;
            Cidr? cidr = null, ipv6 = null;
            if (doc.Cidr is { } cidrField)
            {
                cidr = ReadFamilyCidr(cidrField, v6: false);
                ok &= cidr is not null;
                if (cidr is { } c)
                {
                    v4.Add((c, doc, cidrField));
                }
            }
            if (doc.Ipv6Cidr is { } ipv6Field)
            {
                ipv6 = ReadFamilyCidr(ipv6Field, v6: true);
                ok &= ipv6 is not null;
                if (ipv6 is { } c)
                {
                    v6.Add((c, doc, ipv6Field));
                }
            }
            if (!doc.Node.Entries.Any(e => e.Key.Value is "cidr" or "ipv6_cidr"))
            {
                ok = false;
                _bag.Add(doc.Name, $"subnet '{doc.Name.Value}' needs a cidr (IPv4), an ipv6_cidr, or both");
            }
            var acl = NetworkAcl.DefaultName;
            if (doc.NetworkAcl is { } aclField)
            {
                acl = aclField.Text;
                if (!_aclNames.Contains(acl) && acl != NetworkAcl.DefaultName)
                {
                    ok = false;
                    _bag.Add(aclField.Value, $"network_acl: unknown network ACL '{ScalarNode.Shorten(acl)}'; {Known("network ACLs", _aclNames)} (or omit network_acl for the AWS default)");
                }
            }
            if (ok)
            {
                subnets.Add(new Subnet(doc.Name.Value, cidr, ipv6, acl));
            }
        }
        ReportOverlaps(v4);
        ReportOverlaps(v6);
        return subnets;
    }

    private Cidr? ReadFamilyCidr(ScalarField field, bool v6)
    {
        var expected = v6 ? "an IPv6 CIDR such as 2001:db8:1::/64" : "an IPv4 CIDR such as 10.0.1.0/24";
        if (ReadCidr(field, expected, c => c.IsV6 ? null : "CreateSubnet") is not { } cidr)
        {
            return null;
        }
        if (cidr.IsV6 != v6)
        {
            var hint = v6 ? "IPv4 goes under cidr" : "IPv6 goes under ipv6_cidr";
            _bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found the {(cidr.IsV6 ? "IPv6" : "IPv4")} CIDR {cidr}; {hint}");
            return null;
        }
        return cidr;
    }

    /// <summary>
    /// AWS refuses overlapping subnet CIDRs in a VPC (VPC "Subnet CIDR blocks"), and an address must belong
    /// to one subnet for the path of a packet to be defined. CIDR blocks are either nested or disjoint, so
    /// after sorting by first address a block overlaps an earlier one exactly when it starts before the
    /// furthest end seen so far: O(n log n) even for hostile files.
    /// </summary>
    private void ReportOverlaps(List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)> blocks)
    {
        blocks.Sort((a, b) =>
        {
            var c = a.Cidr.Network.CompareTo(b.Cidr.Network);
            return c != 0 ? c : a.Cidr.PrefixLength.CompareTo(b.Cidr.PrefixLength);
        });
        var widest = -1;
        UInt128 widestEnd = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var (start, end) = Bounds(blocks[i].Cidr);
            if (widest >= 0 && start <= widestEnd)
            {
                var (site, other) = IsBefore(blocks[widest].Field.Value, blocks[i].Field.Value)
                    ? (blocks[i], blocks[widest])
                    : (blocks[widest], blocks[i]);
                _bag.Add(site.Field.Value, $"{site.Field.Key.Value}: subnet '{site.Doc.Name.Value}' ({site.Cidr}) overlaps subnet '{other.Doc.Name.Value}' ({other.Cidr}, line {other.Field.Value.Line}); subnets of a VPC cannot overlap");
            }
            if (widest < 0 || end > widestEnd)
            {
                widest = i;
                widestEnd = end;
            }
        }
    }

    private static bool IsBefore(YamlNode a, YamlNode b) => a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column);

    private static (UInt128 Start, UInt128 End) Bounds(Cidr cidr)
    {
        var start = cidr.Network.Value;
        var hostBits = cidr.Network.BitLength - cidr.PrefixLength;
        var hostMask = hostBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - hostBits);
        return (start, start | hostMask);
    }

    // ---- interfaces ----

    private List<NetworkInterface> ReadInterfaces(IReadOnlyList<InterfaceDocument> docs, List<Subnet> subnets)
    {
        var interfaces = new List<NetworkInterface>();
        var owners = new Dictionary<IpAddr, (InterfaceDocument Interface, ScalarNode Node)>();
        var subnetsByName = subnets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            var ok = true;
            var name = doc.Name.Value;

            Subnet? subnet = null;
            if (doc.Subnet is { } subnetField)
            {
                subnet = subnetsByName.GetValueOrDefault(subnetField.Text);
                if (subnet is null)
                {
                    ok = false;
                    // A subnet that failed validation exists in the file; it is reported already.
                    if (!_allSubnetNames.Contains(subnetField.Text))
                    {
                        _bag.Add(subnetField.Value, $"subnet: unknown subnet '{ScalarNode.Shorten(subnetField.Text)}'; {Known("subnets", _allSubnetNames)}");
                    }
                }
            }

            var addresses = new List<IpAddr>();
            if (doc.Addresses is null || doc.Addresses.Count == 0)
            {
                ok = false;
                if (doc.Addresses is not null || doc.Node.Find("addresses") is null)
                {
                    _bag.Add(doc.Name, $"interface '{name}' needs addresses: a list of its IPv4 and IPv6 addresses");
                }
            }
            foreach (var node in doc.Addresses ?? [])
            {
                if (ValueParser.Address(node, _bag) is not { } address)
                {
                    ok = false;
                    continue;
                }
                if (owners.TryGetValue(address, out var owner))
                {
                    ok = false;
                    _bag.Add(node, owner.Interface == doc
                        ? $"address {address} is listed twice in interface '{name}': first at line {owner.Node.Line}"
                        : $"address {address} is already on interface '{owner.Interface.Name.Value}' (line {owner.Node.Line}); an address belongs to one interface");
                    continue;
                }
                owners.Add(address, (doc, node));
                if (subnet is not null && !subnet.Contains(address))
                {
                    ok = false;
                    var ranges = string.Join(", ", new[] { subnet.Cidr, subnet.Ipv6Cidr }.Where(c => c is not null).Select(c => c!.Value.ToString()));
                    _bag.Add(node, $"address {address} is outside subnet '{subnet.Name}' ({ranges})");
                }
                addresses.Add(address);
            }

            var groups = new List<string>();
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var groupNode in doc.SecurityGroups)
            {
                var group = groupNode.Value;
                if (!_groupNames.Contains(group))
                {
                    ok = false;
                    _bag.Add(groupNode, $"security_groups: unknown security group '{ScalarNode.Shorten(group)}'; {Known("security groups", _groupNames)}");
                }
                else if (!listed.Add(group))
                {
                    ok = false;
                    _bag.Add(groupNode, $"security group '{group}' is listed twice for interface '{name}'");
                }
                else
                {
                    groups.Add(group);
                }
            }
            if (doc.SecurityGroups.Count > MaxGroupsPerInterface)
            {
                ok = false;
                _bag.Add(doc.SecurityGroupsKey!, $"interface '{name}' has {doc.SecurityGroups.Count} security groups; AWS allows at most {MaxGroupsPerInterface} per network interface");
            }

            int? maxTracked = null;
            if (doc.MaxTracked is { } maxField)
            {
                if (ValueParser.TryInteger(maxField, 1, int.MaxValue, "a positive whole number (the most flows the interface tracks)", _bag, out var max))
                {
                    maxTracked = max;
                }
                else
                {
                    ok = false;
                }
            }

            if (ok)
            {
                interfaces.Add(new NetworkInterface(name, addresses, subnet?.Name, groups, maxTracked));
            }
        }
        return interfaces;
    }

    // ---- connection tracking ----

    private TrackingSettings ReadTracking(TrackingDocument? doc)
    {
        var settings = TrackingSettings.Default;
        foreach (var field in doc?.Timeouts ?? [])
        {
            var timeout = TrackingTimeouts.Find(field.Key.Value)!;
            var source = timeout.SetByAws ? "the range AWS allows" : "AWS publishes no value; this project's bound";
            if (ValueParser.TryInteger(field, timeout.Min, timeout.Max, $"a number of seconds {timeout.Min}-{timeout.Max} ({source})", _bag, out var seconds))
            {
                settings = timeout.Apply(settings, seconds);
            }
        }
        return settings;
    }
}
