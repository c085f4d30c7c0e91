using System.Xml.Linq;
using Firewall.Flows.Testing;
using Firewall.Reporting.Testing;
using TempDir = Firewall.Tests.Support.TempDir;

namespace Firewall.Flows.Tests.Testing;

/// <summary>Must-show 3: a broken expectation fails naming the deciding rule; its JUnit report is valid XML with the failure.</summary>
public class TestRunnerTests
{
    private static TestRun RunText(string yaml, TempDir dir, string name = "case.tests.yaml")
    {
        var path = dir.File(name);
        File.WriteAllText(path, yaml.Replace("RULESET", TestFiles.WebTier));
        return TestRunner.RunFiles([path]);
    }

    private const string Passing = """
        ruleset: RULESET
        tests:
          - name: https works
            flow: tcp 198.51.100.7:51514 -> web-1:443
            expect: allow
          - name: ssh refused
            flow: tcp 198.51.100.7:40000 -> web-1:22
            expect: deny
        """;

    private const string Broken = """
        ruleset: RULESET
        tests:
          - name: https works
            flow: tcp 198.51.100.7:51514 -> web-1:443
            expect: allow
          - name: dns works both ways (wrong - the NACL drops the answers)
            flow: udp 10.0.1.10:53000 -> 192.0.2.53:53
            expect: allow
          - name: ssh is refused by the NACL (wrong - the security group refuses it)
            flow: tcp 198.51.100.7:40000 -> web-1:22
            expect: { request: deny, by: "nacl:public-nacl:inbound:*" }
          - name: https replies need no state (wrong)
            flow: tcp 198.51.100.7:51514 -> web-1:443
            expect: { stateless: allowed }
        """;

    [Fact]
    public void PassingFilePasses()
    {
        using var dir = new TempDir();
        var run = RunText(Passing, dir);
        Assert.Empty(run.Errors);
        Assert.Equal(0, run.ExitCode);
        Assert.All(run.Suites.Single().Cases, c => Assert.True(c.Passed, c.Message));
    }

    [Fact]
    public void BrokenExpectationNamesTheDecidingRuleAndTrace()
    {
        using var dir = new TempDir();
        var run = RunText(Broken, dir);
        Assert.Equal(1, run.ExitCode);
        var cases = run.Suites.Single().Cases;
        Assert.True(cases[0].Passed);

        var dns = cases[1];
        Assert.False(dns.Passed);
        Assert.Contains("expected request allow, reply allow; got request allow, reply deny", dns.Message);
        // The answer comes from outside: its only hop is web-1's subnet's NACL, inbound.
        Assert.Contains("reply denied by nacl:public-nacl:inbound:* (nacl-inbound=deny:nacl:public-nacl:inbound:*)", dns.Message);
        Assert.EndsWith("case.tests.yaml:6:5", dns.Location);

        var ssh = cases[2];
        Assert.False(ssh.Passed);
        Assert.Contains("request denied by sg:web-1:inbound:none", ssh.Message);
        Assert.Contains("nacl-inbound=allow:nacl:public-nacl:inbound:120 sg-inbound=deny:sg:web-1:inbound:none", ssh.Message);

        var stateless = cases[3];
        Assert.False(stateless.Passed);
        Assert.Contains("expected stateless allowed; got request allow, reply allow, stateless reply-denied", stateless.Message);
        Assert.Contains(stateless.Details, d => d.Contains("stateless: deny by sg:web-1:outbound:none"));

        var text = new StringWriter();
        TestTextWriter.Write(run.Suites, text);
        Assert.Contains("FAIL  dns works both ways", text.ToString());
        Assert.Contains("3 of 4 tests failed", text.ToString());
    }

    [Fact]
    public void JUnitReportOfABrokenRunIsValidXmlWithTheFailure()
    {
        using var dir = new TempDir();
        var run = RunText(Broken, dir);
        var path = dir.File("junit.xml");
        JUnitWriter.Write(run.Suites, path);

        var doc = XDocument.Load(path); // throws on malformed XML
        var root = doc.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("4", root.Attribute("tests")!.Value);
        Assert.Equal("3", root.Attribute("failures")!.Value);
        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal("case.tests", suite.Attribute("name")!.Value);
        var testcases = suite.Elements("testcase").ToList();
        Assert.Equal(4, testcases.Count);
        Assert.Null(testcases[0].Element("failure"));
        var failure = testcases[1].Element("failure")!;
        Assert.Contains("nacl:public-nacl:inbound:*", failure.Attribute("message")!.Value);
        Assert.Contains("frame 2 reply", failure.Value);
        Assert.Equal("6", testcases[1].Attribute("line")!.Value);
    }

    [Fact]
    public void OneSuitePerFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.tests.yaml"), Passing.Replace("RULESET", TestFiles.WebTier));
        File.WriteAllText(dir.File("b.tests.yaml"), Broken.Replace("RULESET", TestFiles.WebTier));
        var run = TestRunner.RunFiles([dir.File("a.tests.yaml"), dir.File("b.tests.yaml")]);
        var doc = JUnitWriter.Build(run.Suites);
        Assert.Equal(["a.tests", "b.tests"], doc.Root!.Elements("testsuite").Select(s => s.Attribute("name")!.Value));
    }

    [Fact]
    public void CaptureCaseCountsFlowsByOutcome()
    {
        using var dir = new TempDir();
        var flows = TestFiles.LoadFlows("""
            ruleset: web-tier.yaml
            flows:
              - tcp 198.51.100.7:* -> web-1:443
              - tcp 198.51.100.7:* -> web-1:80
              - tcp 198.51.100.7:62000 -> web-1:443
              - tcp 198.51.100.7:* -> web-1:22
              - udp web-1:* -> 192.0.2.53:53
            """);
        Firewall.Flows.Pcap.SynthCapture.Write(flows, dir.File("web.pcap"));
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: right counts
                capture: web.pcap
                expect: { flows: { allowed: 2, reply-denied: 2, request-denied: 1 }, packets: { undecodable: 0 } }
              - name: wrong counts
                capture: web.pcap
                expect: { flows: { allowed: 5 } }
            """, dir);
        var cases = run.Suites.Single().Cases;
        Assert.True(cases[0].Passed, cases[0].Message);
        Assert.False(cases[1].Passed);
        Assert.Equal("allowed flows: expected 5, got 2", cases[1].Message);
        Assert.Contains(cases[1].Details, d => d.StartsWith("denied by sg:web-1:inbound:none: 1 flow(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void BadInputIsExitTwoWithPositionedErrors()
    {
        using var dir = new TempDir();
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: typo in the expectation
                flow: tcp 198.51.100.7:51514 -> web-1:443
                expect: alow
              - name: unknown interface
                flow: tcp 198.51.100.7:51514 -> web-9:443
                expect: allow
              - name: missing capture
                capture: nowhere.pcap
                expect: { flows: { allowed: 1 } }
            """, dir);
        Assert.Equal(2, run.ExitCode);
        var messages = run.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}").ToList();
        Assert.Contains(messages, m => m.StartsWith("5:13: expect: expected allow, deny, or a mapping", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("7:37: 'web-9' is neither an IP address nor an interface of ruleset web-tier", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("10:14: capture: no such file 'nowhere.pcap'", StringComparison.Ordinal));
    }
}
