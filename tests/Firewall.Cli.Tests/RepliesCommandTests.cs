using System.Text.Json;
using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

public sealed class RepliesCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _capture;
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public RepliesCommandTests()
    {
        _capture = WebTierTraffic.Build().WriteTo(_dir.File("web-tier-small.pcap"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Text_matches_golden()
    {
        var r = InProcessCli.Run("replies", _capture, "--ruleset", _ruleset);
        Assert.Equal("", r.Error);
        Assert.Equal(0, r.ExitCode);
        Golden.Check("replies-small.txt", r.Out, (_dir.Path, "$TMP"));
    }

    [Fact]
    public void Json_matches_golden()
    {
        var r = InProcessCli.Run("replies", _capture, "--ruleset", _ruleset, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(3, doc.RootElement.GetProperty("nacl_reply_denied_flows").GetInt32());
        Golden.Check("replies-small.json", r.Out, (_dir.Path, "$TMP"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Suggested_rules_pasted_into_the_ruleset_leave_no_reply_dropped_by_a_nacl(bool path)
    {
        AssertFixesWork(_capture, _ruleset, expectedGroups: 2, path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Suggested_rules_fix_the_shipped_web_tier_sample(bool path)
    {
        AssertFixesWork(Repository.PathOf("samples/web-tier.pcapng"), _ruleset, expectedGroups: null, path);
    }

    /// <summary>
    /// replies and lint agree: once the path fixes replies prints are pasted, lint reports none of those
    /// paths (security-group rule and ACL) as dropping replies, and check finds no reply dropped by a NACL.
    /// On each shipped ruleset with a random mix of its traffic, and on the sample.
    /// </summary>
    [Theory]
    [InlineData("web-tier")]
    [InlineData("three-tier")]
    [InlineData("dual-stack")]
    [InlineData("dns-resolver")]
    [InlineData("nacl-only")]
    [InlineData("sg-only")]
    public void After_the_path_fixes_lint_finds_those_reply_paths_open(string name)
    {
        var ruleset = Repository.PathOf($"rulesets/{name}.yaml");
        var capture = _dir.File($"{name}.pcap");
        var synth = InProcessCli.Run("synth", "--random", "20000", "--seed", "7", "--ruleset", ruleset, "-o", capture, "-q");
        Assert.True(synth.ExitCode == 0, synth.Error);
        var replies = InProcessCli.Run("replies", capture, "--ruleset", ruleset, "--format", "json", "-q");
        Assert.Equal(0, replies.ExitCode);
        using var analysis = JsonDocument.Parse(replies.Out);
        var yaml = File.ReadAllText(ruleset);
        var paths = new List<(string Rule, string Acl)>();
        foreach (var fix in analysis.RootElement.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("fixes").EnumerateArray()))
        {
            var (acl, direction) = (fix.GetProperty("acl").GetString()!, fix.GetProperty("direction").GetString()!);
            var path = fix.GetProperty("path");
            var lines = path.ValueKind == JsonValueKind.Null ? fix.GetProperty("yaml") : path.GetProperty("yaml");
            foreach (var line in lines.EnumerateArray())
            {
                yaml = RulesetEditor.Paste(yaml, acl, direction, line.GetString()!);
            }
            if (path.ValueKind != JsonValueKind.Null)
            {
                paths.AddRange(path.GetProperty("sg_rules").EnumerateArray().Select(r => (r.GetString()!, acl)));
            }
        }
        var fixedRuleset = _dir.File($"{name}-fixed.yaml");
        File.WriteAllText(fixedRuleset, yaml);

        var lint = InProcessCli.Run("lint", fixedRuleset, "--format", "json", "--fail-on", "never");
        Assert.True(lint.ExitCode == 0, lint.Error);
        using var findings = JsonDocument.Parse(lint.Out);
        foreach (var finding in findings.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "nacl-closes-replies"))
        {
            var rules = finding.GetProperty("rules").EnumerateArray().Select(r => r.GetString()!).ToList();
            var message = finding.GetProperty("message").GetString()!;
            Assert.False(paths.Any(p => rules.Contains(p.Rule) && message.Contains($"network ACL '{p.Acl}'", StringComparison.Ordinal)),
                $"{name}: lint still reports a reply path replies opened: {message}");
        }
        var check = InProcessCli.Run("check", capture, "--ruleset", fixedRuleset, "--format", "json", "-q");
        Assert.True(check.ExitCode == 0, check.Error);
        using var result = JsonDocument.Parse(check.Out);
        Assert.Equal(0, result.RootElement.GetProperty("summary").GetProperty("reply_drops").GetArrayLength());
    }

    /// <summary>
    /// SPEC §6 / issue 5 must-show 2: take every YAML line `replies` suggests, paste it into a copy of the
    /// ruleset in the ACL and direction it names, run `check` again, and find no reply dropped by a NACL.
    /// </summary>
    private void AssertFixesWork(string capture, string ruleset, int? expectedGroups, bool path)
    {
        var before = InProcessCli.Run("replies", capture, "--ruleset", ruleset, "--format", "json");
        Assert.Equal(0, before.ExitCode);
        using var analysis = JsonDocument.Parse(before.Out);
        var groups = analysis.RootElement.GetProperty("groups");
        Assert.True(groups.GetArrayLength() > 0, "the capture has no reply dropped by a NACL, so there is nothing to fix");
        if (expectedGroups is { } n)
        {
            Assert.Equal(n, groups.GetArrayLength());
        }

        var yaml = File.ReadAllText(ruleset);
        foreach (var group in groups.EnumerateArray())
        {
            foreach (var fix in group.GetProperty("fixes").EnumerateArray())
            {
                var kind = path && fix.GetProperty("path").ValueKind != JsonValueKind.Null ? fix.GetProperty("path") : fix;
                foreach (var line in kind.GetProperty("yaml").EnumerateArray())
                {
                    yaml = RulesetEditor.Paste(yaml, fix.GetProperty("acl").GetString()!, fix.GetProperty("direction").GetString()!, line.GetString()!);
                }
            }
        }
        var fixedRuleset = _dir.File("fixed.yaml");
        File.WriteAllText(fixedRuleset, yaml);

        var check = InProcessCli.Run("check", capture, "--ruleset", fixedRuleset, "--format", "json", "--flows");
        Assert.True(check.ExitCode == 0, check.Error);
        using var result = JsonDocument.Parse(check.Out);
        Assert.Equal(0, result.RootElement.GetProperty("summary").GetProperty("reply_drops").GetArrayLength());
        var replies = InProcessCli.Run("replies", capture, "--ruleset", fixedRuleset, "--format", "json");
        using var after = JsonDocument.Parse(replies.Out);
        Assert.Equal(0, after.RootElement.GetProperty("nacl_reply_denied_flows").GetInt32());

        // The flows that were reply-denied now pass both ways.
        var flows = result.RootElement.GetProperty("flows").EnumerateArray().ToList();
        foreach (var group in groups.EnumerateArray())
        {
            foreach (var example in group.GetProperty("examples").EnumerateArray())
            {
                var flow = flows.Single(f => f.GetProperty("first_frame").GetInt64() == example.GetProperty("first_frame").GetInt64());
                Assert.Equal("allowed", flow.GetProperty("outcome").GetString());
            }
        }
    }
}
