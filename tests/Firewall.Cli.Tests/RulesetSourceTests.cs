using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>--ruleset</c> takes a Terraform plan (<c>terraform show -json</c>) or AWS describe-* output (a file, or a
/// directory of them) as well as a ruleset file, told apart by content: a command given the plan answers
/// exactly what it answers given the YAML <c>firewall import</c> writes, and shows the import's warnings.
/// </summary>
public sealed class RulesetSourceTests : IDisposable
{
    private const string Query = "tcp 0.0.0.0/0 -> *:443";
    private static readonly string Fixtures = Repository.PathOf("tests/Firewall.Rulesets.Tests/Import/Fixtures");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_terraform_plan_answers_as_its_import_does()
    {
        var plan = Path.Combine(Fixtures, "terraform", "mixed-plan.json");
        var yaml = _dir.File("plan.yaml");
        Assert.Equal(0, InProcessCli.Run("import", "terraform", plan, "-o", yaml).ExitCode);

        var fromPlan = InProcessCli.Run("query", Query, "--ruleset", plan);
        var fromYaml = InProcessCli.Run("query", Query, "--ruleset", yaml);
        Assert.Equal(0, fromPlan.ExitCode);
        Assert.Contains("allowed", fromPlan.Out);
        Assert.Equal(fromYaml.Out.Replace(yaml, "RULESET"), fromPlan.Out.Replace(plan, "RULESET"));
    }

    [Fact]
    public void A_directory_of_aws_output_answers_as_its_import_does_and_shows_the_warnings()
    {
        var aws = Path.Combine(Fixtures, "aws");
        var yaml = _dir.File("aws.yaml");
        string F(string name) => Path.Combine(aws, name);
        Assert.Equal(0, InProcessCli.Run(
            "import", "aws", "--security-groups", F("security-groups.json"), "--network-acls", F("network-acls.json"), "--subnets", F("subnets.json"),
            "--network-interfaces", F("network-interfaces.json"), "--vpcs", F("vpcs.json"), "--prefix-lists", F("pl-0office.json"), "-o", yaml).ExitCode);

        var fromDirectory = InProcessCli.Run("query", Query, "--ruleset", aws);
        var fromYaml = InProcessCli.Run("query", Query, "--ruleset", yaml);
        Assert.Equal(0, fromDirectory.ExitCode);
        Assert.Equal(fromYaml.Out.Replace(yaml, "RULESET"), fromDirectory.Out.Replace(aws, "RULESET"));
        Assert.Contains("warning: stale reference: security group 'sg-0deleted'", fromDirectory.Error);
        Assert.Equal("", fromYaml.Error);
    }

    /// <summary>A ruleset file read from a FIFO gives its bytes once: nothing may read them before the loader does.</summary>
    [SkippableFact]
    public void A_ruleset_in_a_fifo_is_read_once()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are a Unix thing");
        var fifo = _dir.File("ruleset.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Skip.If(mkfifo.ExitCode != 0, "mkfifo failed");
        }
        var yaml = Repository.PathOf("rulesets/web-tier.yaml");
        var writer = Task.Run(() => File.WriteAllText(fifo, File.ReadAllText(yaml)));
        var fromFifo = InProcessCli.Run("query", Query, "--ruleset", fifo);
        writer.Wait(TimeSpan.FromMinutes(1));
        var fromFile = InProcessCli.Run("query", Query, "--ruleset", yaml);
        Assert.Equal((0, ""), (fromFifo.ExitCode, fromFifo.Error));
        Assert.Equal(fromFile.Out.Replace(yaml, "RULESET"), fromFifo.Out.Replace(fifo, "RULESET"));
    }

    [Fact]
    public void Json_that_is_no_plan_and_no_aws_output_is_refused()
    {
        var other = _dir.File("other.json");
        File.WriteAllText(other, "{ \"hello\": 1 }\n");
        var r = InProcessCli.Run("query", Query, "--ruleset", other);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("neither a Terraform plan (terraform show -json) nor aws ec2 describe-* output", r.Error);
        Assert.Equal("", r.Out);
    }
}
