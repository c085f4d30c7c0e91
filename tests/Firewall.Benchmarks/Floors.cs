using System.Diagnostics;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Benchmarks;

/// <summary>
/// `floor CAPTURE RULESET [--rounds N]`: what a one-thread run must pay before any rule is looked at, in
/// one process, over the capture file (from the page cache), in three passes per round, in turn:
/// <list type="number">
/// <item>read and decode every packet (the reader's copy, framing, decoding, as <c>check</c> does it);</item>
/// <item>the same, plus each packet's flow key and one find-or-add in a fresh <see cref="FlowTable"/> and a
/// write to the flow's record: the least any evaluator that knows a packet's flow does;</item>
/// <item>the same reading, evaluated in full by a fresh <see cref="Evaluator"/> (what <c>check --threads 1</c>
/// does, without its start-up and report).</item>
/// </list>
/// Medians of the rounds, per pass and per packet, and what each step adds to the one before.
/// </summary>
internal static class Floors
{
    private static readonly string[] Passes = ["read and decode", "+ flow key and one probe", "+ full evaluation"];

    public static int Run(string capture, string ruleset, int rounds)
    {
        var rules = BenchInputs.Rules(ruleset);
        if (rules is null)
        {
            return 2;
        }
        var seconds = new List<double>[Passes.Length];
        for (var k = 0; k < Passes.Length; k++)
        {
            seconds[k] = [];
        }
        long packets = 0;
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < Passes.Length; k++)
            {
                BenchInputs.FreshHeap();
                var clock = Stopwatch.StartNew();
                packets = Pass(k, capture, rules);
                seconds[k].Add(clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"round {round + 1}: " + string.Join(", ", Enumerable.Range(0, Passes.Length).Select(k => $"{seconds[k][^1]:F3} s")));
        }
        Console.WriteLine($"{packets:N0} packets of {capture}; medians of {rounds} rounds:");
        var before = 0.0;
        for (var k = 0; k < Passes.Length; k++)
        {
            var median = Median(seconds[k]);
            Console.WriteLine($"  {Passes[k],-26} {median,7:F3} s {median * 1e9 / packets,6:F0} ns/packet" +
                (k == 0 ? "" : $"   adds {(median - before) * 1e9 / packets,5:F0} ns/packet"));
            before = median;
        }
        return 0;
    }

    private static long Pass(int kind, string capture, CompiledRuleset rules)
    {
        using var reader = BenchInputs.Open(capture);
        var info = new PacketInfo();
        long packets = 0;
        switch (kind)
        {
            case 0:
                while (reader.TryReadNext(ref info))
                {
                    packets++;
                }
                break;
            case 1:
                var flows = new FlowTable();
                while (reader.TryReadNext(ref info))
                {
                    packets++;
                    if (info.Decoded && info.IsIp)
                    {
                        var key = FlowIdentity.KeyOf(in info, out _);
                        flows[flows.FindOrAdd(in key, int.MaxValue, out _)].LastTimeNs = info.TimestampNs;
                    }
                }
                break;
            default:
                var evaluator = new Evaluator(rules);
                var result = new PacketResult();
                while (reader.TryReadNext(ref info))
                {
                    packets++;
                    evaluator.Evaluate(in info, ref result);
                }
                break;
        }
        return packets;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
