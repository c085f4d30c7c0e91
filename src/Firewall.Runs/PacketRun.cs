using Firewall.Analysis.Runs;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Runs;

/// <summary>
/// A run of packets that were made rather than read (synthetic flows, a test's flow): evaluated in one
/// fresh evaluator exactly as a capture of them would be, without writing the capture.
/// </summary>
public static class PacketRun
{
    /// <summary>Evaluates packets made on demand, telling the source each one's result before asking for the next.</summary>
    public static RunReport Evaluate(
        IPacketSource source,
        CompiledRuleset rules,
        EvaluationOptions options,
        RunNames names,
        IRunSink? packetWriter)
    {
        var evaluator = new Evaluator(rules, options);
        var packet = default(PacketInfo);
        var result = new PacketResult();
        while (source.Next(ref packet))
        {
            evaluator.Evaluate(in packet, ref result);
            source.Evaluated(in result);
            packetWriter?.WritePacket(in packet, in result);
        }
        return new RunReport(evaluator, new RunInput { CaptureName = names.Capture, RulesetPath = names.Ruleset });
    }
}

/// <summary>
/// Packets made as a run goes, each told its result before the next is made: what is sent next may depend
/// on what was delivered (a responder answers only the requests that reached it).
/// </summary>
public interface IPacketSource : IDisposable
{
    /// <summary>Fills <paramref name="packet"/> with the next packet; false when there are no more.</summary>
    bool Next(ref PacketInfo packet);

    /// <summary>The result of the packet <see cref="Next"/> gave last.</summary>
    void Evaluated(in PacketResult result);
}

/// <summary>One evaluated packet and its result, as <see cref="PacketRecorder"/> keeps them.</summary>
public readonly record struct EvaluatedPacket(PacketInfo Packet, PacketResult Result);

/// <summary>Keeps every packet of a short run with its result, in order: for a test case or an explanation, never for a capture.</summary>
public sealed class PacketRecorder : IRunSink
{
    private readonly List<EvaluatedPacket> _packets = [];

    public IReadOnlyList<EvaluatedPacket> Packets => _packets;

    public void WritePacket(in PacketInfo packet, in PacketResult result) => _packets.Add(new EvaluatedPacket(packet, result));

    public void Complete(RunReport report)
    {
    }

    public void Dispose()
    {
    }
}
