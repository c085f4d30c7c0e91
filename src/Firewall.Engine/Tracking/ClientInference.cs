using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tracking;

/// <summary>
/// Which side of a connection is its client, told from the first packet seen of it: the one place the flow
/// table (a flow's client) and the tracking tables (an entry's originator) ask. A TCP SYN or any packet of
/// another protocol is sent by the client; a SYN/ACK or an echo reply by the server. A TCP segment from the
/// middle of a connection has no such mark: the well-known (lower) port is taken as the server's, and on a
/// tie the sender as the client. AWS documents nothing about a connection picked up mid-stream; this is
/// an assumption, listed as such in every report.
/// </summary>
public static class ClientInference
{
    /// <summary>
    /// Whether the sender of <paramref name="p"/>, the first packet seen of its connection, is the client;
    /// <paramref name="inferred"/> when the packet does not open the connection, so the answer is a guess.
    /// </summary>
    public static bool SenderIsClient(in PacketInfo p, out bool inferred)
    {
        inferred = false;
        if (p.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp))
        {
            var kind = TcpStateMachine.Classify(p.TcpFlags);
            if (kind == TcpPacketKind.Syn)
            {
                return true;
            }
            inferred = true;
            return kind != TcpPacketKind.SynAck && SenderIsClientByPort(p.SrcPort, p.DstPort);
        }
        if (p.Has(PacketFlags.IcmpEcho) && IcmpKind.IsEchoReply(p.Protocol, p.IcmpType))
        {
            inferred = true;
            return false;
        }
        return true;
    }

    /// <summary>The well-known (lower) port is the server's; on a tie the sender is taken as the client.</summary>
    private static bool SenderIsClientByPort(ushort srcPort, ushort dstPort) => srcPort >= dstPort;
}
