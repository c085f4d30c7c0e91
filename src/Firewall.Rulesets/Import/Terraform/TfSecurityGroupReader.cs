using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// Security groups and their rules: inline ingress/egress, <c>aws_security_group_rule</c> and
/// <c>aws_vpc_security_group_ingress_rule</c>/<c>_egress_rule</c>.
/// </summary>
internal sealed class TfSecurityGroupReader(RulesetDraft draft, ImportNotes notes, TfReferences refs, TfInlineBlocks inline)
{
    public void ReadGroup(TfResource r)
    {
        var v = r.Values;
        var parts = new[] { v.Str("name"), v.Tag("Name"), v.Str("description") }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
        var description = string.Join(": ", parts.Prepend(r.Address));
        var group = new DraftGroup(r.Address, draft.GroupNames.Claim(refs.NameOf(r)), description, r.Address);
        draft.Groups.Add(group);
        foreach (var (attr, direction) in new[] { ("ingress", Direction.Inbound), ("egress", Direction.Outbound) })
        {
            if (!inline.AreConfigured(r, attr, ("rule", "rules")))
            {
                continue;
            }
            foreach (var block in v.Blocks(attr))
            {
                AddClassicRule(r, group, direction, block, selfAllowed: true, inline: true);
            }
        }
    }

    /// <summary>
    /// The shape shared by inline ingress/egress blocks and aws_security_group_rule: one port match and
    /// any number of peers (cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security_groups or
    /// source_security_group_id, self), each peer one rule, as with the EC2 API's IpPermission.
    /// </summary>
    private void AddClassicRule(TfResource r, DraftGroup group, Direction direction, TfObject b, bool selfAllowed, bool inline)
    {
        foreach (var attr in new[] { "protocol", "from_port", "to_port" })
        {
            if (b.IsUnknown(attr))
            {
                notes.Warning(b.Where, $"{attr} is known only after apply; the rule is left out");
                return;
            }
        }
        if (AwsEncoding.SecurityGroup(b.Str("protocol"), b.Long("from_port"), b.Long("to_port"), b.Where, notes) is not { } match)
        {
            return;
        }
        var description = b.Str("description") is { Length: > 0 } d ? d : inline ? null : r.Address;
        var peers = 0;
        foreach (var attr in new[] { "cidr_blocks", "ipv6_cidr_blocks" })
        {
            if (b.IsUnknown(attr))
            {
                notes.Warning(b.Where, $"{attr} is known only after apply; those peers are left out");
            }
            foreach (var text in b.Strings(attr))
            {
                peers++;
                if (AwsEncoding.Cidr(text, b.Where, notes) is { } cidr)
                {
                    group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForCidr(cidr), description, b.Where));
                }
            }
        }
        foreach (var key in refs.Keys(r, b, "prefix_list_ids", !inline))
        {
            peers++;
            group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForPrefixList(key), description, b.Where));
        }
        foreach (var key in refs.Keys(r, b, inline ? "security_groups" : "source_security_group_id", !inline))
        {
            peers++;
            group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForGroup(key), description, b.Where));
        }
        if (selfAllowed && b.Bool("self") == true)
        {
            peers++;
            group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForGroup(group.Key), description, b.Where));
        }
        if (peers == 0 && !b.IsUnknown("cidr_blocks") && !b.IsUnknown("ipv6_cidr_blocks"))
        {
            notes.Warning(b.Where, "a rule with no peer (no cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security group or self) matches nothing; left out");
        }
    }

    private DraftGroup? TargetGroup(TfResource r)
    {
        var keys = refs.Keys(r, r.Values, "security_group_id", topLevel: true);
        if (keys.Count == 0)
        {
            return null;
        }
        if (draft.FindGroup(keys[0]) is { } group)
        {
            return group;
        }
        notes.Warning(r.Address, $"security group '{keys[0]}' is not in the plan; the rule is left out");
        return null;
    }

    public void ReadGroupRule(TfResource r)
    {
        var direction = r.Values.Str("type") switch
        {
            "ingress" => Direction.Inbound,
            "egress" => Direction.Outbound,
            var other => (Direction?)null,
        };
        if (direction is null)
        {
            notes.Error(r.Address, $"type '{r.Values.Str("type")}': expected ingress or egress; left out");
            return;
        }
        if (TargetGroup(r) is { } group)
        {
            AddClassicRule(r, group, direction.Value, r.Values, selfAllowed: true, inline: false);
        }
    }

    /// <summary>aws_vpc_security_group_ingress_rule / _egress_rule: one rule, one peer.</summary>
    public void ReadVpcGroupRule(TfResource r, Direction direction)
    {
        if (TargetGroup(r) is not { } group)
        {
            return;
        }
        var v = r.Values;
        foreach (var attr in new[] { "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6" })
        {
            if (v.IsUnknown(attr))
            {
                r.WarnUnknown(attr, "the rule is left out");
                return;
            }
        }
        if (AwsEncoding.SecurityGroup(v.Str("ip_protocol"), v.Long("from_port"), v.Long("to_port"), r.Address, notes) is not { } match)
        {
            return;
        }
        var description = v.Str("description") is { Length: > 0 } d ? d : r.Address;
        var peers = new List<DraftPeer>();
        foreach (var attr in new[] { "cidr_ipv4", "cidr_ipv6" })
        {
            if (v.Str(attr) is { Length: > 0 } text && AwsEncoding.Cidr(text, r.Address, notes) is { } cidr)
            {
                peers.Add(DraftPeer.ForCidr(cidr));
            }
        }
        peers.AddRange(refs.Keys(r, v, "prefix_list_id", topLevel: true).Select(DraftPeer.ForPrefixList));
        peers.AddRange(refs.Keys(r, v, "referenced_security_group_id", topLevel: true).Select(DraftPeer.ForGroup));
        if (peers.Count != 1)
        {
            notes.Warning(r.Address, peers.Count == 0
                ? "the rule names no peer that is known before apply; left out"
                : "the rule names more than one of cidr_ipv4, cidr_ipv6, prefix_list_id and referenced_security_group_id; AWS allows one; left out");
            return;
        }
        group.Rules.Add(new DraftSgRule(direction, match, peers[0], description, r.Address));
    }
}
