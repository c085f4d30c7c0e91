using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// A pull request end to end, in a temporary git repository: the plan of a change that drops the NACL rule
/// replies leave by fails the rule tests (JUnit names the case), <c>replies --fix-format terraform</c> prints
/// the rule to add, and with it the tests pass. Terraform itself is not installed here: the edit of the plan
/// JSON (<see cref="PlanFixes"/>) stands in for adding the block to the configuration and running
/// <c>terraform plan</c> and <c>terraform show -json</c> again. The <c>firewall</c> lines run are those of
/// docs/ci.md's "A pull request with a Terraform plan", and the files are those it shows.
/// </summary>
public sealed class PullRequestFlowTests : IDisposable
{
    private static readonly string Page = File.ReadAllText(Repository.PathOf("docs/ci.md")).Replace("\r\n", "\n");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_plan_that_breaks_replies_fails_the_tests_and_passes_with_the_printed_fix()
    {
        var git = GitRepository.Init(_dir.Path);
        Directory.CreateDirectory(_dir.File("tests"));
        File.WriteAllText(_dir.File("tests/web.tests.yaml"), DocBlock("yaml", "# tests/web.tests.yaml"));
        var plan = _dir.File("plan.json");
        File.WriteAllText(plan, Plan(ephemeralEgress: true).ToJsonString(Indented));
        git.CommitAll("web tier: the plan as it is, and tests of the flows it serves");
        var (test, replies) = Commands();
        var passed = Run(test);
        Assert.True(passed.ExitCode == 0, passed.Out + passed.Error);

        // The pull request: a plan that deletes aws_network_acl_rule.web_ephemeral_out.
        git.Run("switch", "-q", "-c", "tighten-egress");
        File.WriteAllText(plan, Plan(ephemeralEgress: false).ToJsonString(Indented));
        git.CommitAll("web tier: no egress rule for ephemeral ports");
        var failed = Run(test);
        Assert.Equal(1, failed.ExitCode);
        var junit = XDocument.Load(_dir.File("out.xml"));
        var failures = junit.Descendants("testcase").Where(c => c.Element("failure") is not null).Select(c => (string?)c.Attribute("name")).ToList();
        Assert.Equal(["https from the internet gets its replies"], failures);

        var fix = Run(replies);
        Assert.True(fix.ExitCode == 0, fix.Error);
        Assert.Equal("", fix.Error);
        var printed = Assert.Single(PrintedFix.Read(fix.Out));
        Assert.Equal(DocBlock("hcl", "resource \"aws_network_acl_rule\"").TrimEnd('\n'), printed.Text);
        var json = JsonNode.Parse(File.ReadAllText(plan))!;
        PlanFixes.Apply(json, printed);
        File.WriteAllText(plan, json.ToJsonString(Indented));
        git.CommitAll("web tier: let replies out, as firewall replies --fix-format terraform printed");

        var fixedRun = Run(test);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Out + fixedRun.Error);
        Assert.Equal("0", XDocument.Load(_dir.File("out.xml")).Root!.Attribute("failures")!.Value);
        Assert.Equal("", git.Run("status", "--porcelain", "--", "plan.json", "tests"));
    }

    [Fact]
    public void A_directory_without_test_files_is_refused()
    {
        File.WriteAllText(_dir.File("web.yaml"), "not a test file\n");
        var r = InProcessCli.Run("test", _dir.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"firewall: {_dir.Path}: a directory with no test file (*.tests.yaml) in it"], r.ErrorLines);
    }

    /// <summary>The <c>firewall test</c> and <c>firewall replies</c> lines of the page's pull-request section, as words.</summary>
    private static (string[] Test, string[] Replies) Commands()
    {
        var lines = DocBlock("sh", "firewall test").Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.StartsWith("firewall ", StringComparison.Ordinal)).ToList();
        var tests = lines.Where(l => l.StartsWith("firewall test ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal(["firewall test tests/ --ruleset plan.json --junit out.xml"], tests);
        var replies = Assert.Single(lines, l => l.StartsWith("firewall replies ", StringComparison.Ordinal));
        Assert.Equal("firewall replies --ruleset plan.json --fix-format terraform", replies);
        return (tests[0].Split(' ')[1..], replies.Split(' ')[1..]);
    }

    /// <summary>Runs the CLI as from the repository's root: its relative paths are taken in the temporary repository.</summary>
    private CliResult Run(string[] words) =>
        InProcessCli.Run([.. words.Select(w => w.StartsWith('-') ? w : w is "tests/" or "plan.json" or "out.xml" ? _dir.File(w) : w)]);

    /// <summary>The fenced block of the page's pull-request section with that language whose text holds <paramref name="marker"/>.</summary>
    private static string DocBlock(string language, string marker)
    {
        var section = Page[Page.IndexOf("## A pull request with a Terraform plan", StringComparison.Ordinal)..];
        var blocks = section.Split("```" + language + "\n").Skip(1).Select(b => b[..(b.IndexOf("```", StringComparison.Ordinal))]);
        return Assert.Single(blocks, b => b.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>terraform show -json</c> of a plan of the web tier, which exists: a subnet, its network ACL with
    /// rules as aws_network_acl_rule resources, a security group and the web server's interface. Without
    /// <paramref name="ephemeralEgress"/>, the plan deletes the egress rule for the ports clients pick.
    /// </summary>
    private static JsonNode Plan(bool ephemeralEgress)
    {
        static string Rule(string name, bool egress, int number, int from, int to) => $$"""
            { "address": "aws_network_acl_rule.{{name}}", "mode": "managed", "type": "aws_network_acl_rule", "name": "{{name}}",
              "after": { "cidr_block": "0.0.0.0/0", "egress": {{(egress ? "true" : "false")}}, "from_port": {{from}}, "icmp_code": null, "icmp_type": null,
                         "id": "nacl-{{number}}{{(egress ? 1 : 0)}}", "ipv6_cidr_block": null, "network_acl_id": "acl-0web", "protocol": "6",
                         "rule_action": "allow", "rule_number": {{number}}, "to_port": {{to}} } }
            """;
        var resources = new[]
        {
            """{ "address": "aws_subnet.web", "mode": "managed", "type": "aws_subnet", "name": "web", "after": { "id": "subnet-0web", "cidr_block": "10.0.1.0/24", "vpc_id": "vpc-0shop", "tags": { "Name": "web" } } }""",
            """{ "address": "aws_network_acl.web", "mode": "managed", "type": "aws_network_acl", "name": "web", "after": { "id": "acl-0web", "vpc_id": "vpc-0shop", "subnet_ids": ["subnet-0web"], "tags": { "Name": "web" } } }""",
            Rule("web_https_in", false, 100, 443, 443),
            Rule("web_ephemeral_out", true, 100, 1024, 65535),
            """
            { "address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group", "name": "web",
              "after": { "id": "sg-0web", "name": "web", "vpc_id": "vpc-0shop", "egress": [],
                         "ingress": [ { "cidr_blocks": ["0.0.0.0/0"], "description": "https", "from_port": 443, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                        "protocol": "tcp", "security_groups": [], "self": false, "to_port": 443 } ] } }
            """,
            """{ "address": "aws_network_interface.web", "mode": "managed", "type": "aws_network_interface", "name": "web", "after": { "id": "eni-0web", "subnet_id": "subnet-0web", "private_ips": ["10.0.1.10"], "security_groups": ["sg-0web"], "description": "web-1", "ipv6_addresses": [] } }""",
        };
        var changes = new JsonArray();
        foreach (var text in resources)
        {
            var r = JsonNode.Parse(text)!.AsObject();
            var after = r["after"]!;
            r.Remove("after");
            var deleted = !ephemeralEgress && (string?)r["name"] == "web_ephemeral_out";
            r["provider_name"] = "registry.terraform.io/hashicorp/aws";
            r["change"] = new JsonObject
            {
                ["actions"] = new JsonArray(deleted ? "delete" : "no-op"),
                ["before"] = after.DeepClone(),
                ["after"] = deleted ? null : after.DeepClone(),
                ["after_unknown"] = new JsonObject(),
                ["before_sensitive"] = new JsonObject(),
                ["after_sensitive"] = deleted ? false : new JsonObject(),
            };
            changes.Add(r);
        }
        return new JsonObject
        {
            ["format_version"] = "1.2",
            ["terraform_version"] = "1.9.8",
            ["resource_changes"] = changes,
            ["configuration"] = JsonNode.Parse("""{ "root_module": { "resources": [] } }"""),
        };
    }
}
