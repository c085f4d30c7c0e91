using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>The VPC's IPv4 CIDR (<c>aws_vpc</c>) and its subnets (<c>aws_subnet</c>).</summary>
internal sealed class TfVpcReader(RulesetDraft draft, ImportNotes notes, TfReferences refs)
{
    /// <summary>vpc_cidr, when the plan holds exactly one aws_vpc and knows its CIDR.</summary>
    public void ReadVpc(TerraformPlan plan)
    {
        var vpcs = plan.Resources.Where(r => r.Type == "aws_vpc").ToList();
        if (vpcs.Count == 1)
        {
            var v = vpcs[0].Values;
            if (v.IsUnknown("cidr_block"))
            {
                vpcs[0].WarnUnknown("cidr_block", "vpc_cidr is left unset");
            }
            else if (v.Str("cidr_block") is { } text && AwsEncoding.Cidr(text, vpcs[0].Address, notes) is { IsV6: false } cidr)
            {
                draft.VpcCidr = cidr;
            }
        }
        else if (vpcs.Count > 1)
        {
            notes.Info("import", $"the plan has {vpcs.Count} aws_vpc resources; vpc_cidr is left unset");
        }
    }

    public void ReadSubnet(TfResource r)
    {
        var v = r.Values;
        Cidr? v4 = null, v6 = null;
        if (v.IsUnknown("cidr_block"))
        {
            r.WarnUnknown("cidr_block", "the subnet has no IPv4 CIDR here");
        }
        else if (v.Str("cidr_block") is { Length: > 0 } text)
        {
            v4 = AwsEncoding.Cidr(text, r.Address, notes);
        }
        if (v.IsUnknown("ipv6_cidr_block"))
        {
            r.WarnUnknown("ipv6_cidr_block", "the subnet has no IPv6 CIDR here");
        }
        else if (v.Str("ipv6_cidr_block") is { Length: > 0 } text6)
        {
            v6 = AwsEncoding.Cidr(text6, r.Address, notes);
        }
        var description = string.Join(", ", new[] { v.Tag("Name"), v.Str("availability_zone"), r.Address }.Where(p => !string.IsNullOrWhiteSpace(p)));
        draft.Subnets.Add(new DraftSubnet(r.Address, draft.SubnetNames.Claim(refs.NameOf(r)), v4 is { IsV6: false } ? v4 : null, v6 is { IsV6: true } ? v6 : null, description, r.Address));
    }
}
