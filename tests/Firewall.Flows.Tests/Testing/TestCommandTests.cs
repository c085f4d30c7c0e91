using System.Xml.Linq;
using Firewall.Tests.Support;

namespace Firewall.Flows.Tests.Testing;

/// <summary><c>firewall test</c> and <c>firewall synth</c> through the CLI entry point, in-process.</summary>
public class TestCommandTests
{
    [Fact]
    public void ShippedTestFilesPassThroughTheCli()
    {
        using var dir = new TempDir();
        var files = Directory.EnumerateFiles(TestFiles.Rulesets, "*.tests.yaml").Order().ToArray();
        var junit = dir.File("junit.xml");
        var (code, output, err) = InProcessCli.Run(["test", .. files, "--junit", junit]);
        Assert.True(code == 0, output + err);
        Assert.Contains("tests passed in 6 files", output);
        var doc = XDocument.Load(junit);
        Assert.Equal(6, doc.Root!.Elements("testsuite").Count());
        Assert.Equal("0", doc.Root.Attribute("failures")!.Value);
    }

    /// <summary>
    /// The pull-request check: the suite runs against a proposed ruleset given on the command line, and a
    /// proposal that drops the NACL rule passing replies to Linux clients fails the cases that need it.
    /// </summary>
    [Fact]
    public void Ruleset_option_runs_the_files_against_a_proposed_ruleset()
    {
        using var dir = new TempDir();
        var suite = Path.Combine(TestFiles.Rulesets, "web-tier.tests.yaml");
        var today = InProcessCli.Run("test", suite);
        var same = InProcessCli.Run("test", suite, "--ruleset", TestFiles.WebTier);
        Assert.Equal((0, today.Out), (same.ExitCode, same.Out));

        var proposed = dir.File("proposed.yaml");
        var lines = File.ReadAllLines(TestFiles.WebTier);
        var dropped = lines.Where(l => l.Contains("description: replies to Linux clients", StringComparison.Ordinal)).ToList();
        Assert.Single(dropped);
        File.WriteAllLines(proposed, lines.Where(l => l != dropped[0]));
        var junit = dir.File("out.xml");
        var (code, output, err) = InProcessCli.Run("test", suite, "--ruleset", proposed, "--junit", junit);
        Assert.True(code == 1, output + err);
        Assert.Contains("FAIL  ", output);
        Assert.Contains("reply denied by nacl:public-nacl:outbound:", output);
        Assert.NotEqual("0", XDocument.Load(junit).Root!.Attribute("failures")!.Value);
    }

    /// <summary>--format json says what the text report says: the same cases, statuses and reasons.</summary>
    [Fact]
    public void Json_format_reports_the_same_cases_as_the_text()
    {
        using var dir = new TempDir();
        var suite = Path.Combine(TestFiles.Rulesets, "web-tier.tests.yaml");
        var proposed = dir.File("proposed.yaml");
        File.WriteAllLines(proposed, File.ReadAllLines(TestFiles.WebTier).Where(l => !l.Contains("description: replies to Linux clients", StringComparison.Ordinal)));
        var text = InProcessCli.Run("test", suite, "--ruleset", proposed);
        var json = InProcessCli.Run("test", suite, "--ruleset", proposed, "--format", "json");
        Assert.Equal((1, 1), (text.ExitCode, json.ExitCode));

        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        var cases = root.GetProperty("suites")[0].GetProperty("cases").EnumerateArray().ToList();
        var textLines = text.Out.Split('\n');
        Assert.Equal(textLines.Count(l => l.StartsWith("  PASS  ", StringComparison.Ordinal) || l.StartsWith("  FAIL  ", StringComparison.Ordinal)), cases.Count);
        Assert.Equal(cases.Count, root.GetProperty("tests").GetInt32());
        var failed = cases.Where(c => c.GetProperty("status").GetString() == "failed").ToList();
        Assert.NotEmpty(failed);
        Assert.Equal(failed.Count, root.GetProperty("failed").GetInt32());
        foreach (var c in failed)
        {
            Assert.Contains($"  FAIL  {c.GetProperty("name").GetString()}", textLines);
            Assert.Contains($"        {c.GetProperty("message").GetString()}", textLines);
        }
    }

