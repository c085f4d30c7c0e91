using System.Text.Json;
using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// The answers about all packets from the command line: <c>query</c>, <c>diff</c> and <c>replies</c>
/// without traffic, on the shipped rulesets, with repository-relative paths as the README writes them.
/// The README's examples are these goldens (ReadmeTests); FIREWALL_UPDATE_GOLDEN=1 rewrites them.
/// </summary>
public sealed class AnswerCommandTests
{
    private const string ThreeTier = "rulesets/three-tier.yaml";
    private const string WebTier = "rulesets/web-tier.yaml";
    private const string Widened = "rulesets/changes/web-tier-widened.yaml";

    /// <summary>Runs the CLI with the shipped rulesets' paths made absolute, and makes them relative again in what it prints.</summary>
    private static CliResult RunInRepo(params string[] args)
    {
        string[] files = [ThreeTier, WebTier, Widened, "rulesets/sg-only.yaml"];
        var r = InProcessCli.Run([.. args.Select(a => files.Contains(a) ? Repository.PathOf(a) : a)]);
        var output = r.Out;
        foreach (var f in files)
        {
            output = output.Replace(Repository.PathOf(f), f);
        }
        return r with { Out = output };
    }

    [Fact]
    public void Query_text_is_the_readme_example()
    {
        var r = RunInRepo("query", "tcp * -> db-1:5432", "--ruleset", ThreeTier);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Golden.Check("query-db.txt", r.Out);
    }

