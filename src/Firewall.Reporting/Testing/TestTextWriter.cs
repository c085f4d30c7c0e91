using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Testing;

/// <summary>
/// The readable test report: one line per case (PASS/FAIL, name, where it is written), the reason and
/// hop traces under each failure, and a total line per file and for the run.
/// </summary>
public static class TestTextWriter
{
    /// <param name="palette">Colours for a terminal (the caller decides); none by default.</param>
    public static void Write(IReadOnlyList<TestSuiteResult> suites, TextWriter output, TextPalette? palette = null)
    {
        var p = palette ?? TextPalette.Plain;
        foreach (var suite in suites)
        {
            output.WriteLine(p.Heading($"{suite.File} ({suite.Name})"));
            foreach (var c in suite.Cases)
            {
                output.WriteLine($"  {p.Paint(Label(c.Status), StatusTone(c.Status))}  {c.Name}");
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
            ? p.Paint($"all {total} test{(total == 1 ? "" : "s")} passed in {suites.Count} file{(suites.Count == 1 ? "" : "s")}", Formatting.Tone.Good)
            : p.Paint($"{failed} of {total} test{(total == 1 ? "" : "s")} failed" + (errors > 0 ? $", {errors} could not run" : ""), Formatting.Tone.Bad));
    }

    private static Tone StatusTone(TestStatus status) => status switch
    {
        TestStatus.Passed => Formatting.Tone.Good,
        TestStatus.Failed => Formatting.Tone.Bad,
        _ => Formatting.Tone.Warning,
    };

    private static string Label(TestStatus status) => status switch
    {
        TestStatus.Passed => "PASS",
        TestStatus.Failed => "FAIL",
        _ => "ERROR",
    };

    private static string Count(int n, string what) => $"{n} {what}";
}
