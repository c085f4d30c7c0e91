using Firewall.Cli.Tests.Support;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary><c>firewall import aws|terraform</c>: the written file loads, notes go to standard error, exit codes.</summary>
public class ImportCommandTests
{
    private static string Aws(string name) => Repository.PathOf($"tests/Firewall.Rulesets.Tests/Import/Fixtures/aws/{name}");

    /// <summary>`aws ec2 describe-security-groups | firewall import aws --security-groups -`: one input may come from standard input, as check's capture may.</summary>
    [Fact]
    public void ImportReadsOneFileFromStandardInput()
    {
        var fromFile = InProcessCli.Run("import", "aws", "--security-groups", Aws("security-groups.json"), "--network-acls", Aws("network-acls.json"));
        var fromStdin = InProcessCli.RunWithInput(File.ReadAllBytes(Aws("security-groups.json")), "import", "aws", "--security-groups", "-", "--network-acls", Aws("network-acls.json"));
        Assert.Equal(0, fromStdin.ExitCode);
        Assert.Equal(fromFile.Out, fromStdin.Out);
        Assert.Equal(fromFile.Error.Replace(Aws("security-groups.json"), "-"), fromStdin.Error);

        var plan = Repository.PathOf("tests/Firewall.Rulesets.Tests/Import/Fixtures/terraform/plan.json");
        var planFromStdin = InProcessCli.RunWithInput(File.ReadAllBytes(plan), "import", "terraform", "-");
        Assert.Equal((0, InProcessCli.Run("import", "terraform", plan).Out.Replace("plan.json", "-")), (planFromStdin.ExitCode, planFromStdin.Out));

        var twice = InProcessCli.RunWithInput([], "import", "aws", "--security-groups", "-", "--network-acls", "-");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("standard input ('-') can feed one file only", twice.Error);
    }

    [Fact]
    public void ImportAwsWritesARulesetThatChecksCanUse()
    {
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "vpc.yaml");
        var r = InProcessCli.Run("import", "aws",
            "--security-groups", Aws("security-groups.json"), "--network-acls", Aws("network-acls.json"),
            "--subnets", Aws("subnets.json"), "--network-interfaces", Aws("network-interfaces.json"),
            "--vpcs", Aws("vpcs.json"), "--prefix-lists", $"pl-0office={Aws("pl-0office.json")}", "-o", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Contains("warning: stale reference: security group 'sg-0deleted'", r.Error);
        Assert.EndsWith("firewall: import: 3 security groups, 3 network ACLs, 3 subnets, 4 interfaces; 0 errors, 1 warnings\n", r.Error);
        var loaded = RulesetLoader.LoadFile(output);
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal(4, loaded.Ruleset!.Interfaces.Count);
    }

    [Fact]
    public void StrictFailsOnWarningsButStillWrites()
    {
        var r = InProcessCli.Run("import", "aws", "--security-groups", Aws("security-groups.json"), "--strict");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("version: 1\n", r.Out);
    }

    [Fact]
    public void ImportTerraformToStandardOutput()
    {
        var r = InProcessCli.Run("import", "terraform", Repository.PathOf("tests/Firewall.Rulesets.Tests/Import/Fixtures/terraform/plan.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("aws_instance.worker: warning: private_ip is known only after apply", r.Error);
        Assert.Empty(RulesetLoader.LoadText(r.Out, "plan.yaml").Diagnostics);
    }

    [Fact]
    public void ImportTerraformMixedPlanWritesEachRuleOnce()
    {
        // Inline rules beside rule resources whose rules the plan also shows read back, prefix lists of
        // the plan, instances with known primary interfaces: the YAML is the Rulesets tests' golden,
        // and the notes (all info) are pinned here.
        const string Fixtures = "tests/Firewall.Rulesets.Tests/Import/Fixtures/terraform/";
        var r = InProcessCli.Run("import", "terraform", Repository.PathOf(Fixtures + "mixed-plan.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(File.ReadAllText(Repository.PathOf(Fixtures + "mixed-plan.yaml")), r.Out);
        Golden.Check("import-terraform-mixed-plan.txt", r.Error);
        Assert.EndsWith("firewall: import: 5 security groups, 3 network ACLs, 3 subnets, 3 interfaces; 0 errors, 0 warnings\n", r.Error);
    }

    [Theory]
    [InlineData("import", "aws")]
    [InlineData("import", "aws", "--security-groups", "/no/such/file.json")]
    [InlineData("import", "aws", "--security-groups", "x.json", "--prefix-lists", "office=y.json")]
    [InlineData("import", "terraform", "/no/such/plan.json")]
    public void BadUsageExitsTwo(params string[] args)
    {
        var r = InProcessCli.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("firewall: ", r.Error);
    }

    [Fact]
    public void InputThatIsNotJsonExitsTwoWithThePosition()
    {
        using var dir = new TempDir();
        var bad = Path.Combine(dir.Path, "sg.json");
        File.WriteAllText(bad, "{\n  \"SecurityGroups\": [\n    { \"GroupId\": \"sg-1\", }\n");
        var r = InProcessCli.Run("import", "aws", "--security-groups", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{bad}:3:", r.Error);
        Assert.Contains("no ruleset was written", r.Error);
    }
}
