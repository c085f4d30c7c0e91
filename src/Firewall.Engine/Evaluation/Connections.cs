using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>What a flow record remembers of its connection to tell where the next one on the same endpoints begins.</summary>
[Flags]
public enum ConnectionFlags : byte
{
    None = 0,

    /// <summary>The key's A endpoint sent a FIN.</summary>
    FinFromA = 1 << 0,

    /// <summary>The key's B endpoint sent a FIN.</summary>
    FinFromB = 1 << 1,

    /// <summary>Either endpoint sent an RST.</summary>
    Reset = 1 << 2,

    /// <summary><see cref="FlowRecord.ClientIsn"/> holds the client's initial sequence number.</summary>
    IsnKnown = 1 << 3,

    /// <summary>A UDP flow whose client sent again after a reply: a stream, with the longer timeout.</summary>
    Stream = 1 << 4,
}

/// <summary>
/// A flow is one connection, as Wireshark's <c>tcp.stream</c> and Zeek's conn.log count them, not one set
/// of endpoints: when endpoints are reused, the packet that begins the new connection begins a new flow.
/// <list type="bullet">
/// <item>TCP: a SYN (without ACK) begins a new connection unless it repeats the current one's opening SYN
/// (same sender, same initial sequence number): after a FIN from both sides or an RST, a new SYN always
/// does. Wireshark starts a new <c>tcp.stream</c> on a SYN whose sequence number differs from the
/// conversation's first ("TCP port numbers reused").</item>
/// <item>UDP, ICMP and other protocols: the client sending after the flow was silent for at least its
/// connection-tracking timeout (UDP 30 s, or 180 s once it is a stream; ICMP 30 s; other protocols
/// 600 s) begins a new one, as a security group's tracking entry would have expired by then. A reply
/// after such a silence stays with its flow: it is the late reply a security group drops.</item>
/// </list>
/// Only the packets on the wire decide (flags, sequence numbers, times), never a verdict, so a flow
/// is the same whichever ruleset judges it.
/// </summary>
public static class Connections
{
    private const long NsPerSecond = 1_000_000_000L;

    /// <summary>Whether <paramref name="p"/>, whose key finds <paramref name="flow"/>, begins a new connection on the same endpoints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StartsAnew(in PacketInfo p, in FlowRecord flow, bool senderIsA, long now, TrackingSettings timeouts)
    {
        if (flow.Key.Protocol == IpProtocol.Tcp)
        {
            if (!p.Has(PacketFlags.Tcp) || TcpStateMachine.Classify(p.TcpFlags) != TcpPacketKind.Syn)
            {
                return false;
            }
            var c = flow.Connection;
            var closed = (c & ConnectionFlags.Reset) != 0 || (c & (ConnectionFlags.FinFromA | ConnectionFlags.FinFromB)) == (ConnectionFlags.FinFromA | ConnectionFlags.FinFromB);
            var retransmission = (c & ConnectionFlags.IsnKnown) != 0 && senderIsA == flow.ClientIsA && p.Seq == flow.ClientIsn;
            return closed || !retransmission;
        }
        // Only the client resumes a flow: a late reply after the same silence is still this flow's reply
        // (the one a security group drops because its entry expired), not a conversation of its own.
        return senderIsA == flow.ClientIsA && now - flow.LastTimeNs >= IdleTimeout(in flow, timeouts) * NsPerSecond;
    }

    /// <summary>Seconds of silence after which a flow that is not TCP is over (its tracking timeout).</summary>
    public static long IdleTimeout(in FlowRecord flow, TrackingSettings timeouts) => flow.Key.Protocol switch
    {
        IpProtocol.Udp => (flow.Connection & ConnectionFlags.Stream) != 0 ? timeouts.UdpStream : timeouts.Udp,
        IpProtocol.Icmp or IpProtocol.IcmpV6 => timeouts.Icmp,
        _ => timeouts.Other,
    };

    /// <summary>What a new flow learns from its first packet: the client's initial sequence number.</summary>
    public static void Open(ref FlowRecord flow, in PacketInfo p)
    {
        flow.Connection = ConnectionFlags.None;
        if (flow.Key.Protocol == IpProtocol.Tcp && p.Has(PacketFlags.Tcp))
        {
            switch (TcpStateMachine.Classify(p.TcpFlags))
            {
                case TcpPacketKind.Syn:
                    flow.ClientIsn = p.Seq;
                    flow.Connection = ConnectionFlags.IsnKnown;
                    break;
                case TcpPacketKind.SynAck:
                    // The SYN was not seen: the SYN/ACK acknowledges the client's initial sequence number + 1.
                    flow.ClientIsn = p.Ack - 1;
                    flow.Connection = ConnectionFlags.IsnKnown;
                    break;
            }
        }
    }

    /// <summary>Notes what a packet of the flow says about its connection's end (and a UDP flow becoming a stream).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Note(ref FlowRecord flow, in PacketInfo p, bool senderIsA, bool isReply)
    {
        if (flow.Key.Protocol == IpProtocol.Tcp)
        {
            if ((p.TcpFlags & TcpFlag.Rst) != 0)
            {
                flow.Connection |= ConnectionFlags.Reset;
            }
            else if ((p.TcpFlags & TcpFlag.Fin) != 0)
            {
                flow.Connection |= senderIsA ? ConnectionFlags.FinFromA : ConnectionFlags.FinFromB;
            }
        }
        else if (flow.Key.Protocol == IpProtocol.Udp && !isReply && flow.ReplyAllowed + flow.ReplyDenied > 0)
        {
            flow.Connection |= ConnectionFlags.Stream;
        }
    }
}