    [Fact]
    public void Filter_runs_only_the_tests_whose_name_contains_it()
    {
        var suite = Path.Combine(TestFiles.Rulesets, "web-tier.tests.yaml");
        var names = File.ReadAllLines(suite).Where(l => l.TrimStart().StartsWith("- name:", StringComparison.Ordinal)).ToList();
        var expected = names.Count(l => l.Contains("https", StringComparison.OrdinalIgnoreCase) || l.Contains("ssh", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(expected, 2, names.Count - 1);

        var (code, output, _) = InProcessCli.Run("test", suite, "--filter", "HTTPS", "--filter", "ssh");
        Assert.Equal(0, code);
        Assert.Contains($"all {expected} tests passed in 1 file", output);
        Assert.DoesNotContain("dns replies", output);

        var none = InProcessCli.Run("test", suite, "--filter", "no such test");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--filter no such test: no test has such a name", none.Error);
    }

    [Fact]
    public void Ruleset_option_reports_a_bad_ruleset_and_unknown_options_are_refused()
    {
        using var dir = new TempDir();
        var suite = Path.Combine(TestFiles.Rulesets, "web-tier.tests.yaml");
        File.WriteAllText(dir.File("broken.yaml"), "version: 1\nname: x\nsecurity_groups: 3\n");
        var (code, output, err) = InProcessCli.Run("test", suite, "--ruleset", dir.File("broken.yaml"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("broken.yaml:3:", err);

        (code, output, err) = InProcessCli.Run("test", suite, "-q");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown option '-q'", err);
    }

    [Fact]
    public void FailingTestIsExitOneAndBadFileExitTwo()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.tests.yaml"), $"ruleset: {TestFiles.WebTier}\ntests:\n  - name: dns both ways\n    flow: udp web-1:* -> 192.0.2.53:53\n    expect: allow\n");
        var (code, output, _) = InProcessCli.Run("test", dir.File("bad.tests.yaml"));
        Assert.Equal(1, code);
        Assert.Contains("FAIL  dns both ways", output);
        Assert.Contains("reply denied by nacl:public-nacl:inbound:*", output);

        File.WriteAllText(dir.File("broken.tests.yaml"), "ruleset: nowhere.yaml\ntests: []\n");
        (code, _, var err) = InProcessCli.Run("test", dir.File("broken.tests.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("broken.tests.yaml:1:10: ruleset: no such file 'nowhere.yaml'", err);
    }

    [Fact]
    public void A_test_file_that_does_not_load_is_an_error_in_the_junit_report_not_a_clean_run()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("broken.tests.yaml"), "ruleset: nowhere.yaml\ntests: []\n");
        var junit = dir.File("junit.xml");
        var (code, output, err) = InProcessCli.Run("test", dir.File("broken.tests.yaml"), "--junit", junit);
        Assert.Equal(2, code);
        Assert.Contains("broken.tests.yaml:1:10: ruleset: no such file 'nowhere.yaml'", err);
        Assert.Contains("ERROR  load the test file", output);
        Assert.Contains("0 of 1 test failed, 1 could not run", output);

        var root = XDocument.Load(junit).Root!;
        Assert.Equal("1", root.Attribute("errors")!.Value);
        Assert.Equal("1", root.Attribute("tests")!.Value);
        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal("1", suite.Attribute("errors")!.Value);
        Assert.Equal("0", suite.Attribute("failures")!.Value);
        var error = Assert.Single(suite.Descendants("error"));
        Assert.StartsWith("the test file did not load: ruleset: no such file 'nowhere.yaml'", error.Attribute("message")!.Value);
        Assert.Contains("broken.tests.yaml:1:10", error.Value);
        Assert.Empty(suite.Descendants("failure"));

        // Beside a file that runs, the broken one still counts: the run is not reported as all passed.
        var good = Directory.EnumerateFiles(TestFiles.Rulesets, "web-tier.tests.yaml").Single();
        (code, output, _) = InProcessCli.Run("test", good, dir.File("broken.tests.yaml"), "--junit", junit);
        Assert.Equal(2, code);
        Assert.DoesNotContain("tests passed", output);
        root = XDocument.Load(junit).Root!;
        Assert.Equal("1", root.Attribute("errors")!.Value);
        Assert.Equal(2, root.Elements("testsuite").Count());
    }

    [Fact]
    public void A_capture_case_whose_capture_cannot_be_read_is_an_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notacapture.pcap"), "hello, this is not a capture\n");
        File.WriteAllText(dir.File("c.tests.yaml"), $"ruleset: {TestFiles.WebTier}\ntests:\n  - name: a whole capture\n    capture: notacapture.pcap\n    expect: {{ flows: {{ allowed: 1 }} }}\n");
        var junit = dir.File("junit.xml");
        var (code, output, _) = InProcessCli.Run("test", dir.File("c.tests.yaml"), "--junit", junit);
        Assert.Equal(2, code);
        Assert.Contains("ERROR  a whole capture", output);
        var root = XDocument.Load(junit).Root!;
        Assert.Equal("1", root.Attribute("errors")!.Value);
        Assert.Equal("0", root.Attribute("failures")!.Value);
        Assert.Single(root.Descendants("error"));
    }

    [SkippableFact]
    public void SynthWritesACaptureTsharkReadsCleanly()
    {
        using var dir = new TempDir();
        var flows = dir.File("flows.yaml");
        File.WriteAllText(flows, Synthesis.SynthCaptureTests.EveryExchange.Replace("ruleset: web-tier.yaml", $"ruleset: {TestFiles.WebTier}"));
        var (code, _, err) = InProcessCli.Run("synth", flows, "-o", dir.File("out.pcap"));
        Assert.True(code == 0, err);
        Assert.Contains("firewall: wrote ", err);
        Synthesis.SynthCaptureTests.AssertClean(dir.File("out.pcap"));

        (code, _, err) = InProcessCli.Run("synth", "--random", "2000", "--seed", "4", "--ruleset", TestFiles.WebTier, "-o", dir.File("random.pcap"), "-q");
        Assert.True(code == 0, err);
        Synthesis.SynthCaptureTests.AssertClean(dir.File("random.pcap"));

        (code, _, err) = InProcessCli.Run("synth", "--random", "10", "-o", dir.File("x.pcap"));
        Assert.Equal(2, code);
        Assert.Contains("--random needs --ruleset", err);

        (code, _, err) = InProcessCli.Run("synth", "--random", "10", "--flow-rate", "0", "--ruleset", TestFiles.WebTier, "-o", dir.File("x.pcap"));
        Assert.Equal(2, code);
        Assert.Contains("--flow-rate expects conversations per second, more than 0 and at most 1e9, found 0", err);
        Assert.False(File.Exists(dir.File("x.pcap")), "nothing is written for a bad --flow-rate");
    }
}
