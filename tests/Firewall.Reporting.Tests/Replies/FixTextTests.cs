using Firewall.Analysis.Replies;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Reporting.Replies;
using Firewall.Rulesets.Import;

namespace Firewall.Reporting.Tests.Replies;

/// <summary>A fix's rules in AWS CLI and Terraform syntax, for each origin an ACL may have.</summary>
public class FixTextTests
{
    private static NaclRuleToAdd Rule(string acl, string protocol = "tcp", PortRange? ports = null, IcmpMatch? icmp = null, int? number = 140) =>
        new(acl, Direction.Outbound, number, protocol, ports ?? new PortRange(1024, 65535), icmp, Cidr.Parse("0.0.0.0/0"));

    [Fact]
    public void Aws_cli_names_the_protocol_by_number_and_gives_ports_or_icmp_only_where_aws_reads_them()
    {
        Assert.Equal(
            "aws ec2 create-network-acl-entry --network-acl-id acl-0abc --egress --rule-number 140 --protocol 6 --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow",
            AwsCliFixText.Command(Rule("web"), "acl-0abc"));
        Assert.Equal(
            "aws ec2 create-network-acl-entry --network-acl-id acl-0abc --egress --rule-number 140 --protocol 1 --icmp-type-code Type=0,Code=-1 --cidr-block 0.0.0.0/0 --rule-action allow",
            AwsCliFixText.Command(Rule("web", "icmp", icmp: new IcmpMatch(0, -1)), "acl-0abc"));
        Assert.Equal(
            "aws ec2 create-network-acl-entry --network-acl-id '<id of network ACL web>' --egress --rule-number 140 --protocol -1 --cidr-block 0.0.0.0/0 --rule-action allow",
            AwsCliFixText.Command(Rule("web", "all"), null));
    }

    [Fact]
    public void Terraform_refers_to_a_count_or_for_each_instance_by_its_key_and_names_the_rule_after_it()
    {
        var counted = new TerraformAclOrigin("module.net.aws_network_acl.edge[0]", "module.net.", null, false);
        var keyed = new TerraformAclOrigin("aws_network_acl.tier[\"a\"]", "", "acl-0a", false);
        var fixes = new FixText(FixFormat.Terraform, new Dictionary<string, AclOrigin> { ["e"] = counted, ["t"] = keyed });
        var edge = fixes.Lines([Rule("e")]);
        Assert.Equal("resource \"aws_network_acl_rule\" \"edge_0_egress_140\" {", edge[0]);
        Assert.Equal("  network_acl_id = aws_network_acl.edge[0].id", edge[1]);
        Assert.Equal("add to the configuration of module.net, beside aws_network_acl.edge[0]", fixes.Where("e", Direction.Outbound));
        var tier = fixes.Lines([Rule("t")]);
        Assert.Equal("resource \"aws_network_acl_rule\" \"tier_a_egress_140\" {", tier[0]);
        Assert.Equal("  network_acl_id = aws_network_acl.tier[\"a\"].id", tier[1]);
        Assert.Empty(fixes.Unplaced);
    }

    [Fact]
    public void Terraform_adds_a_block_to_an_acl_with_inline_rules_with_the_ports_it_requires()
    {
        var inline = new TerraformAclOrigin("aws_network_acl.public", "", "acl-0pub", true);
        var fixes = new FixText(FixFormat.Terraform, new Dictionary<string, AclOrigin> { ["p"] = inline });
        Assert.Equal(
            ["egress {", "  rule_no    = 140", "  action     = \"allow\"", "  protocol   = \"-1\" # all", "  cidr_block = \"0.0.0.0/0\"", "  from_port  = 0", "  to_port    = 0", "}"],
            fixes.Lines([Rule("p", "all")]));
        Assert.StartsWith("add to aws_network_acl.public as one more egress block", fixes.Where("p", Direction.Outbound));
    }

    [Fact]
    public void An_acl_of_no_known_origin_is_written_with_a_placeholder_and_remembered()
    {
        var fixes = new FixText(FixFormat.AwsCli, new Dictionary<string, AclOrigin> { ["known"] = new AwsAclOrigin("acl-0k") });
        fixes.Lines([Rule("known"), Rule("web-nacl")]);
        Assert.Equal(["web-nacl"], fixes.Unplaced);
    }
}
