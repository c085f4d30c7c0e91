using Firewall.Flows.Testing;
using Firewall.Reporting.Testing;

namespace Firewall.Flows.Tests.Testing;

/// <summary>Must-show 4: every rulesets/*.tests.yaml passes, and every shipped ruleset has one.</summary>
public class ShippedTestFilesTests
{
    private static IEnumerable<string> TestFilePaths() =>
        Directory.EnumerateFiles(TestFiles.Rulesets, "*.tests.yaml").Order(StringComparer.Ordinal);

    [Fact]
    public void EveryShippedTestFilePasses()
    {
        var run = TestRunner.RunFiles(TestFilePaths());
        var report = new StringWriter();
        TestTextWriter.Write(run.Suites, report);
        Assert.True(run.Errors.Count == 0, string.Join("\n", run.Errors));
        Assert.True(run.ExitCode == 0, report.ToString());
        Assert.True(run.Suites.Sum(s => s.Cases.Count) >= 30, report.ToString());
    }

    [Fact]
    public void EveryShippedRulesetHasATestFile()
    {
        var rulesets = Directory.EnumerateFiles(TestFiles.Rulesets, "*.yaml")
            .Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f));
        var tests = TestFilePaths().Select(f => Path.GetFileName(f)[..^".tests.yaml".Length]);
        Assert.Equal(rulesets.Order(), tests.Order());
    }
}
