using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Runs;

/// <summary>
/// Writes a run as it happens: <see cref="WritePacket"/> for each evaluated packet (only when packets
/// were asked for), then <see cref="Complete"/> once with the finished run. Writers own nothing but
/// their buffers; the caller owns the stream.
/// </summary>
public interface IReportWriter : IDisposable
{
    void WritePacket(in PacketInfo packet, in PacketResult result);

    void Complete(RunReport report);
}
