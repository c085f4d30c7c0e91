using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// docs/ci.md's workflow is real: its <c>firewall test</c> and <c>firewall lint</c> lines run, as written, on
/// the shipped rulesets, and write the JUnit and SARIF files the workflow uploads.
/// </summary>
public sealed partial class CiExampleTests : IDisposable
{
    private static readonly string Page = File.ReadAllText(Repository.PathOf("docs/ci.md")).Replace("\r\n", "\n");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The workflow: the page's first YAML block (the pull-request section below it has lines of its own).</summary>
    private static string Workflow => Page.Split("```yaml\n")[1].Split("```")[0];

    /// <summary>What follows <c>firewall</c> on the workflow's line that runs <c>firewall VERB</c>.</summary>
    private static string RawLine(string verb)
    {
        var line = Workflow.Split('\n').Select(l => l.Trim()).Single(l => l.Contains($"firewall {verb} ", StringComparison.Ordinal) && !l.Contains('`'));
        return line[(line.IndexOf("firewall ", StringComparison.Ordinal) + "firewall ".Length)..];
    }

    /// <summary>The words of that line (no quoting in it).</summary>
    private static string[] Line(string verb) => [.. Word().Matches(RawLine(verb)).Select(m => m.Value)];

    [Fact]
    public void The_test_step_runs_every_shipped_test_file_and_writes_junit()
    {
        var words = Line("test");
        Assert.Equal(["test", "rulesets/*.tests.yaml", "--junit", "firewall-tests.xml"], words);
        var files = Directory.GetFiles(Repository.PathOf("rulesets"), "*.tests.yaml").Order(StringComparer.Ordinal);
        var junit = _dir.File(words[3]);
        var r = InProcessCli.Run(["test", .. files, words[2], junit]);
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Equal("0", XDocument.Load(junit).Root!.Attribute("failures")!.Value);
    }

    [Fact]
    public void The_lint_step_writes_sarif_for_each_ruleset_and_fails_on_errors_only()
    {
        // The shell's own words, with $r the ruleset and the output named after it.
        Assert.Equal("lint \"$r\" --format sarif -o \"firewall-lint-$(basename \"$r\" .yaml).sarif\" --fail-on error", RawLine("lint"));
        var rulesets = Directory.GetFiles(Repository.PathOf("rulesets"), "*.yaml").Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(rulesets);
        foreach (var ruleset in rulesets)
        {
            var sarif = _dir.File($"firewall-lint-{Path.GetFileNameWithoutExtension(ruleset)}.sarif");
            var r = InProcessCli.Run("lint", ruleset, "--format", "sarif", "-o", sarif, "--fail-on", "error");
            using var doc = JsonDocument.Parse(File.ReadAllText(sarif));
            Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
            var errors = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Count(x => x.TryGetProperty("level", out var level) && level.GetString() == "error");
            Assert.True(r.ExitCode == (errors > 0 ? 1 : 0), $"{ruleset}: exit {r.ExitCode} with {errors} error findings: {r.Error}");
        }
    }

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Word();
}
