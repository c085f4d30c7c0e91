using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>A network ACL's rules: numbers unique per direction, sorted; actions; CIDR peers only.</summary>
internal sealed class NetworkAclValidator(ValidationContext context)
{
    private readonly RuleMatchValidator _match = new(context);

    private DiagnosticBag Bag => context.Bag;

    public NetworkAcl Read(NetworkAclDocument doc) =>
        new(doc.Name.Value, ReadRules(doc, doc.Inbound), ReadRules(doc, doc.Outbound), doc.Description?.Text);

    private List<NaclRule> ReadRules(NetworkAclDocument acl, IReadOnlyList<NaclRuleDocument> docs)
    {
        var rules = new List<NaclRule>();
        var numbers = new Dictionary<int, NaclRuleDocument>();
        foreach (var doc in docs)
        {
            if (ReadRule(acl, doc, numbers) is { } rule)
            {
                rules.Add(rule);
            }
        }
        // AWS evaluates NACL rules in ascending rule number, whatever order they were written in
        // (VPC "Network ACL rules"). IPv4 and IPv6 rules share one list; the evaluator filters by family.
        rules.Sort((a, b) => a.Number.CompareTo(b.Number));
        return rules;
    }

    private NaclRule? ReadRule(NetworkAclDocument acl, NaclRuleDocument doc, Dictionary<int, NaclRuleDocument> numbers)
    {
        var what = $"network ACL {DirectionText.Name(doc.Direction)} rule";
        var ok = TryReadNumber(acl, doc, numbers, what, out var number);
        var match = _match.Read(doc.Node, what, doc.Protocol, doc.Ports, doc.IcmpType, doc.IcmpCode);
        ok &= match is not null;
        ok &= TryReadAction(doc, what, out var action);
        ok &= TryReadPeer(acl, doc, number, what, out var cidr);

        // An icmpv6 rule with an IPv4 CIDR and an icmp_type loads as written: AWS accepts it and matches every
        // type and code (CreateNetworkAclEntry). NaclRule.MatchedIcmp says so; lint warns.
        if (!ok)
        {
            return null;
        }
        var (protocol, ports, icmp) = match!.Value;
        return new NaclRule(acl.Name.Value, doc.Direction, number, action, protocol, ports, icmp, cidr, doc.Description?.Text)
        {
            Location = context.Location(doc.Node),
        };
    }

    private bool TryReadNumber(NetworkAclDocument acl, NaclRuleDocument doc, Dictionary<int, NaclRuleDocument> numbers, string what, out int number)
    {
        number = 0;
        if (doc.Rule is not { } ruleField)
        {
            context.ReportMissing(doc.Node, "rule", what, "a rule number 1-32766");
            return false;
        }
        if (!ValueParser.TryInteger(ruleField, 1, 32766, "a rule number 1-32766 (AWS reserves 32767 and up)", Bag, out number))
        {
            return false;
        }
        if (numbers.TryGetValue(number, out var first))
        {
            Bag.Add(ruleField.Value, $"rule number {number} is used twice in the {DirectionText.Name(doc.Direction)} rules of network ACL '{acl.Name.Value}': first at line {first.Rule!.Value.Line}");
            return false;
        }
        numbers.Add(number, doc);
        return true;
    }

    private bool TryReadAction(NaclRuleDocument doc, string what, out NaclAction action)
    {
        action = default;
        if (doc.Action is not { } actionField)
        {
            context.ReportMissing(doc.Node, "action", what, "allow or deny");
            return false;
        }
        if (actionField.Text is "allow" or "deny")
        {
            action = actionField.Text == "allow" ? NaclAction.Allow : NaclAction.Deny;
            return true;
        }
        Bag.Add(actionField.Value, $"action: expected allow or deny, found '{ScalarNode.Shorten(actionField.Text)}'");
        return false;
    }

    private bool TryReadPeer(NetworkAclDocument acl, NaclRuleDocument doc, int number, string what, out Cidr cidr)
    {
        cidr = default;
        var peerKey = doc.Direction == Direction.Inbound ? "source" : "destination";
        if (doc.Peer is not { } peerField)
        {
            if (doc.Node.Find(peerKey) is null)
            {
                context.ReportMissing(doc.Node, peerKey, what, $"the CIDR of the packet's {peerKey}");
            }
            return false;
        }
        if (peerField.Text.StartsWith("sg:", StringComparison.Ordinal) || peerField.Text.StartsWith("pl:", StringComparison.Ordinal))
        {
            // NACL entries carry only a CidrBlock or Ipv6CidrBlock (EC2 API CreateNetworkAclEntry).
            Bag.Add(peerField.Value, $"{peerKey}: a network ACL rule matches a CIDR only; AWS network ACL entries cannot name security groups (sg:) or prefix lists (pl:), found '{ScalarNode.Shorten(peerField.Text)}'");
            return false;
        }
        if (context.ReadCidr(peerField, "a CIDR such as 10.0.0.0/16 or 2001:db8::/32", c => c.IsV6 ? null : "CreateNetworkAclEntry",
                $"nacl:{acl.Name.Value}:{DirectionText.Name(doc.Direction)}:{number}") is { } parsed)
        {
            cidr = parsed;
            return true;
        }
        return false;
    }
}
