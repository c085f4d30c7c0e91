using System.Diagnostics;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Benchmarks;

/// <summary>
/// `split CAPTURE RULESET [--packets N] [--passes P]`: where one evaluator's time goes, by kind of packet.
/// The capture's first N packets are decoded into memory first, then evaluated P times by a fresh
/// evaluator each, each call timed on its own and counted in one of five kinds: the packet began a flow,
/// it was denied (a known flow), an allowed TCP segment with SYN, FIN or RST, an allowed TCP segment
/// without them (a steady connection), anything else allowed. The clock's own cost per reading pair is
/// measured and taken off. Reading and decoding are left out; they are timed once, separately.
/// </summary>
internal static class EvaluationSplit
{
    private static readonly string[] Kinds = ["began a flow", "denied, known flow", "TCP SYN/FIN/RST", "TCP, steady", "other allowed"];

    public static int Run(string capture, string ruleset, int packets, int passes)
    {
        var rules = BenchInputs.Rules(ruleset);
        if (rules is null)
        {
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var decoded = Decode(capture, packets);
        Console.WriteLine($"{decoded.Length:N0} packets of {capture}, read and decoded in {clock.Elapsed.TotalSeconds:F3} s (into memory)");
        var overhead = ClockOverhead();
        Console.WriteLine($"clock: {overhead:F1} ns per pair of readings, taken off each packet's time");
        for (var pass = 0; pass < passes; pass++)
        {
            BenchInputs.FreshHeap();
            Pass(rules, decoded, overhead, pass);
        }
        return 0;
    }

    private static PacketInfo[] Decode(string capture, int packets)
    {
        var list = new List<PacketInfo>();
        using var reader = BenchInputs.Open(capture);
        var info = new PacketInfo();
        while (list.Count < packets && reader.TryReadNext(ref info))
        {
            list.Add(info);
        }
        return [.. list];
    }

    private static double ClockOverhead()
    {
        const int N = 2_000_000;
        long sum = 0;
        for (var i = 0; i < N; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            sum += Stopwatch.GetTimestamp() - t0;
        }
        return sum * 1e9 / Stopwatch.Frequency / N;
    }

    private static void Pass(CompiledRuleset rules, PacketInfo[] packets, double overheadNs, int pass)
    {
        var evaluator = new Evaluator(rules);
        var result = new PacketResult();
        var ticks = new long[Kinds.Length];
        var counts = new long[Kinds.Length];
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var faults = MinorFaults();
        var whole = Stopwatch.StartNew();
        for (var i = 0; i < packets.Length; i++)
        {
            var flows = evaluator.Flows.Count;
            var t0 = Stopwatch.GetTimestamp();
            evaluator.Evaluate(in packets[i], ref result);
            var elapsed = Stopwatch.GetTimestamp() - t0;
            var kind = KindOf(in packets[i], in result, evaluator.Flows.Count > flows);
            ticks[kind] += elapsed;
            counts[kind]++;
        }
        Console.WriteLine($"pass {pass + 1}: {whole.Elapsed.TotalSeconds:F3} s in all, {evaluator.Flows.Count:N0} flows; " +
            $"{GC.CollectionCount(0) - gcs} collections pausing {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, {MinorFaults() - faults:N0} page faults");
        for (var k = 0; k < Kinds.Length; k++)
        {
            var seconds = (double)ticks[k] / Stopwatch.Frequency;
            var each = counts[k] == 0 ? 0 : seconds * 1e9 / counts[k] - overheadNs;
            Console.WriteLine($"  {Kinds[k],-20} {counts[k],10:N0} packets {each,8:F0} ns each {Math.Max(0, each) * counts[k] / 1e9,8:F3} s");
        }
    }

    /// <summary>The process's minor page faults so far (Linux /proc/self/stat, field 10), or 0 elsewhere.</summary>
    private static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int KindOf(in PacketInfo p, in PacketResult r, bool beganFlow)
    {
        if (beganFlow)
        {
            return 0;
        }
        if (r.Verdict == Verdict.Deny)
        {
            return 1;
        }
        if (p.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp))
        {
            return (p.TcpFlags & (TcpFlag.Syn | TcpFlag.Fin | TcpFlag.Rst)) != 0 ? 2 : 3;
        }
        return 4;
    }
}
