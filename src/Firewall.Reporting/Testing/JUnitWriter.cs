using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Firewall.Reporting.Testing;

/// <summary>
/// Writes results as JUnit XML in the shape Jenkins (junit plugin), GitLab (artifacts:reports:junit) and
/// GitHub test-report actions read: <c>testsuites</c> with totals, one <c>testsuite</c> per test file,
/// one <c>testcase</c> per case (<c>classname</c> = the file, <c>file</c> and <c>line</c> where it is
/// written), and a <c>failure</c> with the one-line <c>message</c> and the hop traces as its text. A case
/// that could not run (a test file that did not load, a capture that could not be read) is an
/// <c>error</c>, counted in <c>errors</c>: a gate reading the file never sees a clean run that checked nothing.
/// </summary>
public static class JUnitWriter
{
    public static XDocument Build(IReadOnlyList<TestSuiteResult> suites)
    {
        var root = new XElement("testsuites",
            new XAttribute("name", "firewall test"),
            new XAttribute("tests", suites.Sum(s => s.Cases.Count)),
            new XAttribute("failures", suites.Sum(s => s.Failures)),
            new XAttribute("errors", suites.Sum(s => s.Errors)),
            new XAttribute("time", Seconds(TimeSpan.FromTicks(suites.Sum(s => s.Duration.Ticks)))));
        foreach (var suite in suites)
        {
            var element = new XElement("testsuite",
                new XAttribute("name", suite.Name),
                new XAttribute("file", suite.File),
                new XAttribute("tests", suite.Cases.Count),
                new XAttribute("failures", suite.Failures),
                new XAttribute("errors", suite.Errors),
                new XAttribute("skipped", 0),
                new XAttribute("time", Seconds(suite.Duration)));
            foreach (var c in suite.Cases)
            {
                var testcase = new XElement("testcase",
                    new XAttribute("name", Clean(c.Name)),
                    new XAttribute("classname", suite.Name),
                    new XAttribute("file", suite.File),
                    new XAttribute("time", Seconds(c.Duration)));
                if (LineOf(c.Location) is { } line)
                {
                    testcase.Add(new XAttribute("line", line));
                }
                if (!c.Passed)
                {
                    var body = string.Join("\n", new[] { $"at {c.Location}", c.Message }.Concat(c.Details));
                    var error = c.Status == TestStatus.Error;
                    testcase.Add(new XElement(error ? "error" : "failure",
                        new XAttribute("message", Clean(c.Message)),
                        new XAttribute("type", error ? "input" : "expectation"),
                        Clean(body)));
                }
                element.Add(testcase);
            }
            root.Add(element);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    public static void Write(IReadOnlyList<TestSuiteResult> suites, Stream output)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(output, settings);
        Build(suites).Save(writer);
    }

    public static void Write(IReadOnlyList<TestSuiteResult> suites, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Write(suites, stream);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static int? LineOf(string location)
    {
        var parts = location.Split(':');
        return parts.Length >= 3 && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : null;
    }

    /// <summary>XML 1.0 cannot carry most control characters even escaped; names come from user files.</summary>
    private static string Clean(string text) =>
        text.Any(ch => ch < 0x20 && ch is not ('\n' or '\r' or '\t'))
            ? new string(text.Select(ch => ch < 0x20 && ch is not ('\n' or '\r' or '\t') ? '?' : ch).ToArray())
            : text;
}
