using System.Diagnostics;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Reachability;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;
using Firewall.Reporting.Testing;
using Firewall.Rulesets.Yaml;
using Firewall.Runs;

namespace Firewall.Flows.Testing;

/// <summary>The outcome of <c>firewall test</c>: results per file, and the input errors that stopped files from running.</summary>
public sealed record TestRun(IReadOnlyList<TestSuiteResult> Suites, IReadOnlyList<Diagnostic> Errors)
{
    /// <summary>SPEC §5: 2 for bad input, 1 for a failed test, 0 when everything passed.</summary>
    public int ExitCode => Errors.Count > 0 ? 2 : Suites.Any(s => s.Failures > 0) ? 1 : 0;
}

/// <summary>
/// Runs regression test files (SPEC §7). A flow case is synthesized and evaluated alone in a fresh
/// evaluator; a capture case replays the capture in a fresh evaluator and counts flows and packets.
/// </summary>
public static class TestRunner
{
    /// <summary>
    /// Runs each test file, against <paramref name="ruleset"/> when given instead of the ruleset each file
    /// names; with <paramref name="names"/>, only the tests whose name contains one of them (ignoring case).
    /// </summary>
    public static TestRun RunFiles(IEnumerable<string> paths, Ruleset? ruleset = null, IReadOnlyList<string>? names = null)
    {
        var suites = new List<TestSuiteResult>();
        var errors = new List<Diagnostic>();
        foreach (var path in paths)
        {
            var loaded = TestFileLoader.LoadFile(path, ruleset);
            if (!loaded.Succeeded)
            {
                errors.AddRange(loaded.Diagnostics);
                suites.Add(NotLoaded(path, loaded.Diagnostics));
                continue;
            }
            var file = loaded.File!;
            if (names is { Count: > 0 })
            {
                file = file with { Cases = [.. file.Cases.Where(c => names.Any(n => c.Name.Contains(n, StringComparison.OrdinalIgnoreCase)))] };
            }
            suites.Add(Run(file, errors));
        }
        return new TestRun(suites, errors);
    }

    /// <summary>
    /// A file that did not load is a suite of one case that could not run, so that every report (text,
    /// JUnit) shows it as an error rather than leaving it out and reading as a clean run.
    /// </summary>
    private static TestSuiteResult NotLoaded(string path, IReadOnlyList<Diagnostic> diagnostics)
    {
        var first = diagnostics.Count > 0 ? diagnostics[0] : new Diagnostic(path, 0, 0, "the test file did not load");
        var message = $"the test file did not load: {first.Message}" + (diagnostics.Count > 1 ? $" (and {diagnostics.Count - 1} more error(s))" : "");
        var location = first.Line > 0 ? $"{first.File}:{first.Line}:{first.Column}" : path;
        var details = diagnostics.Select(d => d.Line > 0 ? d.ToString() : $"{d.File}: {d.Message}").ToList();
        var name = Path.GetFileNameWithoutExtension(path);
        return new TestSuiteResult(path, name, [new TestCaseResult("load the test file", location, TestStatus.Error, message, details, TimeSpan.Zero)], TimeSpan.Zero);
    }

    public static TestSuiteResult Run(TestFile file, List<Diagnostic> errors)
    {
        var clock = Stopwatch.StartNew();
        var compiled = RulesetCompiler.Compile(file.Ruleset);
        var results = new List<TestCaseResult>();
        foreach (var c in file.Cases)
        {
            var caseClock = Stopwatch.StartNew();
            var errorsBefore = errors.Count;
            var (failure, details) = c switch
            {
                FlowTestCase f => RunFlow(f, compiled),
                CaptureTestCase k => RunCapture(k, compiled, errors),
                ReachTestCase r => RunReach(r, compiled),
                _ => throw new InvalidOperationException("unknown test case kind"),
            };
            // A case that reported an input error (its capture could not be read) did not run to the end.
            var status = failure is null ? TestStatus.Passed : errors.Count > errorsBefore ? TestStatus.Error : TestStatus.Failed;
            results.Add(new TestCaseResult(
                c.Name,
                c.Location.ToString(),
                status,
                failure ?? "",
                failure is null ? [] : details,
                caseClock.Elapsed));
        }
        return new TestSuiteResult(file.Path, Path.GetFileNameWithoutExtension(file.Path), results, clock.Elapsed);
    }

