using System.Text.Json;
using System.Text.Json.Nodes;
using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>replies --fix-format aws-cli|terraform</c> prints fixes that the tools read: every AWS CLI line is
/// split as a shell would and uses only create-network-acl-entry's parameters, every Terraform block is
/// read as HCL; applied to the AWS export or the plan the ruleset came from, they leave no reply dropped.
/// </summary>
public sealed class RepliesFixFormatTests : IDisposable
{
    private static readonly string Fixtures = Repository.PathOf("tests/Firewall.Rulesets.Tests/Import/Fixtures");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Aws_cli_fixes_run_against_the_exported_acls_and_leave_no_reply_dropped()
    {
        var aws = Path.Combine(_dir.Path, "aws");
        Directory.CreateDirectory(aws);
        foreach (var file in Directory.GetFiles(Path.Combine(Fixtures, "aws")))
        {
            File.Copy(file, Path.Combine(aws, Path.GetFileName(file)));
        }
        Assert.Equal(1, InProcessCli.Run("replies", "--ruleset", aws, "--fail-on", "reply-denied").ExitCode);

        var r = InProcessCli.Run("replies", "--ruleset", aws, "--fix-format", "aws-cli");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.DoesNotContain("--fix-format", r.Error);
        var fixes = PrintedFix.Read(r.Out);
        Assert.NotEmpty(fixes);
        var nacls = Path.Combine(aws, "network-acls.json");
        var export = JsonNode.Parse(File.ReadAllText(nacls))!;
        var entries = fixes.SelectMany(f => f.Lines).Select(CreateNetworkAclEntry.Parse).ToList();
        Assert.Contains(entries, e => e.Parameters.ContainsKey("--port-range"));
        Assert.Contains(entries, e => e.Parameters.ContainsKey("--icmp-type-code"));
        Assert.Contains(entries, e => e.Parameters.ContainsKey("--ipv6-cidr-block"));
        Assert.All(entries, e => Assert.Matches("^(-1|[0-9]+)$", e.Parameters["--protocol"]));
        foreach (var entry in entries)
        {
            entry.ApplyTo(export);
        }
        File.WriteAllText(nacls, export.ToJsonString(Indented));

        var after = InProcessCli.Run("replies", "--ruleset", aws, "--fail-on", "reply-denied");
        Assert.True(after.ExitCode == 0, after.Out + after.Error);
        Assert.Contains("No reply dropped by a network ACL", after.Out);
    }

    [Fact]
    public void Terraform_fixes_added_to_the_plan_leave_no_reply_dropped()
    {
        var plan = _dir.File("plan.json");
        File.Copy(Path.Combine(Fixtures, "terraform", "mixed-plan.json"), plan);
        Assert.Equal(1, InProcessCli.Run("replies", "--ruleset", plan, "--fail-on", "reply-denied").ExitCode);

        var r = InProcessCli.Run("replies", "--ruleset", plan, "--fix-format", "terraform");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.DoesNotContain("--fix-format", r.Error);
        var fixes = PrintedFix.Read(r.Out);
        var blocks = fixes.SelectMany(f => HclReader.Read(f.Text)).ToList();
        // The plan has both kinds of ACL: aws_network_acl.app's rules are aws_network_acl_rule resources,
        // aws_network_acl.public's and module.data.aws_network_acl.db's are inline blocks.
        Assert.Contains(blocks, b => b.Header is ["resource", "aws_network_acl_rule", _] && b.Attributes["network_acl_id"] == new HclValue(HclKind.Reference, "aws_network_acl.app.id"));
        Assert.DoesNotContain(blocks, b => b.Header is ["resource", ..] && b.Attributes["network_acl_id"].Text.Contains("public", StringComparison.Ordinal));
        Assert.Contains(fixes, f => f.Heading.StartsWith("add to aws_network_acl.public as one more ingress block", StringComparison.Ordinal));
        Assert.Contains(fixes, f => f.Heading.StartsWith("add to module.data.aws_network_acl.db as one more", StringComparison.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(plan))!;
        foreach (var fix in fixes)
        {
            PlanFixes.Apply(json, fix);
        }
        File.WriteAllText(plan, json.ToJsonString(Indented));

        var after = InProcessCli.Run("replies", "--ruleset", plan, "--fail-on", "reply-denied");
        Assert.True(after.ExitCode == 0, after.Out + after.Error);
        Assert.Contains("No reply dropped by a network ACL", after.Out);
    }

    [Fact]
    public void A_ruleset_file_gets_a_quoted_placeholder_and_a_note_for_the_acl_id()
    {
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var r = InProcessCli.Run("replies", "--ruleset", ruleset, "--fix-format", "aws-cli");
        Assert.Equal(0, r.ExitCode);
        var entries = PrintedFix.Read(r.Out).SelectMany(f => f.Lines).Select(CreateNetworkAclEntry.Parse).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal("<id of network ACL public-nacl>", e.AclId));
        Assert.Equal(
            [$"firewall: --fix-format aws-cli: {ruleset} does not say the AWS id of network ACL public-nacl (an imported plan or describe-network-acls output does); put it in place of the placeholder"],
            r.ErrorLines);
    }

