using System.Globalization;
using Firewall.Reporting.Json;

namespace Firewall.Reporting.Testing;

/// <summary>
/// The test report as one JSON document, for tools: the run's totals, then per test file its totals and
/// each case with its status (passed, failed, error), where it is written, and for a failure or an error its
/// one-line reason and the lines that explain it, as the text report prints them.
/// </summary>
public static class TestJsonWriter
{
    public static void Write(IReadOnlyList<TestSuiteResult> suites, Stream output)
    {
        using var json = new JsonOutput(output, indented: true);
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteNumber("files", suites.Count);
        w.WriteNumber("tests", suites.Sum(s => s.Cases.Count));
        w.WriteNumber("passed", suites.Sum(s => s.Passes));
        w.WriteNumber("failed", suites.Sum(s => s.Failures));
        w.WriteNumber("errors", suites.Sum(s => s.Errors));
        w.WriteStartArray("suites");
        foreach (var suite in suites)
        {
            w.WriteStartObject();
            w.WriteString("file", suite.File);
            w.WriteString("name", suite.Name);
            w.WriteNumber("passed", suite.Passes);
            w.WriteNumber("failed", suite.Failures);
            w.WriteNumber("errors", suite.Errors);
            w.WriteStartArray("cases");
            foreach (var c in suite.Cases)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("location", c.Location);
                w.WriteString("status", Name(c.Status));
                w.WriteString("message", c.Message);
                JsonArrays.WriteStrings(w, "details", c.Details);
                w.WriteNumber("seconds", Math.Round(c.Duration.TotalSeconds, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        json.WriteNewline();
    }

    public static string Name(TestStatus status) => status switch
    {
        TestStatus.Passed => "passed",
        TestStatus.Failed => "failed",
        _ => "error",
    };
}
