using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// Network ACLs, their rules and the subnets they are attached to: <c>aws_network_acl</c> (inline rules,
/// subnet_ids), <c>aws_network_acl_rule</c> and <c>aws_network_acl_association</c>.
/// </summary>
internal sealed class TfNetworkAclReader(RulesetDraft draft, ImportNotes notes, TfReferences refs, TfInlineBlocks inline)
{
    public void ReadAcl(TfResource r)
    {
        var v = r.Values;
        var acl = new DraftAcl(r.Address, draft.AclNames.Claim(refs.NameOf(r)), string.Join(": ", new[] { r.Address, v.Tag("Name") }.Where(p => !string.IsNullOrWhiteSpace(p))), r.Address);
        draft.Acls.Add(acl);
        var inlineRules = false;
        foreach (var (attr, direction) in new[] { ("ingress", Direction.Inbound), ("egress", Direction.Outbound) })
        {
            // Set in the configuration, even empty (`egress = []`), the blocks are the ACL's whole rule set.
            inlineRules |= inline.ConfigurationSets(r, attr);
            if (!inline.AreConfigured(r, attr, ("rule", "rules")))
            {
                continue;
            }
            foreach (var b in v.Blocks(attr))
            {
                inlineRules = true;
                AddAclRule(acl, direction, b, b.Long("rule_no"), b.Str("action"), null);
            }
        }
        acl.Origin = new TerraformAclOrigin(r.Address, r.ModuleInstance, r.Values.IsUnknown("id") ? null : r.Values.Str("id") is { Length: > 0 } id ? id : null, inlineRules);
    }

    private void AddAclRule(DraftAcl acl, Direction direction, TfObject b, long? number, string? action, string? description)
    {
        foreach (var attr in new[] { "protocol", "cidr_block", "ipv6_cidr_block", "from_port", "to_port", "icmp_type", "icmp_code", "rule_no", "rule_number" })
        {
            if (b.IsUnknown(attr))
            {
                notes.Warning(b.Where, $"{attr} is known only after apply; the rule is left out");
                return;
            }
        }
        if (number is not (>= 1 and <= 32766))
        {
            notes.Error(b.Where, $"rule number {number?.ToString() ?? "(none)"}: expected 1-32766; left out");
            return;
        }
        if (action is not ("allow" or "deny"))
        {
            notes.Error(b.Where, $"action '{action}': expected allow or deny; left out");
            return;
        }
        var cidrText = b.Str("cidr_block") is { Length: > 0 } v4 ? v4 : b.Str("ipv6_cidr_block");
        if (AwsEncoding.Cidr(cidrText, b.Where, notes) is not { } cidr)
        {
            return;
        }
        var protocol = b.Str("protocol");
        // The provider writes icmp_type/icmp_code as 0 when unset; they mean something only for ICMP rules.
        var icmp = protocol?.ToLowerInvariant() is "icmp" or "1" or "icmpv6" or "58";
        var match = AwsEncoding.NetworkAcl(
            protocol, b.Long("from_port"), b.Long("to_port"),
            icmp ? b.Long("icmp_type") : null, icmp ? b.Long("icmp_code") : null, b.Where, notes);
        if (match is { } m)
        {
            acl.Rules.Add(new DraftNaclRule(direction, (int)number.Value, action == "allow" ? NaclAction.Allow : NaclAction.Deny, m, cidr, description, b.Where));
        }
    }

    public void ReadAclRule(TfResource r)
    {
        var keys = refs.Keys(r, r.Values, "network_acl_id", topLevel: true);
        if (keys.Count == 0)
        {
            return;
        }
        if (draft.FindAcl(keys[0]) is not { } acl)
        {
            notes.Warning(r.Address, $"network ACL '{keys[0]}' is not in the plan; the rule is left out");
            return;
        }
        var direction = r.Values.Bool("egress") == true ? Direction.Outbound : Direction.Inbound;
        AddAclRule(acl, direction, r.Values, r.Values.Long("rule_number"), r.Values.Str("rule_action"), r.Address);
    }

    /// <summary>aws_network_acl.subnet_ids names the subnets an ACL is attached to.</summary>
    public void ReadSubnetIds(TerraformPlan plan)
    {
        foreach (var r in plan.Resources.Where(a => a.Type == "aws_network_acl"))
        {
            foreach (var subnetKey in refs.Keys(r, r.Values, "subnet_ids", topLevel: true))
            {
                Associate(r, subnetKey, r.Address);
            }
        }
    }

    public void ReadAclAssociation(TfResource r)
    {
        var acl = refs.Keys(r, r.Values, "network_acl_id", topLevel: true).FirstOrDefault();
        foreach (var subnetKey in refs.Keys(r, r.Values, "subnet_id", topLevel: true))
        {
            Associate(r, subnetKey, acl);
        }
    }

    private void Associate(TfResource r, string subnetKey, string? aclKey)
    {
        if (draft.Subnets.FirstOrDefault(s => s.Key == subnetKey) is not { } subnet)
        {
            notes.Warning(r.Address, $"subnet '{subnetKey}' is not in the plan; its ACL association is left out");
            return;
        }
        if (aclKey is not null && draft.FindAcl(aclKey) is null)
        {
            notes.Warning(r.Address, $"network ACL '{aclKey}' is not in the plan");
            return;
        }
        subnet.AclKey = aclKey;
    }
}
