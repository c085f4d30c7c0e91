using System.Text;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>No input makes an importer throw: truncated files and files with values swapped for other JSON kinds.</summary>
public class HostileImportTests
{
    private static string Fixture(params string[] parts) => File.ReadAllText(ImportFixtures.PathOf(parts));

    private static readonly string[] Replacements = ["null", "[]", "{}", "-1", "99999999999999999999", "\"\"", "\"x\"", "true", "[[[]]]"];

    /// <summary>Every 97th prefix of the file, and each JSON value replaced in turn by a value of another kind.</summary>
    private static IEnumerable<string> Variants(string json)
    {
        for (var i = 0; i < json.Length; i += 97)
        {
            yield return json[..i];
        }
        var random = new Random(9);
        for (var n = 0; n < 300; n++)
        {
            var at = random.Next(json.Length);
            var colon = json.IndexOf(": ", at, StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var end = json.IndexOfAny([',', '\n'], colon + 2);
            if (end < 0)
            {
                continue;
            }
            yield return new StringBuilder(json).Remove(colon + 2, end - colon - 2).Insert(colon + 2, Replacements[random.Next(Replacements.Length)]).ToString();
        }
    }

    private static void AssertSound(ImportResult result)
    {
        if (result.Ruleset is not null)
        {
            Assert.Empty(RulesetLoader.LoadText(result.ToYaml(), "x.yaml").Diagnostics);
        }
    }

    [Fact]
    public void AwsImportNeverThrows()
    {
        var acls = Fixture("aws", "network-acls.json");
        var groups = Fixture("aws", "security-groups.json");
        foreach (var variant in Variants(groups))
        {
            AssertSound(AwsImporter.Import(new AwsImportInput { SecurityGroups = new("sg.json", variant), NetworkAcls = new("acl.json", acls) }));
        }
        foreach (var variant in Variants(acls))
        {
            AssertSound(AwsImporter.Import(new AwsImportInput { NetworkAcls = new("acl.json", variant), Subnets = new("s.json", Fixture("aws", "subnets.json")) }));
        }
        foreach (var variant in Variants(Fixture("aws", "network-interfaces.json")))
        {
            AssertSound(AwsImporter.Import(new AwsImportInput { SecurityGroups = new("sg.json", groups), NetworkInterfaces = new("e.json", variant) }));
        }
    }

    [Theory]
    [InlineData("plan.json")]
    [InlineData("mixed-plan.json")]
    public void TerraformImportNeverThrows(string plan)
    {
        foreach (var variant in Variants(Fixture("terraform", plan)))
        {
            AssertSound(TerraformImporter.Import(new ImportFile(plan, variant)));
        }
    }
}
