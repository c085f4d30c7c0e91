using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tracking;

/// <summary>TCP connection-tracking states (Linux nf_conntrack_proto_tcp.c names).</summary>
public enum TcpState : byte
{
    None,
    SynSent,
    SynRecv,
    Established,
    FinWait,
    CloseWait,
    LastAck,
    TimeWait,
    Close,
    SynSent2,

    /// <summary>Table value: the packet is invalid for the entry's state; the entry is left untouched.</summary>
    Invalid,

    /// <summary>Table value: the packet is accepted but neither changes the state nor refreshes the timer.</summary>
    Ignore,

    /// <summary>Table value: a SYN reopening a closed connection; the entry restarts in SYN_SENT with the sender as originator.</summary>
    Reopen,
}

/// <summary>The flag class a TCP packet is reduced to before the table is consulted (conntrack.md §2.1).</summary>
public enum TcpPacketKind : byte
{
    Syn,
    SynAck,
    Fin,
    Ack,
    Rst,
    None,
}

/// <summary>
/// The TCP state machine as a table <c>[direction][packet kind][state]</c>, transcribed cell by cell from
/// Linux 6.1's <c>tcp_conntracks</c> (reference/conntrack.md §2.2). Window tracking is not applied: a
/// capture replay cannot see what the endpoints' stacks accepted, and AWS documents none.
/// Two simplifications against netfilter, both stated as assumptions in the output: a reopening SYN in
/// TIME_WAIT/CLOSE always restarts the entry, and a picked-up connection gets the full established timeout.
/// </summary>
public static class TcpStateMachine
{
    private const TcpState NO = TcpState.None;
    private const TcpState SS = TcpState.SynSent;
    private const TcpState SR = TcpState.SynRecv;
    private const TcpState ES = TcpState.Established;
    private const TcpState FW = TcpState.FinWait;
    private const TcpState CW = TcpState.CloseWait;
    private const TcpState LA = TcpState.LastAck;
    private const TcpState TW = TcpState.TimeWait;
    private const TcpState CL = TcpState.Close;
    private const TcpState S2 = TcpState.SynSent2;
    private const TcpState IV = TcpState.Invalid;
    private const TcpState IG = TcpState.Ignore;
    private const TcpState RO = TcpState.Reopen;

    // [direction: 0 original, 1 reply][kind][state: NO SS SR ES FW CW LA TW CL S2]
    private static readonly TcpState[,,] Table =
    {
        {
            // ORIGINAL direction: the packet comes from the side that created the entry.
            /* SYN     */ { SS, SS, IG, IG, IG, IG, IG, RO, RO, S2 }, // SYN retransmits keep SS; SYN after close reopens
            /* SYN/ACK */ { IV, IV, SR, IV, IV, IV, IV, IV, IV, SR }, // only valid as a late retransmit in simultaneous open
            /* FIN     */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV }, // first FIN → FW, second FIN → LA
            /* ACK     */ { ES, IV, ES, ES, CW, CW, TW, TW, CL, IV }, // NO→ES is mid-stream pickup; LA+ACK of last FIN → TW
            /* RST     */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
            /* none    */ { IV, IV, IV, IV, IV, IV, IV, IV, IV, IV },
        },
        {
            // REPLY direction: the packet comes from the other side.
            /* SYN     */ { IV, S2, IV, IV, IV, IV, IV, RO, IV, S2 }, // SS+SYN = simultaneous open; TW: server switched role
            /* SYN/ACK */ { IV, SR, IG, IG, IG, IG, IG, IG, IG, SR }, // SS→SR is the handshake's second packet
            /* FIN     */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV },
            /* ACK     */ { IV, IG, SR, ES, CW, CW, TW, TW, CL, IG }, // SR+reply ACK stays SR (simultaneous open: ES)
            /* RST     */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
            /* none    */ { IV, IV, IV, IV, IV, IV, IV, IV, IV, IV },
        },
    };

    public static TcpPacketKind Classify(byte flags)
    {
        if ((flags & TcpFlag.Rst) != 0) return TcpPacketKind.Rst;
        if ((flags & TcpFlag.Syn) != 0) return (flags & TcpFlag.Ack) != 0 ? TcpPacketKind.SynAck : TcpPacketKind.Syn;
        if ((flags & TcpFlag.Fin) != 0) return TcpPacketKind.Fin;
        if ((flags & TcpFlag.Ack) != 0) return TcpPacketKind.Ack;
        return TcpPacketKind.None;
    }

    public static TcpState Next(bool reply, TcpPacketKind kind, TcpState state) => Table[reply ? 1 : 0, (int)kind, (int)state];

    /// <summary>Seconds an entry in <paramref name="state"/> lives without traffic.</summary>
    public static int Timeout(TcpState state, TrackingSettings settings) => state switch
    {
        TcpState.SynSent or TcpState.SynSent2 => settings.TcpSynSent,
        TcpState.SynRecv => settings.TcpSynRecv,
        TcpState.Established => settings.TcpEstablished,
        TcpState.FinWait => settings.TcpFinWait,
        TcpState.CloseWait => settings.TcpCloseWait,
        TcpState.LastAck => settings.TcpLastAck,
        TcpState.TimeWait => settings.TcpTimeWait,
        TcpState.Close => settings.TcpClose,
        _ => settings.TcpClose,
    };

    private static readonly string[] Names =
        ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"];

    public static string Name(TcpState state) => (int)state < Names.Length ? Names[(int)state] : state.ToString();
}
