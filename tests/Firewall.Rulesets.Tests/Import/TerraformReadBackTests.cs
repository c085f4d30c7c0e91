using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// <c>ingress</c>/<c>egress</c> of <c>aws_security_group</c> and <c>aws_network_acl</c> are Optional and
/// Computed in the AWS provider: where the configuration does not set them, the plan shows what the
/// provider read of the object before the plan, standalone rule resources' rules included. Those are
/// imported from the rule resources only, once each; inline blocks are imported where the configuration
/// sets them (found through module, count and for_each instances) or where the plan shows they come from it.
/// </summary>
public class TerraformReadBackTests
{
    private static string SgBlock(string protocol, int from, int to, string cidr, string description = "") => $$"""
        { "cidr_blocks": ["{{cidr}}"], "description": "{{description}}", "from_port": {{from}}, "ipv6_cidr_blocks": [],
          "prefix_list_ids": [], "protocol": "{{protocol}}", "security_groups": [], "self": false, "to_port": {{to}} }
        """;

    private static string AclBlock(int number, string protocol, int from, int to, string cidr) => $$"""
        { "action": "allow", "cidr_block": "{{cidr}}", "from_port": {{from}}, "icmp_code": 0, "icmp_type": 0,
          "ipv6_cidr_block": "", "protocol": "{{protocol}}", "rule_no": {{number}}, "to_port": {{to}} }
        """;

