using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>An import keeps where each network ACL came from, by its name in the ruleset: the AWS id, or the Terraform resource and the style of its rules.</summary>
public class AclOriginTests
{
    [Fact]
    public void Aws_acls_keep_their_network_acl_id()
    {
        var result = AwsImporter.Import(new AwsImportInput { NetworkAcls = ImportFile.Read(ImportFixtures.PathOf("aws", "network-acls.json")) });
        Assert.Equal(new AwsAclOrigin("acl-0public"), result.AclOrigins["acl-0public"]);
        Assert.Equal(result.Ruleset!.NetworkAcls.Select(a => a.Name).Order(), result.AclOrigins.Keys.Order());
    }

    [Fact]
    public void Terraform_acls_keep_their_address_module_id_and_rule_style()
    {
        var result = TerraformImporter.Import(ImportFile.Read(ImportFixtures.PathOf("terraform", "mixed-plan.json")));
        var origins = result.AclOrigins;
        // Inline blocks set in the configuration; rules as aws_network_acl_rule resources; a new ACL in a module.
        Assert.Equal(new TerraformAclOrigin("aws_network_acl.public", "", "acl-0pub", InlineRules: true), origins["acl-0pub"]);
        Assert.Equal(new TerraformAclOrigin("aws_network_acl.app", "", "acl-0app", InlineRules: false), origins["acl-0app"]);
        var db = Assert.IsType<TerraformAclOrigin>(origins["module.data.aws_network_acl.db"]);
        Assert.Equal(("module.data.", null, true, "aws_network_acl.db", "module.data"), (db.ModuleInstance, db.Id, db.InlineRules, db.LocalAddress, db.Module));
    }

    [Fact]
    public void A_count_instance_keeps_its_index_in_the_address()
    {
        var result = new PlanBuilder()
            .Change("aws_network_acl.edge[0]", "create", """{ "id": null, "vpc_id": "vpc-0a", "tags": {} }""", unknown: """{ "id": true, "ingress": true, "egress": true }""")
            .Configure("aws_network_acl.edge", """{ "vpc_id": { "constant_value": "vpc-0a" } }""")
            .Import();
        var edge = Assert.IsType<TerraformAclOrigin>(Assert.Single(result.AclOrigins).Value);
        Assert.Equal(("aws_network_acl.edge[0]", "aws_network_acl.edge[0]", null, false), (edge.Address, edge.LocalAddress, edge.Id, edge.InlineRules));
    }

    [Fact]
    public void An_empty_inline_list_in_the_configuration_makes_the_rules_inline()
    {
        var result = new PlanBuilder()
            .Change("aws_network_acl.web", "no-op", """{ "id": "acl-0web", "vpc_id": "vpc-0a", "ingress": [], "egress": [] }""")
            .Configure("aws_network_acl.web", """{ "egress": { "constant_value": [] } }""")
            .Import();
        Assert.Equal(new TerraformAclOrigin("aws_network_acl.web", "", "acl-0web", InlineRules: true), result.AclOrigins["acl-0web"]);
    }
}
