using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>A security group's rules: ids unique per direction, peers resolved to a CIDR, a group or a prefix list.</summary>
internal sealed class SecurityGroupValidator(ValidationContext context)
{
    private readonly RuleMatchValidator _match = new(context);

    private DiagnosticBag Bag => context.Bag;

    public SecurityGroup Read(SecurityGroupDocument doc) =>
        new(doc.Name.Value, ReadRules(doc, doc.Inbound), ReadRules(doc, doc.Outbound), doc.Description?.Text);

    private List<SgRule> ReadRules(SecurityGroupDocument group, IReadOnlyList<SgRuleDocument> docs)
    {
        var rules = new List<SgRule>();
        var ids = new Dictionary<string, SgRuleDocument>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (ReadRule(group, doc, ids) is { } rule)
            {
                rules.Add(rule);
            }
        }
        return rules;
    }

    private SgRule? ReadRule(SecurityGroupDocument group, SgRuleDocument doc, Dictionary<string, SgRuleDocument> ids)
    {
        var direction = DirectionText.Name(doc.Direction);
        var what = $"security group {direction} rule";
        var ok = TryReadId(group, doc, ids, out var id);
        var match = _match.Read(doc.Node, what, doc.Protocol, doc.Ports, doc.IcmpType, doc.IcmpCode);
        ok &= match is not null;

        var peerKey = doc.Direction == Direction.Inbound ? "source" : "destination";
        SgPeer peer = default;
        if (doc.Peer is not { } peerField)
        {
            ok = false;
            if (doc.Node.Find(peerKey) is null)
            {
                context.ReportMissing(doc.Node, peerKey, what, $"the packet's {peerKey}: a CIDR, sg:NAME or pl:NAME");
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
            Location = context.Location(doc.Node),
        };
    }

    /// <summary>A rule's reference: its id, else its 1-based position in its list (docs/ruleset-format.md).</summary>
    private bool TryReadId(SecurityGroupDocument group, SgRuleDocument doc, Dictionary<string, SgRuleDocument> ids, out string id)
    {
        var ok = true;
        id = doc.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        YamlNode idSite = doc.Node;
        if (doc.Id is { } idField)
        {
            id = idField.Text;
            idSite = idField.Value;
            if (!ValueParser.IsSimpleName(id))
            {
                ok = false;
                Bag.Add(idField.Value, $"id: expected a simple rule id ({ValueParser.SimpleNameRule}), found '{ScalarNode.Shorten(id)}'");
            }
        }
        if (ids.TryGetValue(id, out var first))
        {
            var firstSite = first.Id?.Value ?? (YamlNode)first.Node;
            Bag.Add(idSite, $"rule id '{ScalarNode.Shorten(id)}' names two {DirectionText.Name(doc.Direction)} rules of security group '{group.Name.Value}': the other is at line {firstSite.Line} (a rule without an id is named by its position)");
            return false;
        }
        ids.Add(id, doc);
        return ok;
    }

    private SgPeer? ReadPeer(ScalarField field, string rule)
    {
        if (field.Text.StartsWith("sg:", StringComparison.Ordinal))
        {
            return ReadNamedPeer(field, "security group", "security groups", context.GroupNames, SgPeer.ForGroup);
        }
        if (field.Text.StartsWith("pl:", StringComparison.Ordinal))
        {
            return ReadNamedPeer(field, "prefix list", "prefix lists", context.PrefixListNames, SgPeer.ForPrefixList);
        }
        return context.ReadCidr(field, "a CIDR such as 10.0.0.0/16 or 2001:db8::/32, sg:NAME or pl:NAME", c => c.IsV6 ? "Ipv6Range" : "IpRange", rule) is { } cidr
            ? SgPeer.ForCidr(cidr)
            : null;
    }

    /// <summary><c>sg:NAME</c> or <c>pl:NAME</c>: NAME must be defined in the file.</summary>
    private SgPeer? ReadNamedPeer(ScalarField field, string kind, string kinds, HashSet<string> defined, Func<string, SgPeer> peer)
    {
        var name = field.Text[3..];
        if (defined.Contains(name))
        {
            return peer(name);
        }
        Bag.Add(field.Value, $"{field.Key.Value}: unknown {kind} '{ScalarNode.Shorten(name)}'; {context.Known(kinds, defined)}");
        return null;
    }
}
