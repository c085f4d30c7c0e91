using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Runs;

/// <summary>
/// What a run feeds as it happens: <see cref="WritePacket"/> for each evaluated packet (only when packets
/// were asked for), then <see cref="Complete"/> once with the finished run. The report writers are sinks,
/// and so is an analysis that needs each packet's result (<see cref="Diff.FlowDecisionRecorder"/>). Sinks
/// own nothing but their buffers; the caller owns the stream.
/// </summary>
public interface IRunSink : IDisposable
{
    void WritePacket(in PacketInfo packet, in PacketResult result);

    void Complete(RunReport report);

    /// <summary>
    /// Whether the sink writes records as the run goes (packet records, flow log records), which a reader
    /// downstream may follow while a live input is still arriving; false when everything is written at the end.
    /// </summary>
    bool WritesAsItGoes => false;

    /// <summary>
    /// Pushes what has been written so far through to the stream, whole records only: called while a live
    /// input waits for data, so that a reader downstream sees each record soon after its packet.
    /// </summary>
    void Flush()
    {
    }
}
