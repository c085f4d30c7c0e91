using System.Text.Json;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>describe-security-groups: each group and its IpPermissions, one rule per peer.</summary>
internal static class AwsSecurityGroupReader
{
    public static void ReadGroup(RulesetDraft draft, JsonElement g, string path, ImportNotes notes)
    {
        if (JsonInput.String(g, "GroupId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a security group without GroupId; left out");
            return;
        }
        var parts = new[] { JsonInput.String(g, "GroupName", path, notes), JsonInput.Tag(g, "Tags", "Name", path, notes), JsonInput.String(g, "Description", path, notes) }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
        var group = new DraftGroup(id, draft.GroupNames.Claim(id), parts.Count == 0 ? null : string.Join(": ", parts), path);
        draft.Groups.Add(group);
        foreach (var (direction, array) in new[] { (Direction.Inbound, "IpPermissions"), (Direction.Outbound, "IpPermissionsEgress") })
        {
            foreach (var (permission, permissionPath) in JsonInput.Array(g, array, path, notes))
            {
                ReadPermission(group, direction, permission, permissionPath, notes);
            }
        }
    }

    /// <summary>
    /// One IpPermission holds one protocol/port match and any number of peers; each peer becomes one rule,
    /// in the order IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs, keeping each peer's description.
    /// </summary>
    private static void ReadPermission(DraftGroup group, Direction direction, JsonElement p, string path, ImportNotes notes)
    {
        var match = AwsEncoding.SecurityGroup(
            JsonInput.String(p, "IpProtocol", path, notes), JsonInput.Long(p, "FromPort", path, notes), JsonInput.Long(p, "ToPort", path, notes), path, notes);
        if (match is not { } m)
        {
            return;
        }
        var peers = 0;
        foreach (var (range, rangePath) in JsonInput.Array(p, "IpRanges", path, notes).Concat(JsonInput.Array(p, "Ipv6Ranges", path, notes)))
        {
            peers++;
            var text = JsonInput.String(range, "CidrIp", rangePath, notes) ?? JsonInput.String(range, "CidrIpv6", rangePath, notes);
            if (AwsEncoding.Cidr(text, rangePath, notes) is { } cidr)
            {
                group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForCidr(cidr), Description(range, rangePath, notes), rangePath));
            }
        }
        foreach (var (list, listPath) in JsonInput.Array(p, "PrefixListIds", path, notes))
        {
            peers++;
            if (JsonInput.String(list, "PrefixListId", listPath, notes) is { Length: > 0 } id)
            {
                group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForPrefixList(id), Description(list, listPath, notes), listPath));
            }
            else
            {
                notes.Error(listPath, "a prefix list reference without PrefixListId; left out");
            }
        }
        foreach (var (pair, pairPath) in JsonInput.Array(p, "UserIdGroupPairs", path, notes))
        {
            peers++;
            if (JsonInput.String(pair, "GroupId", pairPath, notes) is not { Length: > 0 } id)
            {
                notes.Error(pairPath, "a security group reference without GroupId; left out");
                continue;
            }
            if (JsonInput.String(pair, "PeeringStatus", pairPath, notes) is { } status && status != "active")
            {
                notes.Warning(pairPath, $"the peering of referenced group {id} is '{status}'");
            }
            group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForGroup(id), Description(pair, pairPath, notes), pairPath));
        }
        if (peers == 0)
        {
            notes.Warning(path, "a permission with no IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs matches nothing; left out");
        }
    }

    private static string? Description(JsonElement obj, string path, ImportNotes notes) =>
        JsonInput.String(obj, "Description", path, notes) is { Length: > 0 } d ? d : null;
}
