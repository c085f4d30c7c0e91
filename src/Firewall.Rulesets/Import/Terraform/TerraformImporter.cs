using Firewall.Engine.Model;
using Firewall.Rulesets.Import.Aws;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// Builds a ruleset from a Terraform plan (<c>terraform show -json PLAN</c>) for the AWS provider's
/// resources: <c>aws_security_group</c> (inline ingress/egress), <c>aws_security_group_rule</c>,
/// <c>aws_vpc_security_group_ingress_rule</c>/<c>_egress_rule</c>, <c>aws_network_acl</c> (inline),
/// <c>aws_network_acl_rule</c>, <c>aws_network_acl_association</c>, <c>aws_ec2_managed_prefix_list</c>
/// (inline entries), <c>aws_ec2_managed_prefix_list_entry</c>, <c>aws_subnet</c>,
/// <c>aws_network_interface</c>, <c>aws_instance</c> and <c>aws_vpc</c>.
/// <para>
/// Objects are named by their id when the plan knows it (a resource that already exists) and by their
/// resource address otherwise. A value known only after apply is never guessed: an id that another
/// resource refers to is taken from the configuration's reference (<c>aws_security_group.web.id</c>) when
/// that names exactly one resource of the plan; anything else unknown is reported with its resource
/// address, and the rule or object that needed it is left out.
/// </para>
/// </summary>
public static class TerraformImporter
{
    public static ImportResult Import(ImportFile plan)
    {
        var notes = new ImportNotes();
        using var doc = JsonInput.Parse(plan.Text, plan.Path, notes);
        if (doc is null)
        {
            return ImportResult.Failed(notes);
        }
        var tf = TerraformPlan.Read(doc.RootElement, plan.Path, notes);
        if (notes.HasErrors && tf.Resources.Count == 0)
        {
            return ImportResult.Failed(notes);
        }
        return Build(tf, notes, plan.Path);
    }

    /// <summary>
    /// Reads the resources in the order their references need: the objects first (groups, ACLs, subnets,
    /// prefix lists), then what attaches to them (rules, entries, associations, interfaces).
    /// </summary>
    private static ImportResult Build(TerraformPlan plan, ImportNotes notes, string file)
    {
        var draft = new RulesetDraft
        {
            Name = "terraform-plan",
            Description = $"Imported from the Terraform plan {Path.GetFileName(file)} (firewall import terraform)",
            WherePrefixListEntriesComeFrom = _ =>
                "the plan holds the entries of its aws_ec2_managed_prefix_list resources only, not those of an AWS-managed list, a data source or a list of another configuration",
        };
        var refs = new TfReferences(plan, notes);
        var inline = new TfInlineBlocks(plan, notes, refs);
        var vpc = new TfVpcReader(draft, notes, refs);
        var groups = new TfSecurityGroupReader(draft, notes, refs, inline);
        var acls = new TfNetworkAclReader(draft, notes, refs, inline);
        var prefixLists = new TfPrefixListReader(draft, notes, refs, inline);
        var interfaces = new TfInterfaceReader(plan, draft, notes, refs);

        vpc.ReadVpc(plan);
        foreach (var r in plan.Resources)
        {
            switch (r.Type)
            {
                case "aws_security_group": groups.ReadGroup(r); break;
                case "aws_network_acl": acls.ReadAcl(r); break;
                case "aws_subnet": vpc.ReadSubnet(r); break;
                case "aws_ec2_managed_prefix_list": prefixLists.ReadPrefixList(r); break;
                case "aws_default_security_group" or "aws_default_network_acl" or "aws_network_interface_sg_attachment":
                    notes.Info(r.Address, $"{r.Type} is not imported");
                    break;
            }
        }
        acls.ReadSubnetIds(plan);
        foreach (var r in plan.Resources)
        {
            switch (r.Type)
            {
                case "aws_security_group_rule": groups.ReadGroupRule(r); break;
                case "aws_vpc_security_group_ingress_rule": groups.ReadVpcGroupRule(r, Direction.Inbound); break;
                case "aws_vpc_security_group_egress_rule": groups.ReadVpcGroupRule(r, Direction.Outbound); break;
                case "aws_network_acl_rule": acls.ReadAclRule(r); break;
                case "aws_network_acl_association": acls.ReadAclAssociation(r); break;
                case "aws_ec2_managed_prefix_list_entry": prefixLists.ReadPrefixListEntry(r); break;
                case "aws_network_interface": interfaces.ReadInterface(r, "private_ips", "security_groups", refs.NameOf(r), [r.Values.Str("description")]); break;
                case "aws_instance": interfaces.ReadInstance(r); break;
            }
        }
        return RulesetAssembler.Assemble(draft, notes);
    }
}
