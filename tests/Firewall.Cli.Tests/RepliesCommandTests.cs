using System.Text.Json;
using Firewall.Cli.Tests.Support;

namespace Firewall.Cli.Tests;

public sealed class RepliesCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _capture;
    private readonly string _ruleset = Repo.PathOf("rulesets/web-tier.yaml");

    public RepliesCommandTests()
    {
        _capture = WebTierTraffic.Build().WriteTo(_dir.File("web-tier-small.pcap"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Text_matches_golden()
    {
        var r = CliRunner.Run("replies", _capture, "--ruleset", _ruleset);
        Assert.Equal("", r.Error);
        Assert.Equal(0, r.ExitCode);
        Golden.Check("replies-small.txt", r.Out, (_dir.Path, "$TMP"));
    }

    [Fact]
    public void Json_matches_golden()
    {
        var r = CliRunner.Run("replies", _capture, "--ruleset", _ruleset, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(3, doc.RootElement.GetProperty("nacl_reply_denied_flows").GetInt32());
        Golden.Check("replies-small.json", r.Out, (_dir.Path, "$TMP"));
    }

    [Fact]
    public void Suggested_rules_pasted_into_the_ruleset_leave_no_reply_dropped_by_a_nacl()
    {
        AssertFixesWork(_capture, _ruleset, expectedGroups: 2);
    }

    [SkippableFact]
    public void Suggested_rules_fix_the_shipped_web_tier_sample()
    {
        var sample = Repo.PathOf("samples/web-tier.pcapng");
        Skip.IfNot(File.Exists(sample), "samples/web-tier.pcapng is not in the repository yet");
        AssertFixesWork(sample, _ruleset, expectedGroups: null);
    }

    /// <summary>
    /// SPEC §6 / issue 5 must-show 2: take every YAML line `replies` suggests, paste it into a copy of the
    /// ruleset in the ACL and direction it names, run `check` again, and find no reply dropped by a NACL.
    /// </summary>
    private void AssertFixesWork(string capture, string ruleset, int? expectedGroups)
    {
        var before = CliRunner.Run("replies", capture, "--ruleset", ruleset, "--format", "json");
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
                yaml = RulesetEditor.Paste(yaml, fix.GetProperty("acl").GetString()!, fix.GetProperty("direction").GetString()!, fix.GetProperty("yaml").GetString()!);
            }
        }
        var fixedRuleset = _dir.File("fixed.yaml");
        File.WriteAllText(fixedRuleset, yaml);

        var check = CliRunner.Run("check", capture, "--ruleset", fixedRuleset, "--format", "json", "--flows");
        Assert.True(check.ExitCode == 0, check.Error);
        using var result = JsonDocument.Parse(check.Out);
        Assert.Equal(0, result.RootElement.GetProperty("summary").GetProperty("reply_drops").GetArrayLength());
        var replies = CliRunner.Run("replies", capture, "--ruleset", fixedRuleset, "--format", "json");
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
