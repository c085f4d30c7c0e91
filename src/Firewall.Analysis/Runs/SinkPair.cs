using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Runs;

/// <summary>Feeds two sinks from one run, first then second (report's page and the listing that narrows it). Owns neither.</summary>
public sealed class SinkPair(IRunSink first, IRunSink second) : IRunSink
{
    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        first.WritePacket(in packet, in result);
        second.WritePacket(in packet, in result);
    }

    public void Complete(RunReport report)
    {
        first.Complete(report);
        second.Complete(report);
    }

    public bool WritesAsItGoes => first.WritesAsItGoes || second.WritesAsItGoes;

    public void Flush()
    {
        first.Flush();
        second.Flush();
    }

    public void Dispose()
    {
    }
}
