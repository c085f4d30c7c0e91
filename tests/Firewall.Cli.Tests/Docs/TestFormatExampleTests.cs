using System.Text.RegularExpressions;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Docs;

/// <summary>
/// docs/test-format.md's example file runs as written: saved beside the shipped ruleset it names (and the
/// sample capture where its relative path points), every one of its tests passes.
/// </summary>
public sealed partial class TestFormatExampleTests
{
    [Fact]
    public void Test_format_example_passes_against_the_shipped_ruleset()
    {
        var page = File.ReadAllText(Repository.PathOf("docs/test-format.md")).Replace("\r\n", "\n");
        var open = page.IndexOf("```yaml\n", StringComparison.Ordinal) + 8;
        var example = page[open..page.IndexOf("```\n", open, StringComparison.Ordinal)];
        var ruleset = RulesetKey().Match(example).Groups[1].Value;
        var names = NameKey().Matches(example).Count;
        Assert.True(names >= 5, "the example shows fewer tests than it did");

        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("rulesets"));
        Directory.CreateDirectory(dir.File("samples"));
        File.Copy(Repository.PathOf($"rulesets/{ruleset}"), dir.File($"rulesets/{ruleset}"));
        foreach (var capture in Directory.EnumerateFiles(Repository.PathOf("samples"), "*.pcapng"))
        {
            File.Copy(capture, dir.File($"samples/{Path.GetFileName(capture)}"));
        }
        var file = dir.File("rulesets/example.tests.yaml");
        File.WriteAllText(file, example);

        var r = InProcessCli.Run("test", file);
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains($"all {names} tests passed in 1 file", r.Out);
    }

    [GeneratedRegex(@"^ruleset: (\S+)", RegexOptions.Multiline)]
    private static partial Regex RulesetKey();

    [GeneratedRegex(@"^  - name: ", RegexOptions.Multiline)]
    private static partial Regex NameKey();
}