    /// <summary>What a flow case's packets got: its request and reply, the deciding packet and rule, the stateless outcome.</summary>
    private sealed record ObservedFlow(
        IReadOnlyList<EvaluatedPacket> Packets,
        EvaluatedPacket First,
        EvaluatedPacket Denied,
        bool AnyDenied,
        string Request,
        string Reply,
        string DecidingRule,
        bool DeciderWasReply,
        FlowOutcome? Stateless);

    private static (string? Failure, IReadOnlyList<string> Details) RunFlow(FlowTestCase c, CompiledRuleset compiled)
    {
        var got = Observe(c, compiled);
        var rules = compiled.Rules;
        var (expected, problems) = Compare(c, got, rules);
        if (problems.Count == 0)
        {
            return (null, []);
        }
        var summary = $"request {got.Request}, reply {got.Reply}, stateless {(got.Stateless is { } s ? FlowRecord.Name(s) : "none")}";
        var decision = got.AnyDenied
            ? $"{(got.DeciderWasReply ? "reply" : "request")} denied by {got.DecidingRule} ({HopTraceText.Format(got.Denied.Result, rules)})"
            : $"request allowed by {got.DecidingRule} ({HopTraceText.Format(got.First.Result, rules)})";
        var message = $"expected {string.Join(", ", expected)}; got {summary}; {decision}";
        return (message, Details(c, got.Packets, rules));
    }

    /// <summary>Evaluates the flow alone, in a fresh run, and reads back what its packets got.</summary>
    private static ObservedFlow Observe(FlowTestCase c, CompiledRuleset compiled)
    {
        var file = new FlowsFile("", FlowTiming.DefaultStartNs, compiled.Model, [c.Flow]);
        var recorder = new PacketRecorder();
        var run = PacketRun.Evaluate(new DeliveredPackets(file), compiled, EvaluationOptions.Default, new RunNames("", ""), recorder);
        var packets = recorder.Packets;
        // The flow under test is the first packet's; an ICMP error's quoted flow never enters the table.
        var first = packets[0];
        var requests = packets.Where(e => e.Packet.Src == first.Packet.Src && e.Packet.Dst == first.Packet.Dst).ToList();
        var replies = packets.Where(e => e.Packet.Src == first.Packet.Dst && e.Packet.Dst == first.Packet.Src).ToList();
        var denied = packets.FirstOrDefault(e => e.Result.Verdict == Verdict.Deny);
        var anyDenied = packets.Any(e => e.Result.Verdict == Verdict.Deny);
        FlowOutcome? stateless = first.Result.FlowId >= 0
            ? run.Flows[first.Result.FlowId].StatelessOutcome
            : first.Result.Verdict == Verdict.Allow ? FlowOutcome.Allowed : null;
        return new ObservedFlow(
            packets,
            first,
            denied,
            anyDenied,
            Summarize(requests),
            replies.Count == 0 ? "none" : Summarize(replies),
            compiled.Rules.Reference((anyDenied ? denied : first).Result.RuleId),
            anyDenied && replies.Any(r => r.Packet.Frame == denied.Packet.Frame),
            stateless);
    }

    /// <summary>The case's expectations in words, and the names of those the flow did not meet.</summary>
    private static (List<string> Expected, List<string> Problems) Compare(FlowTestCase c, ObservedFlow got, RuleTable rules)
    {
        var problems = new List<string>();
        var expected = new List<string>();
        void Expect(string name, string text, bool met)
        {
            expected.Add(text);
            if (!met)
            {
                problems.Add(name);
            }
        }
        if (c.Request != Expectation.Unspecified)
        {
            Expect("request", $"request {Name(c.Request)}", got.Request == Name(c.Request));
        }
        if (c.Reply != Expectation.Unspecified)
        {
            Expect("reply", $"reply {Name(c.Reply)}", got.Reply == Name(c.Reply));
        }
        if (c.By is { } by)
        {
            var first = got.First.Result;
            Expect("by", $"by {by}", got.AnyDenied
                ? by == got.DecidingRule
                : by == got.DecidingRule || Enumerable.Range(0, first.HopCount).Any(h => rules.Reference(first.Hops[h].RuleId) == by));
        }
        if (c.Stateless is { } wantStateless)
        {
            Expect("stateless", $"stateless {FlowRecord.Name(wantStateless)}", got.Stateless == wantStateless);
        }
        return (expected, problems);
    }

