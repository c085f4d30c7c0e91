using System.Diagnostics;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting;
using Firewall.Reporting.Text;
using Firewall.Robustness.Tests.Support;
using Firewall.Rulesets;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// A capture of as many distinct flows as packets — TCP SYNs to web-1:443 from 200 000 different client
/// endpoints, generated as a stream, never written to disk — against web-tier with <c>max_tracked: 1000</c>
/// on web-1. The tracking table stops at its bound; every later new flow is denied with
/// <c>conntrack:web-1:full</c> (reason tracking-table-full) and counted. The engine's per-flow records
/// (<see cref="FlowTable"/>) grow with the distinct flows: the test measures bytes per flow.
/// </summary>
public sealed class FlowFloodTests(ITestOutputHelper output)
{
    private const int MaxTracked = 1000;

    /// <summary>FIREWALL_FLOOD_FLOWS runs the library test with more flows (tens of millions locally).</summary>
    private static readonly long Flows =
        long.TryParse(Environment.GetEnvironmentVariable("FIREWALL_FLOOD_FLOWS"), out var n) && n > MaxTracked ? n : 200_000;

    [Fact]
    public void The_tracking_table_stays_at_max_tracked_and_every_later_flow_is_denied_as_table_full()
    {
        var rules = RulesetCompiler.Compile(BoundedWebTier(out _));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var evaluator = Memory.Allocated(() =>
        {
            var e = new Evaluator(rules);
            using var reader = new PacketReader(CaptureReader.Open(new SynFloodStream(Flows), "flood"), new DecoderOptions());
            var info = new PacketInfo();
            var result = new PacketResult();
            while (reader.TryReadNext(ref info))
            {
                e.Evaluate(in info, ref result);
            }
            Fuzz.FuzzTargets.CheckAccounting(e.Counters, reader);
            return e;
        }, out var allocated);
        var elapsed = clock.Elapsed;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;

        var c = evaluator.Counters;
        Assert.Equal(Flows, c.Frames);
        Assert.Equal(MaxTracked, c.Allowed);
        Assert.Equal(Flows - MaxTracked, c.Denied);
        Assert.Equal(Flows - MaxTracked, c.DenyReasons[(int)DenyReason.TableFull]);
        var table = Assert.Single(evaluator.Tables, t => t.MaxTracked == MaxTracked);
        Assert.Equal(MaxTracked, table.TrackedCount);
        Assert.True(table.BytesAllocated <= 4096L * 64, $"the tracking table holds {table.BytesAllocated} bytes for {MaxTracked} entries");
        Assert.Equal(Flows, evaluator.Flows.Count);

        var perFlow = evaluator.Flows.BytesAllocated / (double)Flows;
        output.WriteLine($"bound: {Flows} distinct flows, max_tracked {MaxTracked}: {elapsed.TotalSeconds:F1} s; " +
            $"tracking table {table.BytesAllocated} bytes ({table.Capacity} slots); flow table {evaluator.Flows.BytesAllocated} bytes " +
            $"= {perFlow:F0} bytes per flow; retained {retained / Memory.MiB} MiB, allocated {allocated / Memory.MiB} MiB in all");
        GC.KeepAlive(evaluator);
    }

