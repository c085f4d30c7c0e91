using System.Runtime.CompilerServices;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Cli.Running;

/// <summary>
/// The hot loop: read → decode → evaluate → (optionally) write each packet. One <see cref="PacketInfo"/>
/// and one <see cref="PacketResult"/> are reused for the whole capture; nothing here allocates per packet.
/// </summary>
internal static class CaptureRun
{
    /// <returns>The finished run, or null when reading failed part-way (the message has been printed).</returns>
    // Entered once and looping over every packet: compiled optimized at once, since a published (precompiled)
    // build would otherwise keep its precompiled code, which never inlines across assemblies, for the whole run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RunReport? Evaluate(
        PacketReader reader,
        CompiledRuleset rules,
        EvaluationOptions options,
        int threads,
        string captureName,
        string rulesetPath,
        IRunSink? packetWriter,
        Progress progress,
        TextWriter error)
    {
        if (threads > 1 && !options.RelatedIcmp)
        {
            // --related-icmp admits an error by the flow it quotes, which may live in another shard.
            return ShardedCaptureRun.Evaluate(
                reader, rules, options, Math.Min(threads, MaxThreads), captureName,
                () => Input(reader, captureName, rulesetPath), packetWriter, progress, error);
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
                error.WriteLine($"firewall: {captureName}: reading stopped after frame {reader.Capture.FramesRead}: {ex.Message}");
                return null;
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
        return new RunReport(evaluator, Input(reader, captureName, rulesetPath));
    }

    /// <summary>Shards are numbered in a byte.</summary>
    public const int MaxThreads = 256;

    /// <summary>What was read, once it has been read (the capture's warnings are known only then).</summary>
    private static RunInput Input(PacketReader reader, string captureName, string rulesetPath)
    {
        var capture = reader.Capture;
        return new RunInput
        {
            CaptureName = captureName,
            CaptureFormat = capture.Format == CaptureFormat.Pcap ? "pcap" : "pcapng",
            CaptureCompressed = capture.IsCompressed,
            RulesetPath = rulesetPath,
            DecapsulateVxlan = reader.Options.DecapsulateVxlan,
            // The reader's damage, then what the decoder read in spite of the capture (mislabelled frames).
            CaptureWarnings = capture.Warnings.Select(w => w.ToString()).Concat(reader.Counts.Warnings()).ToList(),
            UnsupportedLinkTypes = [.. reader.Counts.UnsupportedLinkTypes],
        };
    }

    /// <summary>Evaluates synthetic packets (<c>--flows F.yaml</c>) exactly as a capture of them would be: no capture is written.</summary>
    public static RunReport EvaluatePackets(
        IEnumerable<PacketInfo> packets,
        CompiledRuleset rules,
        EvaluationOptions options,
        string flowsPath,
        string rulesetPath,
        IRunSink? packetWriter)
    {
        var evaluator = new Evaluator(rules, options);
        var result = new PacketResult();
        foreach (var packet in packets)
        {
            evaluator.Evaluate(in packet, ref result);
            packetWriter?.WritePacket(in packet, in result);
        }
        return new RunReport(evaluator, new RunInput { CaptureName = flowsPath, RulesetPath = rulesetPath });
    }
}