    /// <summary>Every packet of a failed flow case with its verdict, rule and hops.</summary>
    private static List<string> Details(FlowTestCase c, IReadOnlyList<EvaluatedPacket> packets, RuleTable rules)
    {
        var details = new List<string> { $"flow: {c.Flow.Flow.Text} ({ExchangeText.Name(c.Flow.Exchange)})" };
        foreach (var e in packets)
        {
            details.Add($"frame {e.Packet.Frame} {(e.Result.IsReply ? "reply  " : "request")} {Describe(e.Packet)}: " +
                $"{ResultText.Name(e.Result.Verdict)} by {rules.Reference(e.Result.RuleId)} [{HopTraceText.Format(e.Result, rules)}]" +
                (e.Result.StatelessVerdict != e.Result.Verdict || e.Result.StatelessRuleId != e.Result.RuleId
                    ? $"; stateless: {ResultText.Name(e.Result.StatelessVerdict)} by {rules.Reference(e.Result.StatelessRuleId)}"
                    : ""));
        }
        return details;
    }

    private static string Summarize(List<EvaluatedPacket> packets)
    {
        if (packets.Any(e => e.Result.Verdict == Verdict.Deny))
        {
            return "deny";
        }
        if (packets.All(e => e.Result.Verdict == Verdict.Allow))
        {
            return "allow";
        }
        return "skip"; // out of scope: no hop on the path
    }

    private static string Name(Expectation e) => e == Expectation.Allow ? "allow" : "deny";

    /// <summary>A packet as tcpdump would summarize it: protocol, endpoints, flags or ICMP type.</summary>
    public static string Describe(in PacketInfo p) => PacketText.DescribeWithLength(in p);

    /// <summary>Most counterexamples a failed reach test lists (one per class of packets, largest first).</summary>
    private const int MaxCounterexamples = 5;

    /// <summary>
    /// A reach case: the set's classes (docs/answers.md), each with the outcome <c>check</c> gives every
    /// packet of it. Every class must have the expected outcome (or, for <c>some</c>, one must). A failure
    /// names a flow of each offending class, as a line <c>firewall explain</c> takes.
    /// </summary>
    private static (string? Failure, IReadOnlyList<string> Details) RunReach(ReachTestCase c, CompiledRuleset compiled)
    {
        var answer = Answers.Query(compiled, c.Set);
        if (answer.Classes.Count == 0)
        {
            return ($"the set '{c.Set.Text}' holds no packet an exchange can play (only packets from an address to itself, to the same port): the test checks nothing", []);
        }
        // The largest classes first: where most packets break the expectation.
        var classes = answer.Classes.OrderByDescending(k => k.Packets.Sets.Values.Aggregate(1.0, (n, set) => n * (double)set.Count)).ToList();
        if (c.Some)
        {
            if (answer.Classes.Any(k => k.Outcome.Outcome == c.Outcome))
            {
                return (null, []);
            }
            var seen = string.Join(", ", classes.GroupBy(k => k.Outcome.Outcome).Select(g => $"{g.Count()} {g.Key}"));
            return ($"expected some packet of '{c.Set.Text}' to be {c.Outcome}; none is ({Count(classes.Count, "class")} of packets: {seen}); for example {Counterexample(classes[0])}",
                Details(classes, compiled));
        }
        var wrong = classes.Where(k => k.Outcome.Outcome != c.Outcome).ToList();
        if (wrong.Count == 0)
        {
            return (null, []);
        }
        return ($"expected every packet of '{c.Set.Text}' to be {c.Outcome}; {Count(wrong.Count, "class")} of {answer.Classes.Count} {(wrong.Count == 1 ? "is" : "are")} not, for example {Counterexample(wrong[0])}",
            Details(wrong, compiled));
    }

    private static string Counterexample(QueryClass k) =>
        $"{k.Packets.Example} gets {k.Outcome.Outcome}{(k.Outcome.Outcome == "reply-denied" ? $": its reply is denied by {k.Outcome.ReplyRule}" : k.Outcome.RequestRule is { } r ? $" by {r}" : "")}";

    private static List<string> Details(IReadOnlyList<QueryClass> classes, CompiledRuleset compiled)
    {
        var details = classes.Take(MaxCounterexamples)
            .Select(k => $"{k.Packets.Example}: {k.Outcome.Outcome}, request rule {k.Outcome.RequestRule ?? "-"}, reply rule {k.Outcome.ReplyRule ?? "-"} (one packet of {Describe(k.Packets)})")
            .ToList();
        if (classes.Count > MaxCounterexamples)
        {
            details.Add($"and {classes.Count - MaxCounterexamples} more: `firewall query` lists every class");
        }
        details.Add($"explain one: firewall explain --ruleset {compiled.Model.SourcePath ?? compiled.Model.Name} \"{classes[0].Packets.Example}\"");
        return details;
    }

