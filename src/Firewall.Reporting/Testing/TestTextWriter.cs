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
                output.WriteLine($"  {Label(c.Status)}  {c.Name}");
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
            output.WriteLine($"  {Count(suite.Passes, "passed")}, {Count(suite.Failures, "failed")}{(suite.Errors > 0 ? $", {suite.Errors} could not run" : "")}");
            output.WriteLine();
        }
        var total = suites.Sum(s => s.Cases.Count);
        var failed = suites.Sum(s => s.Failures);
        var errors = suites.Sum(s => s.Errors);
        output.WriteLine(failed == 0 && errors == 0
            ? $"all {total} test{(total == 1 ? "" : "s")} passed in {suites.Count} file{(suites.Count == 1 ? "" : "s")}"
            : $"{failed} of {total} test{(total == 1 ? "" : "s")} failed" + (errors > 0 ? $", {errors} could not run" : ""));
    }

    private static string Label(TestStatus status) => status switch
    {
        TestStatus.Passed => "PASS",
        TestStatus.Failed => "FAIL",
        _ => "ERROR",
    };

    private static string Count(int n, string what) => $"{n} {what}";
}