    [Fact]
    public void Static_diff_text_is_the_readme_example()
    {
        var r = RunInRepo("diff", "--ruleset", WebTier, "--against", Widened, "--set", "tcp * -> web-1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Golden.Check("diff-static.txt", r.Out);
    }

    [Fact]
    public void Static_replies_text_is_the_docs_example()
    {
        var r = RunInRepo("replies", "--ruleset", WebTier);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        Golden.Check("replies-static.txt", r.Out);
    }

    [Fact]
    public void Query_json_has_one_object_per_class_with_the_documented_fields()
    {
        var r = RunInRepo("query", "* * -> web-1", "--ruleset", WebTier, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("web-tier", root.GetProperty("ruleset").GetString());
        Assert.Equal("* * -> web-1", root.GetProperty("set").GetString());
        var classes = root.GetProperty("classes").EnumerateArray().ToList();
        Assert.NotEmpty(classes);
        string[] fields = ["protocol", "sources", "source_ports", "destinations", "ports", "icmp_type", "icmp_code",
            "outcome", "stateless_outcome", "request_rule", "reply_rule", "example"];
        Assert.All(classes, c => Assert.Equal(fields, c.EnumerateObject().Select(p => p.Name)));
        // https from the internet to web-1 from a Linux client's port: allowed, its replies only by tracking.
        Assert.Contains(classes, c => c.GetProperty("protocol").GetString() == "tcp"
            && c.GetProperty("ports").EnumerateArray().Select(p => p.GetString()).SequenceEqual(["443"])
            && c.GetProperty("source_ports").EnumerateArray().Select(p => p.GetString()).SequenceEqual(["32768-60999"])
            && c.GetProperty("outcome").GetString() == "allowed"
            && c.GetProperty("stateless_outcome").GetString() == "reply-denied"
            && c.GetProperty("request_rule").GetString() == "sg:web-sg:inbound:2");
        // Echo requests: icmp_type is a number; a set of types is a string of ranges.
        Assert.Contains(classes, c => c.GetProperty("protocol").GetString() == "icmp" && c.GetProperty("icmp_type").ValueKind == JsonValueKind.Number && c.GetProperty("icmp_type").GetInt32() == 8);
        Assert.Contains(classes, c => c.GetProperty("icmp_type").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public void A_bad_set_is_exit_2_with_a_caret_under_the_column()
    {
        var r = RunInRepo("query", "tcp * -> db-9:5432", "--ruleset", ThreeTier);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        var lines = r.Error.Split('\n');
        Assert.StartsWith("firewall: column 10: ", lines[0]);
        Assert.Equal("  tcp * -> db-9:5432", lines[1]);
        Assert.Equal("           ^", lines[2]);
    }

    [Fact]
    public void Static_diff_fails_on_newly_blocked_only_when_a_class_is()
    {
        // Widening the reply rule blocks nothing; narrowing it back blocks the replies to Windows clients.
        Assert.Equal(0, RunInRepo("diff", "--ruleset", WebTier, "--against", Widened, "--fail-on", "newly-blocked").ExitCode);
        var back = RunInRepo("diff", "--ruleset", Widened, "--against", WebTier, "--fail-on", "newly-blocked");
        Assert.Equal(1, back.ExitCode);
        Assert.Contains("newly blocked", back.Out);
        Assert.Equal(1, RunInRepo("diff", "--ruleset", WebTier, "--against", Widened, "--fail-on", "any").ExitCode);
        var same = RunInRepo("diff", "--ruleset", WebTier, "--against", WebTier, "--fail-on", "any");
        Assert.Equal(0, same.ExitCode);
        Assert.Contains("No packet of the set gets another outcome or deciding rule.", same.Out);
    }

    [Fact]
    public void Options_for_traffic_are_refused_without_traffic()
    {
        var diff = RunInRepo("diff", "--ruleset", WebTier, "--against", Widened, "--midstream", "strict");
        Assert.Equal(2, diff.ExitCode);
        Assert.Contains("--midstream applies to traffic", diff.Error);
        var replies = RunInRepo("replies", "--ruleset", WebTier, "--related-icmp");
        Assert.Equal(2, replies.ExitCode);
        Assert.Contains("--related-icmp applies to a capture", replies.Error);
    }

    [Fact]
    public void Static_diff_json_holds_old_and_new_per_class()
    {
        var r = RunInRepo("diff", "--ruleset", WebTier, "--against", Widened, "--set", "tcp * -> web-1", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var classes = doc.RootElement.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(4, classes.Count);
        Assert.All(classes, c =>
        {
            Assert.Equal("reply-denied", c.GetProperty("old").GetProperty("outcome").GetString());
            Assert.Equal("allowed", c.GetProperty("new").GetProperty("outcome").GetString());
            Assert.StartsWith("nacl:public-nacl:outbound:", c.GetProperty("new").GetProperty("reply_rule").GetString());
        });
    }

    [Fact]
    public void Static_replies_fail_on_reply_denied_and_refuse_what_needs_a_capture()
    {
        Assert.Equal(1, RunInRepo("replies", "--ruleset", WebTier, "--fail-on", "reply-denied").ExitCode);
        Assert.Equal(0, RunInRepo("replies", "--ruleset", "rulesets/sg-only.yaml", "--fail-on", "reply-denied").ExitCode);
        var deny = RunInRepo("replies", "--ruleset", WebTier, "--fail-on", "deny");
        Assert.Equal(2, deny.ExitCode);
        Assert.Contains("--fail-on deny needs a capture", deny.Error);
        var both = RunInRepo("replies", Repository.PathOf("samples/web-tier.pcapng"), "--ruleset", WebTier, "--set", "tcp * -> web-1");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--set chooses packets without a capture", both.Error);
    }

    [Fact]
    public void Static_replies_json_lists_the_classes_and_the_fixes()
    {
        var r = RunInRepo("replies", "--ruleset", WebTier, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("1024-65535", root.GetProperty("client_ports").GetString());
        var groups = root.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal("nacl:public-nacl:outbound:*", groups[0].GetProperty("rule").GetString());
        var fix = groups[0].GetProperty("fixes").EnumerateArray().First();
        Assert.Equal("tcp", fix.GetProperty("proto").GetString());
        Assert.True(fix.GetProperty("classes").GetInt32() > 0);
        Assert.Equal("- { rule: 140, protocol: tcp, ports: 1024-65535, destination: 0.0.0.0/0, action: allow }",
            fix.GetProperty("path").GetProperty("yaml")[0].GetString());
    }

    [Fact]
    public void Explain_replays_an_icmp_example_with_its_type_and_code()
    {
        var r = RunInRepo("explain", "--ruleset", WebTier, "icmp 198.51.100.7 -> 10.0.1.10 type 3 code 4");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("request   icmp 198.51.100.7 -> 10.0.1.10 type 3 code 4", r.Out);
        Assert.Contains("outcome   request-denied", r.Out);
        var bad = RunInRepo("explain", "--ruleset", WebTier, "tcp 198.51.100.7:1 -> 10.0.1.10:22 type 3");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'type' applies to icmp and icmpv6 flows, not tcp", bad.Error);
    }
}
