namespace Firewall.Reporting.Testing;

/// <summary>
/// The readable test report: one line per case (PASS/FAIL, name, where it is written), the reason and
/// hop traces under each failure, and a total line per file and for the run.
/// </summary>
public static class TestTextWriter
{
    public static void Write(IReadOnlyList<TestSuiteResult> suites, TextWriter output)
    {
        foreach (var suite in suites)
        {
            output.WriteLine($"{suite.File} ({suite.Name})");
            foreach (var c in suite.Cases)
            {
                output.WriteLine($"  {(c.Passed ? "PASS" : "FAIL")}  {c.Name}");
                if (c.Passed)
                {
                    continue;
                }
                output.WriteLine($"        at {c.Location}");
                output.WriteLine($"        {c.Message}");
                foreach (var line in c.Details)
                {
                    output.WriteLine($"        {line}");
                }
            }
            output.WriteLine($"  {Count(suite.Cases.Count - suite.Failures, "passed")}, {Count(suite.Failures, "failed")}");
            output.WriteLine();
        }
        var total = suites.Sum(s => s.Cases.Count);
        var failed = suites.Sum(s => s.Failures);
        output.WriteLine(failed == 0
            ? $"all {total} test{(total == 1 ? "" : "s")} passed in {suites.Count} file{(suites.Count == 1 ? "" : "s")}"
            : $"{failed} of {total} test{(total == 1 ? "" : "s")} failed");
    }

    private static string Count(int n, string what) => $"{n} {what}";
}
