using Firewall.Engine.Model;
using Firewall.Rulesets.Import;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// Prefix lists named by security group rules are read from the plan's <c>aws_ec2_managed_prefix_list</c>
/// resources (<c>entry[].cidr</c>) and <c>aws_ec2_managed_prefix_list_entry</c> resources, whether the rule
/// names the list by a known id or through a configuration reference.
/// </summary>
public class TerraformPrefixListTests
{
    private static Ruleset Model(ImportResult result) => result.Ruleset ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Notes));

    private static void AssertNoWarnings(ImportResult result) =>
        Assert.True(result.Notes.All(n => n.Severity == ImportSeverity.Info), string.Join("\n", result.Notes));

    private const string Office = """
        { "id": "pl-0office", "name": "office", "address_family": "IPv4", "max_entries": 5,
          "entry": [ { "cidr": "203.0.113.0/24", "description": "HQ" }, { "cidr": "198.51.100.0/25", "description": "branch" } ] }
        """;

    private static PlanBuilder WebGroupUsingLists() => new PlanBuilder()
        .Change("aws_ec2_managed_prefix_list.office", "no-op", Office)
        .Change("aws_ec2_managed_prefix_list.partners", "create",
            """{ "name": "partners", "address_family": "IPv4", "max_entries": 2, "entry": [ { "cidr": "192.0.2.0/24", "description": null } ] }""",
            unknown: """{ "id": true, "arn": true, "entry": [ {} ] }""")
        .Change("aws_security_group.web", "create", """
            { "name": "web", "ingress": [ { "cidr_blocks": [], "description": "ssh from the offices", "from_port": 22, "ipv6_cidr_blocks": [],
                                            "prefix_list_ids": ["pl-0office"], "protocol": "tcp", "security_groups": [], "self": false, "to_port": 22 } ],
              "egress": [] }
            """, unknown: """{ "id": true, "ingress": [ { "prefix_list_ids": [false] } ] }""")
        .Change("aws_vpc_security_group_ingress_rule.web_partners", "create",
            """{ "ip_protocol": "tcp", "from_port": 8443, "to_port": 8443, "description": "partners" }""",
            unknown: """{ "id": true, "security_group_id": true, "prefix_list_id": true }""")
        .Configure("aws_ec2_managed_prefix_list.office", """
            { "name": { "constant_value": "office" }, "address_family": { "constant_value": "IPv4" }, "max_entries": { "constant_value": 5 },
              "entry": [ { "cidr": { "constant_value": "203.0.113.0/24" }, "description": { "constant_value": "HQ" } },
                         { "cidr": { "constant_value": "198.51.100.0/25" }, "description": { "constant_value": "branch" } } ] }
            """)
        .Configure("aws_ec2_managed_prefix_list.partners", """{ "name": { "constant_value": "partners" }, "entry": [ { "cidr": { "constant_value": "192.0.2.0/24" } } ] }""")
        .Configure("aws_security_group.web", """
            { "name": { "constant_value": "web" }, "egress": { "constant_value": [] },
              "ingress": { "references": ["aws_ec2_managed_prefix_list.office.id", "aws_ec2_managed_prefix_list.office"] } }
            """)
        .Configure("aws_vpc_security_group_ingress_rule.web_partners", """
            { "security_group_id": { "references": ["aws_security_group.web.id", "aws_security_group.web"] },
              "prefix_list_id": { "references": ["aws_ec2_managed_prefix_list.partners.id", "aws_ec2_managed_prefix_list.partners"] } }
            """);

    [Fact]
    public void RulesNamingAPrefixListOfThePlanGetItsEntries()
    {
        var result = WebGroupUsingLists().Import();
        var model = Model(result);
        Assert.Equal(
            [("pl-0office", "203.0.113.0/24,198.51.100.0/25"), ("aws_ec2_managed_prefix_list.partners", "192.0.2.0/24")],
            model.PrefixLists.Select(p => (p.Name, string.Join(",", p.Cidrs))));
        var web = model.FindGroup("aws_security_group.web")!;
        // By its id (the list exists), and through the configuration's reference (the list is new).
        Assert.Equal(["pl:pl-0office", "pl:aws_ec2_managed_prefix_list.partners"], web.Inbound.Select(r => r.Peer.ToString()));
        AssertNoWarnings(result);
    }

    [Fact]
    public void EntryResourcesAddToTheirListAndItsReadBackIsNotImportedAgain()
    {
        // pl-0vpn's entries come from entry resources; the plan shows the one that exists read back.
        var result = new PlanBuilder()
            .Change("aws_ec2_managed_prefix_list.vpn", "no-op",
                """{ "id": "pl-0vpn", "name": "vpn", "address_family": "IPv4", "max_entries": 4, "entry": [ { "cidr": "10.8.0.0/16", "description": "" }, { "cidr": "10.7.0.0/16", "description": "" } ] }""")
            .Change("aws_ec2_managed_prefix_list_entry.old", "no-op", """{ "id": "pl-0vpn,10.8.0.0/16", "prefix_list_id": "pl-0vpn", "cidr": "10.8.0.0/16" }""")
            .Change("aws_ec2_managed_prefix_list_entry.gone", "delete", null, before: """{ "id": "pl-0vpn,10.7.0.0/16", "prefix_list_id": "pl-0vpn", "cidr": "10.7.0.0/16" }""")
            .Change("aws_ec2_managed_prefix_list_entry.new", "create", """{ "prefix_list_id": "pl-0vpn", "cidr": "10.9.0.0/16" }""", unknown: """{ "id": true }""")
            .Change("aws_security_group_rule.vpn_ssh", "no-op",
                """{ "id": "sgrule-1", "type": "ingress", "security_group_id": "sg-0jump", "protocol": "tcp", "from_port": 22, "to_port": 22, "prefix_list_ids": ["pl-0vpn"] }""")
            .Change("aws_security_group.jump", "no-op", """{ "id": "sg-0jump", "name": "jump", "ingress": [], "egress": [] }""")
            .Configure("aws_ec2_managed_prefix_list.vpn", """{ "name": { "constant_value": "vpn" } }""")
            .Import();
        Assert.Equal(["10.8.0.0/16", "10.9.0.0/16"], Model(result).PrefixLists.Single(p => p.Name == "pl-0vpn").Cidrs.Select(c => c.ToString()));
        Assert.Equal("pl:pl-0vpn", Assert.Single(Model(result).FindGroup("sg-0jump")!.Inbound).Peer.ToString());
        AssertNoWarnings(result);
    }

    [Fact]
    public void AListThePlanDoesNotHoldLeavesItsRulesOutSayingSo()
    {
        // pl-63a5400a: an AWS-managed list (com.amazonaws.REGION.s3), read with a data source if at all.
        var result = new PlanBuilder()
            .Change("aws_security_group.app", "no-op", """
                { "id": "sg-0app", "name": "app", "ingress": [],
                  "egress": [ { "cidr_blocks": [], "description": "S3", "from_port": 443, "ipv6_cidr_blocks": [], "prefix_list_ids": ["pl-63a5400a"],
                                "protocol": "tcp", "security_groups": [], "self": false, "to_port": 443 } ] }
                """)
            .Configure("aws_security_group.app", """{ "egress": { "references": ["data.aws_prefix_list.s3.id", "data.aws_prefix_list.s3"] } }""")
            .Import();
        Assert.Empty(Model(result).FindGroup("sg-0app")!.Outbound);
        var note = Assert.Single(result.Notes, n => n.Severity == ImportSeverity.Warning);
        Assert.Equal("aws_security_group.app.egress[0]", note.Source);
        Assert.Contains("prefix list 'pl-63a5400a' has no entries in the input (the plan holds the entries of its aws_ec2_managed_prefix_list resources only", note.Message);
        Assert.DoesNotContain("--prefix-lists", note.Message);
    }

    [Fact]
    public void AnEntryKnownOnlyAfterApplyIsLeftOutWithAWarning()
    {
        var result = new PlanBuilder()
            .Change("aws_ec2_managed_prefix_list.vpcs", "create",
                """{ "name": "vpcs", "address_family": "IPv4", "max_entries": 2, "entry": [ { "description": "main" }, { "cidr": "10.30.0.0/16", "description": "peer" } ] }""",
                unknown: """{ "id": true, "entry": [ { "cidr": true }, {} ] }""")
            .Configure("aws_ec2_managed_prefix_list.vpcs", """
                { "entry": [ { "cidr": { "references": ["aws_vpc.main.cidr_block", "aws_vpc.main"] } }, { "cidr": { "constant_value": "10.30.0.0/16" } } ] }
                """)
            .Change("aws_security_group.x", "create", """{ "name": "x", "ingress": [], "egress": [] }""", unknown: """{ "id": true }""")
            .Import();
        Assert.Equal(["10.30.0.0/16"], Model(result).PrefixLists.Single().Cidrs.Select(c => c.ToString()));
        var warning = Assert.Single(result.Notes, n => n.Severity == ImportSeverity.Warning);
        Assert.Equal(("aws_ec2_managed_prefix_list.vpcs.entry[0]", "cidr is known only after apply; the entry is left out"), (warning.Source, warning.Message));
    }
}
