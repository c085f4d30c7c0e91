using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Loading;
using Firewall.Flows.Synthesis;
using Firewall.Flows.Testing;
using Firewall.Rulesets;
using TempDir = Firewall.Tests.Support.TempDir;

namespace Firewall.Flows.Tests.Testing;

/// <summary>
/// <c>reach:</c> cases: a set of packets and the outcome every packet (or, with <c>some</c>, one packet)
/// of it must get. A failure names a flow of an offending class, which <c>explain</c> takes as it is and
/// which gets the outcome the failure says.
/// </summary>
public class ReachTests
{
    private static TestRun RunText(string yaml, TempDir dir)
    {
        var path = dir.File("reach.tests.yaml");
        File.WriteAllText(path, yaml.Replace("RULESET", TestFiles.WebTier));
        return TestRunner.RunFiles([path]);
    }

    [Fact]
    public void Every_and_some_pass_when_the_ruleset_agrees()
    {
        using var dir = new TempDir();
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: the office reaches web-1 over ssh from the ports Linux clients pick
                reach: "tcp 203.0.113.0/24:32768-60999 -> web-1:22"
                expect: allowed
              - name: ssh from the rest of the internet never gets in
                reach: "tcp 198.51.100.0/24 -> web-1:22"
                expect: request-denied
              - name: some client's https replies are dropped by the NACL
                reach: "tcp * -> web-1:443"
                expect: { some: reply-denied }
              - name: ping gets through from somewhere
                reach: "icmp * -> web-1 type 8"
                expect: { some: allowed }
            """, dir);
        Assert.Empty(run.Errors);
        Assert.All(run.Suites.Single().Cases, c => Assert.True(c.Passed, c.Message));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void A_failure_names_a_counterexample_that_explain_replays_with_the_same_outcome()
    {
        using var dir = new TempDir();
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: every https client gets its replies (wrong - the NACL passes 32768-60999 only)
                reach: "tcp 198.51.100.0/24 -> web-1:443"
                expect: allowed
              - name: nobody reaches udp 53 on web-1 (right)
                reach: "udp 198.51.100.0/24 -> web-1:53"
                expect: request-denied
              - name: some icmp error gets in (wrong - the NACL admits none)
                reach: "icmp 198.51.100.7 -> web-1 type 3"
                expect: { some: allowed }
            """, dir);
        Assert.Equal(1, run.ExitCode);
        var cases = run.Suites.Single().Cases;
        Assert.True(cases[1].Passed, cases[1].Message);

        var https = cases[0];
        Assert.False(https.Passed);
        Assert.StartsWith("expected every packet of 'tcp 198.51.100.0/24 -> web-1:443' to be allowed; ", https.Message);
        Assert.Contains("its reply is denied by nacl:public-nacl:outbound:*", https.Message);
        Assert.EndsWith("reach.tests.yaml:3:5", https.Location);
        Assert.Contains(https.Details, d => d.StartsWith("explain one: firewall explain --ruleset ", StringComparison.Ordinal));

        var icmp = cases[2];
        Assert.False(icmp.Passed);
        Assert.Contains("expected some packet of 'icmp 198.51.100.7 -> web-1 type 3' to be allowed; none is", icmp.Message);
        Assert.Contains("icmp 198.51.100.7 -> 10.0.1.10 type 3 code 0 gets request-denied by nacl:public-nacl:inbound:*", icmp.Message);

        // Each counterexample, pasted into explain's flow form, gets what the failure says.
        var ruleset = RulesetLoader.LoadFile(TestFiles.WebTier).Ruleset!;
        var compiled = RulesetCompiler.Compile(ruleset);
        foreach (var detail in https.Details.Concat(icmp.Details).Where(d => d.Contains(": ", StringComparison.Ordinal) && !d.StartsWith("explain", StringComparison.Ordinal) && !d.StartsWith("and ", StringComparison.Ordinal)))
        {
            var flow = detail[..detail.IndexOf(": ", StringComparison.Ordinal)];
            var said = detail[(flow.Length + 2)..detail.IndexOf(',', StringComparison.Ordinal)];
            var def = FlowsLoader.ParseFlow(flow, ruleset, out var error);
            Assert.True(def is not null, $"{flow}: {error}");
            Assert.Equal(said, Outcome(compiled, def!));
        }
    }

    [Fact]
    public void A_set_of_packets_no_exchange_can_play_fails_rather_than_passing_unchecked()
    {
        using var dir = new TempDir();
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: web-1 to itself on its own port
                reach: "udp web-1:53 -> web-1:53"
                expect: allowed
            """, dir);
        var result = Assert.Single(run.Suites.Single().Cases);
        Assert.False(result.Passed);
        Assert.Contains("holds no packet an exchange can play", result.Message);
    }

    [Fact]
    public void Bad_sets_and_outcomes_are_positioned_errors()
    {
        using var dir = new TempDir();
        var run = RunText("""
            ruleset: RULESET
            tests:
              - name: unknown interface
                reach: "tcp * -> web-9:443"
                expect: allowed
              - name: unknown outcome
                reach: "tcp * -> web-1:443"
                expect: reachable
              - name: flow and reach
                flow: tcp 198.51.100.7:51514 -> web-1:443
                reach: "tcp * -> web-1:443"
                expect: allowed
              - name: icmp_type belongs in the set
                reach: "icmp * -> web-1"
                icmp_type: 8
                expect: { some: allowed }
              - name: an empty mapping
                reach: "tcp * -> web-1:443"
                expect: { every: allowed }
            """, dir);
        Assert.Equal(2, run.ExitCode);
        var messages = run.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}").ToList();
        Assert.True(messages.Any(m => m.StartsWith("4:22: expected an address, a CIDR, an interface name", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.True(messages.Any(m => m.StartsWith("8:13: expect: expected an outcome (allowed, request-denied, reply-denied, partially-denied)", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.True(messages.Any(m => m.StartsWith("9:5: a test has one of 'flow', 'capture' and 'reach', not several", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.True(messages.Any(m => m.StartsWith("15:5: icmp_type applies to flow tests", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.True(messages.Any(m => m.Contains("unknown key 'every'", StringComparison.Ordinal)), string.Join("\n", messages));
    }

    /// <summary>The outcome of one synthesized flow through a fresh evaluator, as check names it.</summary>
    private static string Outcome(CompiledRuleset compiled, FlowDefinition def)
    {
        var evaluator = new Evaluator(compiled);
        var result = default(PacketResult);
        var file = new FlowsFile("", FlowTiming.DefaultStartNs, compiled.Model, [def]);
        var flowId = -1;
        foreach (var p in FlowSynthesizer.Packets(file))
        {
            evaluator.Evaluate(in p, ref result);
            if (flowId < 0 && result.FlowId >= 0)
            {
                flowId = result.FlowId;
            }
        }
        return flowId >= 0 ? FlowRecord.Name(evaluator.Flows[flowId].Outcome) : result.Verdict == Verdict.Allow ? "allowed" : "request-denied";
    }
}
