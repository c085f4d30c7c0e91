using System.Text;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// A plan of an existing VPC that mixes inline rules (set in the configuration, or by a dynamic block)
/// with rule resources whose rules the provider also shows read back into the group or ACL, prefix lists
/// of the plan, count and module instances, and instances whose primary interface is known
/// (Fixtures/terraform/mixed-plan.json, in the shape of <c>terraform show -json</c>). The imported YAML is
/// pinned in mixed-plan.yaml; FIREWALL_UPDATE_GOLDEN=1 rewrites it (review the diff).
/// </summary>
public class TerraformMixedPlanTests
{
    private static string Fixture(string name) => ImportFixtures.PathOf("terraform", name);

    private static readonly Lazy<ImportResult> Result = new(() => TerraformImporter.Import(ImportFile.Read(Fixture("mixed-plan.json"))));

    private static Ruleset Model => Result.Value.Ruleset ?? throw new Xunit.Sdk.XunitException(string.Join("\n", Result.Value.Notes));

    [Fact]
    public void TheImportedYamlIsTheGolden()
    {
        var yaml = Result.Value.ToYaml();
        var golden = Fixture("mixed-plan.yaml");
        if (Environment.GetEnvironmentVariable("FIREWALL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, yaml, new UTF8Encoding(false));
        }
        Assert.Equal(File.ReadAllText(golden), yaml);
    }

    [Fact]
    public void EachRuleIsImportedOnce()
    {
        var app = Model.FindGroup("sg-0app")!;
        Assert.Equal([8080, 9100, 8443], app.Inbound.Select(r => (int)r.Ports.From));
        Assert.Single(app.Outbound);
        // aws_security_group_rule.app_debug is deleted by the plan: its rule, still in the read-back, is gone.
        Assert.DoesNotContain(Model.SecurityGroups.SelectMany(g => g.Inbound), r => r.Ports.From == 9999);
        var acl = Model.FindAcl("acl-0app")!;
        Assert.Equal([100, 150, 200], acl.Inbound.Select(r => r.Number));
        Assert.Equal([100], acl.Outbound.Select(r => r.Number));
        Assert.Equal(3, Model.FindGroup("sg-0web")!.Inbound.Count);
        Assert.Equal(2, Model.FindGroup("sg-0bastion")!.Inbound.Count);
        Assert.DoesNotContain(Result.Value.Notes, n => n.Severity != ImportSeverity.Info);
    }

    [Fact]
    public void PrefixListsComeFromThePlan()
    {
        Assert.Equal(
            [("pl-0office", "198.51.100.0/25,203.0.113.0/24"), ("aws_ec2_managed_prefix_list.partners", "192.0.2.0/24")],
            Model.PrefixLists.Select(p => (p.Name, string.Join(",", p.Cidrs))));
        Assert.Equal("pl:pl-0office", Model.FindGroup("sg-0web")!.Inbound[2].Peer.ToString());
        Assert.Equal("pl:aws_ec2_managed_prefix_list.partners", Model.FindGroup("sg-0app")!.Inbound[2].Peer.ToString());
    }

    [Fact]
    public void InstancesAreTheirPrimaryInterfaces()
    {
        Assert.Equal(["eni-0web", "eni-0app", "aws_instance.worker"], Model.Interfaces.Select(i => i.Name));
        Assert.Equal(["aws_security_group.tier-1"], Model.FindInterface("aws_instance.worker")!.SecurityGroups);
    }

    [Fact]
    public void TheGoldenLoadsIntoTheSameModel()
    {
        var loaded = RulesetLoader.LoadText(File.ReadAllText(Fixture("mixed-plan.yaml")), "mixed-plan.yaml");
        Assert.Empty(loaded.Diagnostics);
        ModelEquality.AssertEqual(Model, loaded.Ruleset!);
    }
}
