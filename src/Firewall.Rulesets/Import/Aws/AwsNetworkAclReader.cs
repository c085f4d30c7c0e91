using System.Text.Json;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>describe-network-acls: each ACL, its entries, and the subnets it is associated with.</summary>
internal static class AwsNetworkAclReader
{
    /// <summary>describe-network-acls lists each direction's catch-all deny as rule 32767 (IPv4) and 32768 (IPv6): the <c>*</c> rule.</summary>
    public const int StarRuleV4 = 32767;
    public const int StarRuleV6 = 32768;

    public static void ReadAcl(RulesetDraft draft, JsonElement a, string path, ImportNotes notes)
    {
        if (JsonInput.String(a, "NetworkAclId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a network ACL without NetworkAclId; left out");
            return;
        }
        var parts = new List<string>();
        if (JsonInput.Tag(a, "Tags", "Name", path, notes) is { Length: > 0 } name)
        {
            parts.Add(name);
        }
        if (JsonInput.Bool(a, "IsDefault", path, notes) == true)
        {
            parts.Add("the VPC's default network ACL");
        }
        var acl = new DraftAcl(id, draft.AclNames.Claim(id), parts.Count == 0 ? null : string.Join("; ", parts), path) { Origin = new AwsAclOrigin(id) };
        draft.Acls.Add(acl);
        foreach (var (entry, entryPath) in JsonInput.Array(a, "Entries", path, notes))
        {
            ReadEntry(acl, entry, entryPath, notes);
        }
    }

    private static void ReadEntry(DraftAcl acl, JsonElement e, string path, ImportNotes notes)
    {
        var number = JsonInput.Long(e, "RuleNumber", path, notes);
        var egress = JsonInput.Bool(e, "Egress", path, notes);
        var actionText = JsonInput.String(e, "RuleAction", path, notes);
        if (number is null || egress is null || actionText is null)
        {
            notes.Error(path, "an entry needs RuleNumber, Egress and RuleAction; left out");
            return;
        }
        if (actionText is not ("allow" or "deny"))
        {
            notes.Error(path, $"RuleAction '{actionText}': expected allow or deny; left out");
            return;
        }
        var action = actionText == "allow" ? NaclAction.Allow : NaclAction.Deny;
        var cidrText = JsonInput.String(e, "CidrBlock", path, notes) ?? JsonInput.String(e, "Ipv6CidrBlock", path, notes);
        var protocolText = JsonInput.String(e, "Protocol", path, notes);
        if (number is StarRuleV4 or StarRuleV6)
        {
            // The catch-all deny AWS adds to every NACL (VPC "Network ACL rules"): our format has it implicitly.
            if (action != NaclAction.Deny || protocolText != "-1" || cidrText is not ("0.0.0.0/0" or "::/0"))
            {
                notes.Warning(path, $"rule {number} is AWS's '*' rule, which always denies all traffic; this one reads '{actionText} {protocolText} {cidrText}' and is treated as the '*' deny");
            }
            return;
        }
        if (number is < 1 or > 32766)
        {
            notes.Error(path, $"rule number {number}: expected 1-32766 (API CreateNetworkAclEntry); left out");
            return;
        }
        if (AwsEncoding.Cidr(cidrText, path, notes) is not { } cidr)
        {
            return;
        }
        var ports = JsonInput.Object(e, "PortRange", path, notes);
        var icmp = JsonInput.Object(e, "IcmpTypeCode", path, notes);
        var match = AwsEncoding.NetworkAcl(
            protocolText,
            ports is { } pr ? JsonInput.Long(pr, "From", path + ".PortRange", notes) : null,
            ports is { } pt ? JsonInput.Long(pt, "To", path + ".PortRange", notes) : null,
            icmp is { } it ? JsonInput.Long(it, "Type", path + ".IcmpTypeCode", notes) : null,
            icmp is { } ic ? JsonInput.Long(ic, "Code", path + ".IcmpTypeCode", notes) : null,
            path, notes);
        if (match is { } m)
        {
            acl.Rules.Add(new DraftNaclRule(egress.Value ? Direction.Outbound : Direction.Inbound, (int)number, action, m, cidr, null, path));
        }
    }

    /// <summary>NACL Associations name the subnets each ACL is attached to (every subnet has exactly one).</summary>
    public static void AssociateAcls(RulesetDraft draft, JsonElement? acls, string file, ImportNotes notes)
    {
        if (acls is not { } root)
        {
            return;
        }
        foreach (var (a, path) in JsonInput.Array(root, "NetworkAcls", file + ":", notes))
        {
            var id = JsonInput.String(a, "NetworkAclId", path, notes);
            if (id is null || draft.FindAcl(id) is null)
            {
                continue;
            }
            foreach (var (assoc, assocPath) in JsonInput.Array(a, "Associations", path, notes))
            {
                var subnetId = JsonInput.String(assoc, "SubnetId", assocPath, notes);
                if (draft.Subnets.FirstOrDefault(s => s.Key == subnetId) is { } subnet)
                {
                    if (subnet.AclKey is { } other && other != id)
                    {
                        notes.Warning(assocPath, $"subnet {subnetId} is associated with {other} and {id}; a subnet has one network ACL, the first is kept");
                        continue;
                    }
                    subnet.AclKey = id;
                }
            }
        }
    }
}