    private static string Group(string id, string ingress, string egress) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "description": "Managed by Terraform", "vpc_id": "vpc-0shop",
          "ingress": [{{ingress}}], "egress": [{{egress}}] }
        """;

    private static string GroupRule(string type, string groupId, string protocol, int from, int to, string cidr) => $$"""
        { "id": "sgrule-{{from}}", "type": "{{type}}", "security_group_id": "{{groupId}}", "protocol": "{{protocol}}",
          "from_port": {{from}}, "to_port": {{to}}, "cidr_blocks": ["{{cidr}}"], "ipv6_cidr_blocks": null,
          "prefix_list_ids": null, "self": false, "source_security_group_id": null, "description": null }
        """;

    private static string VpcRule(string groupId, string protocol, int? port, string cidr, string? description = null) => $$"""
        { "id": "sgr-{{port ?? 0}}", "security_group_id": "{{groupId}}", "ip_protocol": "{{protocol}}",
          "from_port": {{port?.ToString() ?? "null"}}, "to_port": {{port?.ToString() ?? "null"}}, "cidr_ipv4": "{{cidr}}", "cidr_ipv6": null,
          "prefix_list_id": null, "referenced_security_group_id": null, "description": {{(description is null ? "null" : $"\"{description}\"")}} }
        """;

    private const string NameOnly = """{ "name": { "constant_value": "app" }, "vpc_id": { "constant_value": "vpc-0shop" } }""";

    private static Ruleset Model(ImportResult result) => result.Ruleset ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Notes));

    private static void AssertNoWarnings(ImportResult result) =>
        Assert.True(result.Notes.All(n => n.Severity == ImportSeverity.Info), string.Join("\n", result.Notes));

    /// <summary>sg-0app exists; its rules come from three rule resources, and the plan shows them read back.</summary>
    private static PlanBuilder AppGroup(string extraIngress = "") => new PlanBuilder()
        .Change("aws_security_group.app", "no-op", Group("sg-0app",
            SgBlock("tcp", 8080, 8080, "10.0.0.0/16") + "," + SgBlock("tcp", 9100, 9100, "10.1.0.0/16", "prometheus") + extraIngress,
            SgBlock("-1", 0, 0, "0.0.0.0/0")))
        .Change("aws_security_group_rule.app_http", "no-op", GroupRule("ingress", "sg-0app", "tcp", 8080, 8080, "10.0.0.0/16"))
        .Change("aws_vpc_security_group_ingress_rule.app_metrics", "no-op", VpcRule("sg-0app", "tcp", 9100, "10.1.0.0/16", "prometheus"))
        .Change("aws_vpc_security_group_egress_rule.app_all", "no-op", VpcRule("sg-0app", "-1", null, "0.0.0.0/0"))
        .Configure("aws_security_group.app", NameOnly);

    [Fact]
    public void TheRulesOfRuleResourcesAreImportedOnceNotAgainFromTheGroupsReadBack()
    {
        var result = AppGroup().Import();
        var app = Model(result).FindGroup("sg-0app")!;
        Assert.Equal(["10.0.0.0/16", "10.1.0.0/16"], app.Inbound.Select(r => r.Peer.ToString()));
        Assert.Equal(["aws_security_group_rule.app_http", "prometheus"], app.Inbound.Select(r => r.Description));
        Assert.Equal(Cidr.AllV4, Assert.Single(app.Outbound).Peer.Cidr);
        AssertNoWarnings(result);
        var note = Assert.Single(result.Notes, n => n.Source == "aws_security_group.app" && n.Message.StartsWith("ingress", StringComparison.Ordinal));
        Assert.Equal(
            "ingress is not set in the configuration, so the 2 rules the plan shows for it are what the provider read before this plan; "
            + "the rules come from aws_security_group_rule.app_http, aws_vpc_security_group_ingress_rule.app_metrics instead",
            note.Message);
    }

    [Fact]
    public void ARuleThePlanDeletesIsNotImportedFromTheReadBack()
    {
        // The provider read the group before the plan, with the rule that aws_security_group_rule.debug made.
        var result = AppGroup("," + SgBlock("tcp", 9999, 9999, "0.0.0.0/0"))
            .Change("aws_security_group_rule.debug", "delete", null, before: GroupRule("ingress", "sg-0app", "tcp", 9999, 9999, "0.0.0.0/0"))
            .Import();
        var app = Model(result).FindGroup("sg-0app")!;
        Assert.DoesNotContain(app.Inbound, r => r.Ports == new PortRange(9999, 9999));
        Assert.Equal(2, app.Inbound.Count);
        Assert.Contains(result.Notes, n => n.Source == "aws_security_group.app" && n.Message.EndsWith("; aws_security_group_rule.debug is deleted by this plan", StringComparison.Ordinal));
    }

    [Fact]
    public void NetworkAclRuleResourcesAreImportedOnceAndTheirNumbersDoNotCollide()
    {
        var readBack = $$"""
            { "id": "acl-0app", "vpc_id": "vpc-0shop", "subnet_ids": [],
              "ingress": [{{AclBlock(100, "6", 8080, 8080, "10.0.1.0/24")}}, {{AclBlock(200, "6", 1024, 65535, "0.0.0.0/0")}}],
              "egress": [{{AclBlock(100, "-1", 0, 0, "0.0.0.0/0")}}] }
            """;
        static string Rule(int number, bool egress, string protocol, int from, int to, string cidr) => $$"""
            { "id": "nacl-{{number}}", "network_acl_id": "acl-0app", "rule_number": {{number}}, "egress": {{(egress ? "true" : "false")}},
              "protocol": "{{protocol}}", "rule_action": "allow", "cidr_block": "{{cidr}}", "ipv6_cidr_block": null,
              "from_port": {{from}}, "to_port": {{to}}, "icmp_type": null, "icmp_code": null }
            """;
        var result = new PlanBuilder()
            .Change("aws_network_acl.app", "no-op", readBack)
            .Change("aws_network_acl_rule.in_web", "no-op", Rule(100, false, "6", 8080, 8080, "10.0.1.0/24"))
            .Change("aws_network_acl_rule.in_return", "no-op", Rule(200, false, "6", 1024, 65535, "0.0.0.0/0"))
            .Change("aws_network_acl_rule.out_all", "no-op", Rule(100, true, "-1", 0, 0, "0.0.0.0/0"))
            .Change("aws_network_acl_rule.in_metrics", "create", Rule(150, false, "6", 9100, 9100, "10.0.0.0/16"))
            .Configure("aws_network_acl.app", """{ "vpc_id": { "constant_value": "vpc-0shop" } }""")
            .Import();
        var acl = Model(result).FindAcl("acl-0app")!;
        Assert.Equal([100, 150, 200], acl.Inbound.Select(r => r.Number));
        Assert.Equal(["aws_network_acl_rule.in_web", "aws_network_acl_rule.in_metrics", "aws_network_acl_rule.in_return"], acl.Inbound.Select(r => r.Description));
        Assert.Equal([100], acl.Outbound.Select(r => r.Number));
        AssertNoWarnings(result);
    }

    [Fact]
    public void InlineRulesTheConfigurationSetsAreImportedForModuleAndCountInstances()
    {
        // The configuration of module "edge" sets ingress on aws_security_group.this (count = 1, module
        // for_each = ["a"]); a rule resource adds to it (the provider advises against mixing, but it
        // works): both are imported. Had the configuration not set ingress, the read-back would be skipped.
        var result = new PlanBuilder()
            .Change("module.edge[\"a\"].aws_security_group.this[0]", "no-op", Group("sg-0edge", SgBlock("tcp", 443, 443, "0.0.0.0/0", "https"), ""))
            .Change("module.edge[\"a\"].aws_vpc_security_group_ingress_rule.extra", "create", VpcRule("sg-0edge", "tcp", 8443, "10.0.0.0/8"), unknown: """{ "id": true }""")
            .Configure("aws_security_group.this", """
                { "ingress": { "constant_value": [ { "cidr_blocks": ["0.0.0.0/0"], "description": "https", "from_port": 443, "ipv6_cidr_blocks": null,
                                                   "prefix_list_ids": null, "protocol": "tcp", "security_groups": null, "self": null, "to_port": 443 } ] } }
                """, module: "edge")
            .Configure("aws_vpc_security_group_ingress_rule.extra", """
                { "security_group_id": { "references": ["aws_security_group.this[0].id", "aws_security_group.this[0]", "aws_security_group.this"] } }
                """, module: "edge")
            .Import();
        var edge = Model(result).FindGroup("sg-0edge")!;
        Assert.Equal([new PortRange(443, 443), new PortRange(8443, 8443)], edge.Inbound.Select(r => r.Ports));
        AssertNoWarnings(result);
    }

    [Fact]
    public void AReferenceInsideAModuleInstanceNamesTheResourceOfThatInstance()
    {
        var plan = new PlanBuilder();
        foreach (var key in new[] { "a", "b" })
        {
            plan.Change($"module.edge[\"{key}\"].aws_security_group.this", "create",
                """{ "name": "edge", "ingress": [], "egress": [] }""", unknown: """{ "id": true }""")
                .Change($"module.edge[\"{key}\"].aws_security_group_rule.ssh", "create",
                    """{ "type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["192.0.2.0/24"], "self": false }""",
                    unknown: """{ "id": true, "security_group_id": true }""");
        }
        plan.Configure("aws_security_group.this", """{ "ingress": { "constant_value": [] }, "egress": { "constant_value": [] } }""", module: "edge")
            .Configure("aws_security_group_rule.ssh", """{ "security_group_id": { "references": ["aws_security_group.this.id", "aws_security_group.this"] } }""", module: "edge");
        var result = plan.Import();
        foreach (var key in new[] { "a", "b" })
        {
            var group = Model(result).FindGroup($"module.edge--{key}--.aws_security_group.this")!;
            Assert.Equal($"module.edge[\"{key}\"].aws_security_group_rule.ssh", Assert.Single(group.Inbound).Description);
        }
        AssertNoWarnings(result);
    }

    [Theory]
    [InlineData("create", "creates it")]
    [InlineData("update", "changes it")]
    [InlineData("no-op", "no resource of the plan manages its rules one by one")]
    public void ADynamicBlockWhichTheConfigurationJsonDoesNotShowIsImported(string action, string reason)
    {
        // dynamic "ingress" { for_each = var.ssh_cidrs ... }: Terraform's JSON has no "ingress" in the
        // expressions. The plan still shows it comes from the configuration: the group is new, or the
        // plan changes its rules, or nothing else manages them.
        var after = Group("sg-0bastion", SgBlock("tcp", 22, 22, "198.51.100.7/32") + "," + SgBlock("tcp", 22, 22, "192.0.2.10/32"), SgBlock("-1", 0, 0, "0.0.0.0/0"));
        var before = action switch
        {
            "create" => null,
            "update" => Group("sg-0bastion", SgBlock("tcp", 22, 22, "198.51.100.7/32"), SgBlock("-1", 0, 0, "0.0.0.0/0")),
            _ => after,
        };
        var result = new PlanBuilder()
            .Change("module.bastion.aws_security_group.this", action,
                action == "create" ? after.Replace("\"id\": \"sg-0bastion\", ", "") : after, before,
                unknown: action == "create" ? """{ "id": true }""" : "{}")
            .Configure("aws_security_group.this", """
                { "name": { "constant_value": "bastion" },
                  "egress": { "constant_value": [ { "cidr_blocks": ["0.0.0.0/0"], "description": null, "from_port": 0, "ipv6_cidr_blocks": null,
                                                  "prefix_list_ids": null, "protocol": "-1", "security_groups": null, "self": null, "to_port": 0 } ] } }
                """, module: "bastion")
            .Import();
        var bastion = Model(result).FindGroup(action == "create" ? "module.bastion.aws_security_group.this" : "sg-0bastion")!;
        Assert.Equal(["198.51.100.7/32", "192.0.2.10/32"], bastion.Inbound.Select(r => r.Peer.ToString()));
        Assert.Single(bastion.Outbound);
        Assert.Contains(result.Notes, n => n.Source == "module.bastion.aws_security_group.this" && n.Message.Contains(reason));
        AssertNoWarnings(result);
    }

    [Fact]
    public void ANewGroupWhoseConfigurationSetsNoRulesIsNotWarnedAbout()
    {
        // The provider plans the unset Optional+Computed ingress/egress of a new group as unknown.
        var result = new PlanBuilder()
            .Change("aws_security_group.db", "create", """{ "name": "db" }""", unknown: """{ "id": true, "ingress": true, "egress": true }""")
            .Change("aws_vpc_security_group_ingress_rule.db_pg", "create",
                """{ "ip_protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_ipv4": "10.0.2.0/24" }""",
                unknown: """{ "id": true, "security_group_id": true }""")
            .Configure("aws_security_group.db", """{ "name": { "constant_value": "db" } }""")
            .Configure("aws_vpc_security_group_ingress_rule.db_pg", """{ "security_group_id": { "references": ["aws_security_group.db.id", "aws_security_group.db"] } }""")
            .Import();
        Assert.Single(Model(result).FindGroup("aws_security_group.db")!.Inbound);
        AssertNoWarnings(result);
    }

    [Fact]
    public void WithPlannedValuesOnlyThePriorStateSaysWhatTheGroupWasAndWhatThePlanDeletes()
    {
        // No resource_changes: planned_values, with prior_state holding a rule resource the plan deletes.
        var group = Group("sg-0app", SgBlock("tcp", 8080, 8080, "10.0.0.0/16") + "," + SgBlock("tcp", 9999, 9999, "0.0.0.0/0"), "");
        var json = $$"""
            { "format_version": "1.2",
              "planned_values": { "root_module": { "resources": [
                { "address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app", "values": {{group}} },
                { "address": "aws_security_group_rule.http", "mode": "managed", "type": "aws_security_group_rule", "name": "http",
                  "values": {{GroupRule("ingress", "sg-0app", "tcp", 8080, 8080, "10.0.0.0/16")}} } ] } },
              "prior_state": { "format_version": "1.0", "values": { "root_module": { "resources": [
                { "address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app", "values": {{group}} },
                { "address": "aws_security_group_rule.http", "mode": "managed", "type": "aws_security_group_rule", "name": "http",
                  "values": {{GroupRule("ingress", "sg-0app", "tcp", 8080, 8080, "10.0.0.0/16")}} },
                { "address": "aws_security_group_rule.debug", "mode": "managed", "type": "aws_security_group_rule", "name": "debug",
                  "values": {{GroupRule("ingress", "sg-0app", "tcp", 9999, 9999, "0.0.0.0/0")}} } ] } } },
              "configuration": { "root_module": { "resources": [
                { "address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app", "expressions": {{NameOnly}} } ] } } }
            """;
        var result = TerraformImporter.Import(new ImportFile("plan.json", json));
        var app = Model(result).FindGroup("sg-0app")!;
        Assert.Equal([new PortRange(8080, 8080)], app.Inbound.Select(r => r.Ports));
        AssertNoWarnings(result);
    }
}