    [Fact]
    public void Untracked_flows_never_fill_the_table_and_their_entries_grow_with_the_flows()
    {
        // AWS leaves a flow untracked when its rule is 0.0.0.0/0 and the other direction is open to all
        // (SPEC §2.6): such flows use none of the allowance, so max_tracked denies none of them. The engine
        // still keeps one orientation entry per untracked flow, outside the bound (up to MaxUntracked, below): measured here.
        const int flows = 50_000;
        var loaded = RulesetLoader.LoadText(OpenRuleset, "open.yaml");
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Diagnostics));
        var evaluator = new Evaluator(RulesetCompiler.Compile(loaded.Ruleset!));
        using var reader = new PacketReader(CaptureReader.Open(new SynFloodStream(flows), "flood"), new DecoderOptions());
        var info = new PacketInfo();
        var result = new PacketResult();
        while (reader.TryReadNext(ref info))
        {
            evaluator.Evaluate(in info, ref result);
        }
        Assert.Equal(flows, evaluator.Counters.Allowed);
        var table = Assert.Single(evaluator.Tables, t => t.MaxTracked == 1000);
        Assert.Equal(0, table.TrackedCount);
        Assert.Equal(flows, table.Count);
        output.WriteLine($"bound: {flows} untracked flows, max_tracked 1000: all allowed; tracking table {table.Count} entries outside the bound, " +
            $"{table.BytesAllocated} bytes = {table.BytesAllocated / (double)flows:F0} bytes per flow");
    }

    [Fact]
    public void Untracked_entries_stop_at_their_bound_and_later_untracked_flows_are_judged_as_before()
    {
        // A SYN flood to a port open to 0.0.0.0/0 (with outbound open to all, as AWS's default group is):
        // every flow is untracked. Past MaxUntracked the table stops growing and nothing else changes.
        const int flows = 20_000;
        const int bound = 1000;
        var loaded = RulesetLoader.LoadText(OpenRuleset, "open.yaml");
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Diagnostics));
        var rules = RulesetCompiler.Compile(loaded.Ruleset!);
        var unbounded = new Evaluator(rules);
        var bounded = new Evaluator(rules, new EvaluationOptions { MaxUntracked = bound });
        using var reader = new PacketReader(CaptureReader.Open(new SynFloodStream(flows), "flood"), new DecoderOptions());
        var info = new PacketInfo();
        var expected = new PacketResult();
        var actual = new PacketResult();
        while (reader.TryReadNext(ref info))
        {
            unbounded.Evaluate(in info, ref expected);
            bounded.Evaluate(in info, ref actual);
            Assert.Equal((expected.Verdict, expected.RuleId, expected.Flags, expected.FlowId), (actual.Verdict, actual.RuleId, actual.Flags, actual.FlowId));
        }
        Assert.Equal(flows, bounded.Counters.Allowed);
        Assert.Equal(flows - bound, bounded.Counters.UntrackedNotKept);
        Assert.Equal(0, unbounded.Counters.UntrackedNotKept);
        var table = Assert.Single(bounded.Tables, t => t.MaxTracked == 1000);
        Assert.Equal(bound, table.UntrackedCount);
        Assert.True(table.Capacity <= 2048, $"{table.Capacity} slots for {bound} entries");
        var records = bounded.Flows.Records;
        Assert.Equal(flows, records.Length);
        for (var id = 0; id < records.Length; id++)
        {
            Assert.True(records[id].Has(FlowFlags.Untracked), $"flow {id} is not marked untracked");
        }

        // The text report says so in its flow totals; machine formats get the same as a warning line.
        var report = new RunReport(bounded, new RunInput { CaptureName = "flood", RulesetPath = "open.yaml" });
        var warning = Assert.Single(report.BoundWarnings());
        Assert.StartsWith($"{flows - bound} packets of untracked flows came past the bound of {bound} untracked entries per interface", warning);
        var text = new MemoryStream();
        using (var writer = new TextReportWriter(text, new ReportContent(false, false), rules))
        {
            writer.Complete(report);
        }
        Assert.Contains("untracked, not kept", System.Text.Encoding.UTF8.GetString(text.ToArray()));
        Assert.Empty(new RunReport(unbounded, report.Input).BoundWarnings());
    }

    private const string OpenRuleset = """
        version: 1
        interfaces:
          web-1:
            addresses: [10.0.1.10]
            security_groups: [open-sg]
            max_tracked: 1000
        security_groups:
          open-sg:
            inbound:
              - { protocol: tcp, source: 0.0.0.0/0 }
            outbound:
              - { protocol: all, destination: 0.0.0.0/0 }
        """;

    [Fact]
    public void Through_the_cli_the_full_table_is_reported_with_its_rule_and_reason()
    {
        const int flows = 100_000;
        BoundedWebTier(out var text);
        var path = Path.Combine(Directory.CreateTempSubdirectory("fw-robust-").FullName, "web-tier-bounded.yaml");
        File.WriteAllText(path, text);
        try
        {
            // One thread: on several, max_tracked is enforced per thread and the count near the bound may
            // differ (the flood's two sources can land in different shards), as the run then warns.
            var r = InProcessCli.RunWithStream(() => new SynFloodStream(flows),
                "check", "-", "--ruleset", path, "--format", "json", "--threads", "1");
            ExitContract.AssertClean(r, "SYN flood");
            Assert.Equal(0, r.ExitCode);
            MutationTests.AssertTotalsAddUp(r.Out, "SYN flood");
            using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
            var summary = doc.RootElement.GetProperty("summary");
            var reason = Assert.Single(summary.GetProperty("deny_reasons").EnumerateArray());
            Assert.Equal("tracking-table-full", reason.GetProperty("reason").GetString());
            Assert.Equal(flows - MaxTracked, reason.GetProperty("packets").GetInt64());
            Assert.Contains(summary.GetProperty("denying_rules").EnumerateArray(),
                rule => rule.GetProperty("rule").GetString() == "conntrack:web-1:full" && rule.GetProperty("packets").GetInt64() == flows - MaxTracked);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>rulesets/web-tier.yaml with <c>max_tracked: 1000</c> on web-1.</summary>
    private static Engine.Model.Ruleset BoundedWebTier(out string text)
    {
        var original = File.ReadAllText(Repository.PathOf("rulesets/web-tier.yaml"));
        const string anchor = "    security_groups: [web-sg]\n";
        Assert.Contains(anchor, original);
        text = original.Replace(anchor, anchor + $"    max_tracked: {MaxTracked}\n");
        var loaded = RulesetLoader.LoadText(text, "web-tier-bounded.yaml");
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Diagnostics));
        return loaded.Ruleset!;
    }
}