    [Fact]
    public void Yaml_is_the_default_and_prints_what_replies_always_printed()
    {
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var plain = InProcessCli.Run("replies", "--ruleset", ruleset);
        var yaml = InProcessCli.Run("replies", "--ruleset", ruleset, "--fix-format", "yaml");
        Assert.Equal((0, ""), (yaml.ExitCode, yaml.Error));
        Assert.Equal(plain.Out, yaml.Out);
        Assert.Contains("fix: add to network_acls.public-nacl.outbound", yaml.Out);
    }

    [Fact]
    public void Json_holds_the_fix_text_the_report_prints()
    {
        var plan = Path.Combine(Fixtures, "terraform", "mixed-plan.json");
        var text = PrintedFix.Read(InProcessCli.Run("replies", "--ruleset", plan, "--fix-format", "terraform").Out);
        var r = InProcessCli.Run("replies", "--ruleset", plan, "--fix-format", "terraform", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var fromJson = doc.RootElement.GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("fixes").EnumerateArray())
            .Select(f => f.GetProperty("path").ValueKind == JsonValueKind.Object ? f.GetProperty("path") : f)
            .Select(f => string.Join("\n", f.GetProperty("fix_text").EnumerateArray().Select(l => l.GetString())))
            .ToList();
        Assert.Equal(text.Select(f => f.Text), fromJson);
        Assert.False(JsonDocument.Parse(InProcessCli.Run("replies", "--ruleset", plan, "--format", "json").Out)
            .RootElement.GetProperty("groups")[0].GetProperty("fixes")[0].TryGetProperty("fix_text", out _));
    }

    [Fact]
    public void With_a_capture_the_fixes_are_written_in_the_chosen_syntax()
    {
        var r = InProcessCli.Run("replies", Repository.PathOf("samples/web-tier.pcapng"), "--ruleset", Repository.PathOf("rulesets/web-tier.yaml"), "--fix-format", "terraform");
        Assert.Equal(0, r.ExitCode);
        var blocks = PrintedFix.Read(r.Out).SelectMany(f => HclReader.Read(f.Text)).ToList();
        Assert.NotEmpty(blocks);
        Assert.All(blocks, b =>
        {
            Assert.Equal("aws_network_acl_rule", b.Header[1]);
            Assert.Equal(new HclValue(HclKind.String, "<id of network ACL public-nacl>"), b.Attributes["network_acl_id"]);
            Assert.Equal(HclKind.Number, b.Attributes["rule_number"].Kind);
        });
        Assert.Contains("does not say the aws_network_acl resource or AWS id of network ACL public-nacl", r.Error);
    }
}
