using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Runs;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// The decoded packets of a flows file as a ruleset lets them happen: frames numbered from 1 in the order
/// sent, and a denied packet is never answered (a denied SYN gets no SYN/ACK, a denied echo request no
/// reply), as <see cref="SynthesizedTraffic"/> describes. What <c>check --flows-file</c>, <c>test</c> and
/// <c>synth --ruleset</c> evaluate.
/// </summary>
public sealed class DeliveredPackets(FlowsFile file) : IPacketSource
{
    private readonly SynthesizedTraffic _traffic = new(file);
    private long _frame;

    public bool Next(ref PacketInfo packet)
    {
        if (!_traffic.MoveNext())
        {
            return false;
        }
        SynthDecoding.Fill(_traffic.Current, ++_frame, ref packet);
        return true;
    }

    public void Evaluated(in PacketResult result)
    {
        if (!IsDelivered(in result))
        {
            _traffic.NotDelivered();
        }
    }

    /// <summary>The synthesized packet <see cref="Next"/> decoded last, for writing its bytes.</summary>
    public SynthPacket Current => _traffic.Current;

    /// <summary>A denied packet does not arrive; an allowed one does, and so does one no hop filters.</summary>
    public static bool IsDelivered(in PacketResult result) => result.Verdict != Verdict.Deny;

    public void Dispose() => _traffic.Dispose();
}
