using System.Text.Json;
using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>describe-vpcs (the VPC's IPv4 CIDR and name), and describe-subnets.</summary>
internal static class AwsVpcReader
{
    public static void ReadVpc(RulesetDraft draft, JsonElement root, string file, string vpc, ImportNotes notes)
    {
        foreach (var (v, path) in JsonInput.Array(root, "Vpcs", file + ":", notes))
        {
            var id = JsonInput.String(v, "VpcId", path, notes);
            if (vpc.Length > 0 && id != vpc)
            {
                continue;
            }
            // The primary CIDR locates the Amazon DNS resolver at its base + 2 (VPC "Amazon DNS server").
            if (AwsEncoding.Cidr(JsonInput.String(v, "CidrBlock", path, notes), path, notes) is { } cidr && !cidr.IsV6)
            {
                draft.VpcCidr = cidr;
            }
            if (JsonInput.Tag(v, "Tags", "Name", path, notes) is { } name)
            {
                draft.Description = $"{name} ({id}), imported from AWS CLI output (firewall import aws)";
            }
            return;
        }
    }

    public static void ReadSubnet(RulesetDraft draft, JsonElement s, string path, ImportNotes notes)
    {
        if (JsonInput.String(s, "SubnetId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a subnet without SubnetId; left out");
            return;
        }
        Cidr? v4 = JsonInput.Has(s, "CidrBlock") ? AwsEncoding.Cidr(JsonInput.String(s, "CidrBlock", path, notes), path, notes) : null;
        Cidr? v6 = null;
        foreach (var (assoc, assocPath) in JsonInput.Array(s, "Ipv6CidrBlockAssociationSet", path, notes))
        {
            var state = JsonInput.Object(assoc, "Ipv6CidrBlockState", assocPath, notes) is { } st ? JsonInput.String(st, "State", assocPath, notes) : null;
            if (state is not (null or "associated"))
            {
                continue;
            }
            if (AwsEncoding.Cidr(JsonInput.String(assoc, "Ipv6CidrBlock", assocPath, notes), assocPath, notes) is { IsV6: true } c)
            {
                v6 ??= c;
            }
        }
        var parts = new[] { JsonInput.Tag(s, "Tags", "Name", path, notes), JsonInput.String(s, "AvailabilityZone", path, notes) }
            .Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        draft.Subnets.Add(new DraftSubnet(id, draft.SubnetNames.Claim(id), v4, v6, parts.Count == 0 ? null : string.Join(", ", parts), path));
    }
}
