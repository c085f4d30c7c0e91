using System.Runtime.CompilerServices;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Runs;

/// <summary>
/// The hot loop: read → decode → evaluate → (optionally) write each packet. One <see cref="PacketInfo"/>
/// and one <see cref="PacketResult"/> are reused for the whole capture; nothing here allocates per packet.
/// With more than one thread the capture is evaluated by <see cref="ShardedCaptureRun"/>, with the same results.
/// </summary>
public static class CaptureRun
{
    /// <summary>Shards are numbered in a byte.</summary>
    public const int MaxThreads = 256;

    /// <returns>The finished run, or the reason reading stopped part-way.</returns>
    // Entered once and looping over every packet: compiled optimized at once, since a published (precompiled)
    // build would otherwise keep its precompiled code, which never inlines across assemblies, for the whole run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CaptureRunResult Evaluate(
        PacketReader reader,
        CompiledRuleset rules,
        EvaluationOptions options,
        int threads,
        RunNames names,
        IRunSink? packetWriter,
        RunProgress progress)
    {
        if (threads > 1 && !options.RelatedIcmp)
        {
            // --related-icmp admits an error by the flow it quotes, which may live in another shard.
            return ShardedCaptureRun.Evaluate(
                reader, rules, options, Math.Min(threads, MaxThreads), names, packetWriter, progress);
        }
        var evaluator = new Evaluator(rules, options);
        var info = new PacketInfo();
        var result = new PacketResult();
        while (true)
        {
            bool more;
            try
            {
                more = reader.TryReadNext(ref info);
            }
            catch (IOException ex)
            {
                progress.Done();
                return CaptureRunResult.Stopped(new ReadFailure(names.Capture, reader.Capture.FramesRead, ex.Message));
            }
            if (!more)
            {
                break;
            }
            evaluator.Evaluate(in info, ref result);
            packetWriter?.WritePacket(in info, in result);
            progress.Tick(evaluator.Counters.Frames, evaluator.Flows.Count);
        }
        progress.Done();
        return new CaptureRunResult(new RunReport(evaluator, Input(reader, names)), null, []);
    }

    /// <summary>What was read, once it has been read (the capture's warnings are known only then).</summary>
    public static RunInput Input(PacketReader reader, RunNames names)
    {
        var capture = reader.Capture;
        return new RunInput
        {
            CaptureName = names.Capture,
            CaptureFormat = capture.Format == CaptureFormat.Pcap ? "pcap" : "pcapng",
            CaptureCompressed = capture.IsCompressed,
            RulesetPath = names.Ruleset,
            DecapsulateVxlan = reader.Options.DecapsulateVxlan,
            // The reader's damage, then what the decoder read in spite of the capture (mislabelled frames).
            CaptureWarnings = capture.Warnings.Select(w => w.ToString()).Concat(reader.Counts.Warnings()).ToList(),
            UnsupportedLinkTypes = [.. reader.Counts.UnsupportedLinkTypes],
            DecodeErrors = Enum.GetValues<DecodeError>().Select(e => e == DecodeError.None ? 0 : reader.Counts[e]).ToArray(),
        };
    }
}
