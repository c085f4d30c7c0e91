using System.Runtime.CompilerServices;
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
/// Linux 6.1's <c>tcp_conntracks</c> (net/netfilter/nf_conntrack_proto_tcp.c). Window tracking is not applied: a
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

    // [direction: 0 original, 1 reply][kind][state: NO SS SR ES FW CW LA TW CL S2]. Each row is followed by
    // what each of its cells means, as netfilter comments its own table; docs/semantics.md prints the
    // same table and a test compares every cell of the two.
    private static readonly TcpState[,,] Table =
    {
        {
            // ORIGINAL direction: the packet comes from the side that created the entry.
            //                  NO  SS  SR  ES  FW  CW  LA  TW  CL  S2
            /* SYN     */ { SS, SS, IG, IG, IG, IG, IG, RO, RO, S2 },
            // NO→SS a new connection; SS→SS a retransmitted SYN; SR..LA→IG a SYN inside a live connection
            // changes nothing (netfilter ignores it, its timer keeps running); TW,CL→RO a new connection on
            // the same ports reopens the entry; S2→S2 a retransmitted SYN in a simultaneous open.
            /* SYN/ACK */ { IV, IV, SR, IV, IV, IV, IV, IV, IV, SR },
            // The originator sends a SYN/ACK only in a simultaneous open (SR→SR retransmit, S2→SR its
            // answer); anywhere else it is invalid.
            /* FIN     */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV },
            // NO,SS,S2→IV no FIN before the handshake; SR,ES→FW the first FIN; FW,CW→LA the second FIN (or a
            // retransmitted first one); LA→LA a retransmission; TW→TW, CL→CL after the close.
            /* ACK     */ { ES, IV, ES, ES, CW, CW, TW, TW, CL, IV },
            // NO→ES picks up a connection mid-stream (netfilter's loose mode); SS→IV an ACK before any
            // SYN/ACK; SR→ES the handshake's third packet; ES→ES data; FW→CW the ACK of the first FIN;
            // CW→CW data after it; LA→TW the ACK of the last FIN; TW, CL stay; S2→IV as SS.
            /* RST     */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
            // An RST closes the entry in any state (window checks, which a replay cannot make, are not applied).
            /* none    */ { IV, IV, IV, IV, IV, IV, IV, IV, IV, IV },
            // A segment with none of SYN, FIN, ACK, RST is invalid everywhere.
        },
        {
            // REPLY direction: the packet comes from the other side.
            //                  NO  SS  SR  ES  FW  CW  LA  TW  CL  S2
            /* SYN     */ { IV, S2, IV, IV, IV, IV, IV, RO, IV, S2 },
            // SS→S2 both sides sent a SYN: a simultaneous open; TW→RO the server opens a new connection on
            // the same ports, switching roles; S2→S2 its retransmission; elsewhere invalid.
            /* SYN/ACK */ { IV, SR, IG, IG, IG, IG, IG, IG, IG, SR },
            // SS→SR the handshake's second packet; SR..CL→IG a late retransmission changes nothing;
            // S2→SR the answer in a simultaneous open.
            /* FIN     */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV },
            // As in the original direction: the state is the pair's, not one side's.
            /* ACK     */ { IV, IG, SR, ES, CW, CW, TW, TW, CL, IG },
            // SS→IG an ACK from the server before its SYN/ACK changes nothing; SR→SR a retransmitted ACK
            // before the handshake ends; ES→ES data; FW→CW the ACK of the first FIN; LA→TW the ACK of the
            // last FIN; S2→IG as SS.
            /* RST     */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
            // SS→CL a refused connection; elsewhere an abort.
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

    /// <summary>
    /// What a TCP packet that <paramref name="entry"/> admits does to it: the table's cell, and netfilter's
    /// special cases around the table. Returns the entry's new state, or <see cref="TcpState.Ignore"/> when
    /// nothing changed; <paramref name="remove"/> when the entry must be deleted at once.
    /// <list type="bullet">
    /// <item>An ignored packet (IG) is accepted as tracked; state and timer stay as they were.</item>
    /// <item>A reopening SYN (RO) restarts the entry in SYN_SENT with its sender as the originator.
    /// netfilter reopens only when the old connection's sequence numbers allow it; a replay cannot check
    /// them, so the SYN always reopens (an assumption, listed as such).</item>
    /// <item>An RST before the entry saw any reply (a refused or aborted attempt) deletes it at once, as
    /// netfilter does.</item>
    /// <item>A retransmitted SYN of an attempt that has had no reply keeps the entry's timer running
    /// (netfilter: the SYN_SENT timeout is not extended by retransmissions).</item>
    /// </list>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TcpState Advance(ref TrackEntry entry, TcpPacketKind kind, bool original, long now, EntryTimeouts timeouts, out bool remove)
    {
        remove = false;
        var next = Next(!original, kind, entry.State);
        if (next == TcpState.Ignore)
        {
            return TcpState.Ignore;
        }
        if (next == TcpState.Reopen)
        {
            var senderLocal = original == entry.Has(EntryFlags.OriginLocal);
            entry.Flags = EntryFlags.Used | (entry.Flags & EntryFlags.Untracked) | (senderLocal ? EntryFlags.OriginLocal : EntryFlags.None);
            entry.State = TcpState.SynSent;
            entry.Deadline = now + timeouts.Tcp(TcpState.SynSent);
            return entry.State;
        }
        var seenReply = entry.Has(EntryFlags.SeenReply);
        if (!original)
        {
            entry.Flags |= EntryFlags.SeenReply;
        }
        if (kind == TcpPacketKind.Rst && !seenReply)
        {
            remove = true;
            return TcpState.Close;
        }
        var retransmittedSyn = entry.State == TcpState.SynSent && next == TcpState.SynSent && original && !seenReply;
        entry.State = next;
        if (!retransmittedSyn)
        {
            entry.Deadline = now + timeouts.Tcp(next);
        }
        return next;
    }

    /// <summary>The state of a new entry opened by a packet of <paramref name="kind"/>: a pick-up of a connection already under way when it is no SYN.</summary>
    public static TcpState InitialState(TcpPacketKind kind) => kind switch
    {
        TcpPacketKind.Syn => TcpState.SynSent,
        TcpPacketKind.SynAck => TcpState.SynRecv,
        TcpPacketKind.Fin => TcpState.FinWait,
        _ => TcpState.Established,
    };

    private static readonly string[] Names =
        ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"];

    public static string Name(TcpState state) => (int)state < Names.Length ? Names[(int)state] : state.ToString();
}
