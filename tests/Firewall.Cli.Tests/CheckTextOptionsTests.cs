using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>check's text report: the verdict line against the JSON of the same run, --summary, --assumptions, and what they refuse.</summary>
public sealed class CheckTextOptionsTests
{
    private static readonly string Sample = Repository.PathOf("samples/web-tier.pcapng");
    private static readonly string Flows = Repository.PathOf("samples/web-tier.flows.yaml");
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    /// <summary>The verdict the JSON records of the same run call for: outcomes of at least one flow, reply drops put on what denied them.</summary>
    private static string VerdictFromJson(params string[] input)
    {
        var r = InProcessCli.Run(["check", .. input, "--ruleset", Ruleset, "--format", "json", "--flows"]);
        using var json = JsonDocument.Parse(r.Out);
        var flows = json.RootElement.GetProperty("flows").EnumerateArray().ToList();
        var parts = new List<string>();
        foreach (var outcome in new[] { "allowed", "request-denied", "reply-denied", "partially-denied" })
        {
            var these = flows.Where(f => f.GetProperty("outcome").GetString() == outcome).ToList();
            if (these.Count == 0)
            {
                continue;
            }
            var part = $"{these.Count} {outcome}";
            if (outcome == "reply-denied")
            {
                var byNacl = these.All(f => f.GetProperty("denied_by").GetString()!.StartsWith("nacl:", StringComparison.Ordinal));
                Assert.True(byNacl, "the sample's replies are all dropped by its NACL");
                part += these.Count == 1 ? " by a network ACL" : " by network ACLs";
            }
            parts.Add(part);
        }
        return $"{flows.Count} flows: {string.Join(", ", parts)}";
    }

    [Theory]
    [InlineData("capture")]
    [InlineData("flows-file")]
    public void The_first_line_is_the_verdict_the_records_call_for(string input)
    {
        string[] args = input == "capture" ? [Sample] : ["--flows-file", Flows];
        var r = InProcessCli.Run(["check", .. args, "--ruleset", Ruleset]);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n');
        Assert.Equal(VerdictFromJson(args), lines[0]);
        Assert.Equal("", lines[1]);
        Assert.StartsWith("Capture  ", lines[2]);
    }

    [Fact]
    public void Assumptions_lists_what_json_carries_and_the_default_counts_them()
    {
        var plain = InProcessCli.Run("check", Sample, "--ruleset", Ruleset);
        var listed = InProcessCli.Run("check", Sample, "--ruleset", Ruleset, "--assumptions");
        Assert.Equal(0, listed.ExitCode);
        using var json = JsonDocument.Parse(InProcessCli.Run("check", Sample, "--ruleset", Ruleset, "--format", "json").Out);
        var names = json.RootElement.GetProperty("summary").GetProperty("assumptions").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList();
        Assert.Equal(18, names.Count);
        var line = plain.Out.Split('\n').Single(l => l.StartsWith("Assumptions", StringComparison.Ordinal));
        Assert.StartsWith($"Assumptions  {names.Count}: ", line);
        Assert.EndsWith("; --assumptions lists them", line);
        // Everything else is the same; in place of the line, a heading and one row per assumption, in the JSON's order.
        var at = plain.Out.IndexOf(line, StringComparison.Ordinal);
        Assert.StartsWith(plain.Out[..at] + "Assumptions\n", listed.Out);
        var rows = listed.Out[(at + "Assumptions\n".Length)..].TrimEnd('\n').Split('\n');
        Assert.Equal(names, rows.Select(row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        foreach (var name in names)
        {
            Assert.DoesNotContain($"  {name} ", plain.Out);
        }
    }

    [Theory]
    [InlineData("--summary --packets", "--summary prints only the totals: drop --packets")]
    [InlineData("--summary --flows", "--summary prints only the totals: drop --flows")]
    [InlineData("--summary --format json", "--summary shapes the text report: --format json writes every total and assumption as data")]
    [InlineData("--summary --format jsonl", "--summary shapes the text report: --format jsonl writes every total and assumption as data")]
    [InlineData("--summary --format csv --flows", "--summary shapes the text report: --format csv writes every total and assumption as data")]
    [InlineData("--summary --format flowlog", "--summary shapes the text report: --format flowlog writes flow log records")]
    [InlineData("--assumptions --format json", "--assumptions shapes the text report: --format json writes every total and assumption as data")]
    public void Text_only_options_are_refused_with_what_they_cannot_go_with(string options, string message)
    {
        var r = InProcessCli.Run(["check", Sample, "--ruleset", Ruleset, .. options.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"firewall: {message}", r.ErrorLines[0]);
    }

    [Fact]
    public void Summary_with_assumptions_adds_the_list()
    {
        var summary = InProcessCli.Run("check", Sample, "--ruleset", Ruleset, "--summary");
        var both = InProcessCli.Run("check", Sample, "--ruleset", Ruleset, "--summary", "--assumptions");
        Assert.Equal(0, both.ExitCode);
        Assert.StartsWith(summary.Out + "\nAssumptions\n  tcp-established-timeout", both.Out);
    }
}