    /// <summary>The class in the words of its JSON form: "tcp from 0.0.0.0/1, ... ports 1024-65535 to 10.0.3.10 port 5432".</summary>
    private static string Describe(AnswerClass p)
    {
        static string List(IReadOnlyList<string> items) => items.Count <= 3 ? string.Join(", ", items) : $"{string.Join(", ", items.Take(3))} and {items.Count - 3} more";
        var text = $"{p.Protocol} from {List(p.Sources)}";
        if (p.SourcePorts is { } sp) text += $" ports {List(sp)}";
        text += $" to {List(p.Destinations)}";
        if (p.Ports is { } dp) text += $" port{(dp.Count == 1 && !dp[0].Contains('-') ? "" : "s")} {List(dp)}";
        if (p.IcmpType is { } type) text += $" type {type}";
        if (p.IcmpCode is { } code) text += $" code {code}";
        return text;
    }

    private static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}es";

    private static (string? Failure, IReadOnlyList<string> Details) RunCapture(CaptureTestCase c, CompiledRuleset compiled, List<Diagnostic> errors)
    {
        PacketReader reader;
        try
        {
            reader = new PacketReader(CaptureReader.Open(c.CapturePath), new DecoderOptions());
        }
        catch (Exception ex) when (ex is CaptureFormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add(new Diagnostic(c.Location.File, c.Location.Line, c.Location.Column, $"capture {c.CapturePath}: {ex.Message}"));
            return ($"cannot read the capture: {ex.Message}", []);
        }
        CaptureRunResult run;
        using (reader)
        {
            run = CaptureRun.Evaluate(reader, compiled, EvaluationOptions.Default, 1, new RunNames(c.CapturePath, ""), null, RunProgress.Silent);
        }
        if (run.Failure is { } failure)
        {
            errors.Add(new Diagnostic(c.Location.File, c.Location.Line, c.Location.Column, $"capture {c.CapturePath}: {failure.Message}"));
            return ($"cannot read the capture: {failure.Message}", []);
        }
        return CompareCounts(c, run.Report!, compiled.Rules);
    }

    /// <summary>A capture case's expected flow and packet counts against the run's; on a mismatch, every count and the rules that denied flows.</summary>
    private static (string? Failure, IReadOnlyList<string> Details) CompareCounts(CaptureTestCase c, RunReport report, RuleTable rules)
    {
        var flowCounts = new Dictionary<FlowOutcome, long>();
        foreach (ref readonly var flow in report.Flows.Records)
        {
            flowCounts[flow.Outcome] = flowCounts.GetValueOrDefault(flow.Outcome) + 1;
        }
        var counters = report.Counters;
        var packetCounts = new Dictionary<string, long>
        {
            ["allowed"] = counters.Allowed,
            ["denied"] = counters.Denied,
            ["skipped"] = counters.Skipped,
            ["not-filtered"] = counters.NotFiltered,
            ["undecodable"] = counters.Undecodable,
        };
        var mismatches = new List<string>();
        foreach (var (outcome, want) in c.Flows)
        {
            var got = flowCounts.GetValueOrDefault(outcome);
            if (got != want)
            {
                mismatches.Add($"{FlowRecord.Name(outcome)} flows: expected {want}, got {got}");
            }
        }
        foreach (var (verdict, want) in c.Packets)
        {
            if (packetCounts[verdict] != want)
            {
                mismatches.Add($"{verdict} packets: expected {want}, got {packetCounts[verdict]}");
            }
        }
        if (mismatches.Count == 0)
        {
            return (null, []);
        }
        var details = new List<string>
        {
            "flows: " + string.Join(", ", Enum.GetValues<FlowOutcome>().Select(o => $"{FlowRecord.Name(o)} {flowCounts.GetValueOrDefault(o)}")),
            "packets: " + string.Join(", ", packetCounts.Select(kv => $"{kv.Key} {kv.Value}")),
        };
        // The rules that denied flows, most frequent first: where to look when a count moved.
        foreach (var group in report.Flows.Records.ToArray().Where(f => f.DeniedBy >= 0).GroupBy(f => f.DeniedBy).OrderByDescending(g => g.Count()))
        {
            details.Add($"denied by {rules.Reference(group.Key)}: {group.Count()} flow(s), first at frame {group.First().DeniedFrame}");
        }
        return (string.Join("; ", mismatches), details);
    }
}
