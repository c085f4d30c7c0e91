using Firewall.Engine.Model;
using Firewall.Rulesets.Import;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// An <c>aws_instance</c> is imported as its primary network interface, named by
/// <c>primary_network_interface_id</c> where the plan knows it (as <c>import aws</c> names interfaces),
/// and only once when that interface is an <c>aws_network_interface</c> of the plan.
/// </summary>
public class TerraformInstanceTests
{
    private static Ruleset Model(ImportResult result) => result.Ruleset ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Notes));

    private static void AssertNoWarnings(ImportResult result) =>
        Assert.True(result.Notes.All(n => n.Severity == ImportSeverity.Info), string.Join("\n", result.Notes));

    private static PlanBuilder Network() => new PlanBuilder()
        .Change("aws_subnet.app", "no-op", """{ "id": "subnet-0app", "cidr_block": "10.0.2.0/24", "vpc_id": "vpc-0shop" }""")
        .Change("aws_network_acl.app", "no-op", """{ "id": "acl-0app", "subnet_ids": ["subnet-0app"], "ingress": [], "egress": [] }""")
        .Change("aws_security_group.app", "no-op", """{ "id": "sg-0app", "name": "app", "ingress": [], "egress": [] }""");

    private static string Instance(string id, string eni, string address) => $$"""
        { "id": "{{id}}", "ami": "ami-0abc", "instance_type": "t3.small", "primary_network_interface_id": "{{eni}}",
          "private_ip": "{{address}}", "secondary_private_ips": [], "ipv6_address_count": 0, "ipv6_addresses": [],
          "subnet_id": "subnet-0app", "vpc_security_group_ids": ["sg-0app"], "tags": { "Name": "app-1" } }
        """;

    [Fact]
    public void AnInstanceIsNamedByItsPrimaryNetworkInterface()
    {
        var result = Network().Change("aws_instance.app", "no-op", Instance("i-0app", "eni-0app", "10.0.2.10")).Import();
        var eni = Assert.Single(Model(result).Interfaces);
        Assert.Equal(("eni-0app", "subnet-0app", "sg-0app"), (eni.Name, eni.Subnet, string.Join(",", eni.SecurityGroups)));
        Assert.Equal(["10.0.2.10"], eni.Addresses.Select(a => a.ToString()));
        Assert.Equal("app-1; i-0app; aws_instance.app", result.InterfaceDescriptions["eni-0app"]);
        AssertNoWarnings(result);
    }

    [Fact]
    public void AnInstanceWhosePrimaryInterfaceIsAnInterfaceOfThePlanIsImportedOnce()
    {
        // network_interface { network_interface_id = aws_network_interface.app.id, device_index = 0 }
        var result = Network()
            .Change("aws_network_interface.app", "no-op", """
                { "id": "eni-0app", "private_ip": "10.0.2.10", "private_ips": ["10.0.2.10"], "security_groups": ["sg-0app"],
                  "subnet_id": "subnet-0app", "description": "app ENI", "ipv6_address_count": 0, "ipv6_addresses": [] }
                """)
            .Change("aws_instance.app", "no-op", Instance("i-0app", "eni-0app", "10.0.2.10"))
            .Import();
        var eni = Assert.Single(Model(result).Interfaces);
        Assert.Equal(("eni-0app", "app ENI; aws_network_interface.app"), (eni.Name, result.InterfaceDescriptions["eni-0app"]));
        Assert.Contains(result.Notes, n => n.Source == "aws_instance.app" && n.Message == "its primary network interface eni-0app is aws_network_interface.app; imported once, from that resource");
        AssertNoWarnings(result);
    }

    [Fact]
    public void AnInstanceWhosePrimaryInterfaceIsNotKnownYetIsNamedByItsAddress()
    {
        var result = Network()
            .Change("aws_instance.new", "create", """
                { "ami": "ami-0abc", "instance_type": "t3.small", "private_ip": "10.0.2.30", "ipv6_address_count": 0,
                  "subnet_id": "subnet-0app", "vpc_security_group_ids": ["sg-0app"] }
                """, unknown: """{ "id": true, "primary_network_interface_id": true, "ipv6_addresses": true, "secondary_private_ips": true }""")
            .Import();
        Assert.Equal("aws_instance.new", Assert.Single(Model(result).Interfaces).Name);
        AssertNoWarnings(result);
    }
}
