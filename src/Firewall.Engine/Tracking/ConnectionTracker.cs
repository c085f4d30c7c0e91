using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tracking;

/// <summary>What the tracking entry of a packet's connection says about the packet.</summary>
public enum EntryMatch : byte
{
    /// <summary>No live entry: the rules judge the packet, and it may open one.</summary>
    None,

    /// <summary>The entry admits the packet without rules.</summary>
    Admits,

    /// <summary>The flow is untracked (AWS: rules open to all in both directions): the rules of the packet's own direction judge it, and the entry is refreshed.</summary>
    Untracked,

    /// <summary>
    /// An entry exists but does not admit this packet: a TCP segment the state table calls invalid
    /// (netfilter marks it INVALID and leaves the entry), or an echo message the entry does not expect
    /// from this side. The rules judge it, and it opens no second entry.
    /// </summary>
    Refuses,
}

/// <summary>
/// The connection-tracking tables of a ruleset's interfaces and what packets do to their entries: which
/// entry a packet meets, which packets open one and in what state, how an admitted packet refreshes it,
/// and which ICMP errors quote a tracked flow. It knows nothing of rules: the security-group hops ask it.
/// A tracking key marks the side that is the interface's own (<see cref="FlowKey.ForInterface"/>).
/// </summary>
public sealed class ConnectionTracker
{
    private readonly TrackingTable[] _tables;
    private readonly EntryTimeouts _timeouts;

    public ConnectionTracker(IEnumerable<int> maxTrackedPerInterface, TrackingSettings settings)
    {
        _tables = maxTrackedPerInterface.Select(max => new TrackingTable(max)).ToArray();
        _timeouts = new EntryTimeouts(settings);
    }

    /// <summary>The tracking table of each interface, in ruleset order.</summary>
    public IReadOnlyList<TrackingTable> Tables => _tables;

    public void Clear()
    {
        foreach (var table in _tables)
        {
            table.Clear();
        }
    }

    /// <summary>
    /// The entry <paramref name="p"/> meets at interface <paramref name="nic"/>; <paramref name="slot"/> and
    /// <paramref name="original"/> (the packet travels the entry's original direction) when there is one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EntryMatch Meet(int nic, in FlowKey key, in PacketInfo p, TrackKind.Value kind, bool outbound, long now, out int slot, out bool original)
    {
        var table = _tables[nic];
        slot = table.Find(in key, now);
        original = false;
        if (slot < 0)
        {
            return EntryMatch.None;
        }
        ref var entry = ref table[slot];
        original = outbound == entry.Has(EntryFlags.OriginLocal);
        if (kind == TrackKind.Tcp && TcpStateMachine.Next(!original, TcpStateMachine.Classify(p.TcpFlags), entry.State) == TcpState.Invalid)
        {
            return EntryMatch.Refuses;
        }
        if (kind == TrackKind.IcmpEcho && IcmpKind.IsEchoRequest(p.Protocol, p.IcmpType) != original)
        {
            return EntryMatch.Refuses;
        }
        return entry.Has(EntryFlags.Untracked) ? EntryMatch.Untracked : EntryMatch.Admits;
    }

    /// <summary>Which packets open an entry when the rules allow them.</summary>
    public static bool Opens(TrackKind.Value kind, TcpPacketKind tcpKind, in PacketInfo p) => kind switch
    {
        // An RST or a flagless segment never opens a connection (netfilter: NONE + RST/none is invalid).
        TrackKind.Tcp => tcpKind is TcpPacketKind.Syn or TcpPacketKind.SynAck or TcpPacketKind.Ack or TcpPacketKind.Fin,
        // An echo reply with no entry is answered to nobody; only requests open echo entries.
        TrackKind.IcmpEcho => IcmpKind.IsEchoRequest(p.Protocol, p.IcmpType),
        _ => true,
    };

    /// <summary>Whether interface <paramref name="nic"/>'s tracking allowance is used up (AWS: packets of new flows are then dropped).</summary>
    public bool IsFull(int nic, long now) => _tables[nic].IsFull(now);

    /// <summary>Whether interface <paramref name="nic"/> keeps as many untracked orientations as this process allows.</summary>
    public bool IsUntrackedFull(int nic, long now, int maxUntracked) => _tables[nic].IsUntrackedFull(now, maxUntracked);

    /// <summary>
    /// Opens the entry of <paramref name="p"/>'s connection at interface <paramref name="nic"/> and returns
    /// its state; <paramref name="inferred"/> when the packet did not open the connection, so which side
    /// began it is a guess (<see cref="ClientInference"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TcpState Open(int nic, in FlowKey key, in PacketInfo p, TrackKind.Value kind, TcpPacketKind tcpKind, bool outbound, bool untracked, int flowId, long now, out bool inferred)
    {
        var originIsSender = ClientInference.SenderIsClient(in p, out inferred);
        var flags = (originIsSender == outbound ? EntryFlags.OriginLocal : EntryFlags.None)
            | (untracked ? EntryFlags.Untracked : EntryFlags.None)
            | (inferred ? EntryFlags.Inferred : EntryFlags.None);
        var state = kind == TrackKind.Tcp ? TcpStateMachine.InitialState(tcpKind) : TcpState.None;
        // Only stores to the new entry: its cache line is usually not in the cache, and nothing here
        // waits for it (a new entry's flags have no Stream bit, so its timeout needs nothing from it).
        var table = _tables[nic];
        var slot = table.Insert(in key, now, flags);
        ref var entry = ref table[slot];
        entry.FlowId = flowId;
        entry.State = state;
        entry.Deadline = now + _timeouts.Of(kind, state, stream: false);
        return state;
    }

    /// <summary>
    /// What an admitted packet does to its entry: TCP moves through the state table, UDP becomes a stream
    /// when the originator sends again after a reply (AWS's longer timeout), and every kind notes a reply and
    /// restarts its timer. Returns the entry's TCP state after it, or <see cref="TcpState.Ignore"/> when the
    /// packet changed no TCP state.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TcpState Refresh(int nic, int slot, in PacketInfo p, TrackKind.Value kind, bool original, long now)
    {
        var table = _tables[nic];
        ref var entry = ref table[slot];
        if (kind == TrackKind.Tcp)
        {
            var state = TcpStateMachine.Advance(ref entry, TcpStateMachine.Classify(p.TcpFlags), original, now, _timeouts, out var remove);
            if (remove)
            {
                table.RemoveAt(slot);
            }
            return state;
        }
        if (!original)
        {
            entry.Flags |= EntryFlags.SeenReply;
        }
        else if (kind == TrackKind.Udp && entry.Has(EntryFlags.SeenReply))
        {
            entry.Flags |= EntryFlags.Stream;
        }
        entry.Deadline = now + _timeouts.Of(kind, entry.State, entry.Has(EntryFlags.Stream));
        return TcpState.Ignore;
    }

    /// <summary>netfilter RELATED: the ICMP error quotes a packet of a flow tracked at interface <paramref name="nic"/>, whose own address is <paramref name="local"/>.</summary>
    public bool QuotesTrackedFlow(int nic, in PacketInfo p, IpAddr local, long now)
    {
        if (p.InnerProtocol is not (IpProtocol.Tcp or IpProtocol.Udp))
        {
            return false;
        }
        if (p.InnerSrc != local && p.InnerDst != local)
        {
            return false;
        }
        // The quoted packet's flow, keyed from this interface's side as its own packets were.
        var flow = FlowKey.Canonical(p.InnerSrc, p.InnerSrcPort, p.InnerDst, p.InnerDstPort, p.InnerProtocol, out var swapped);
        var key = flow.ForInterface(localIsA: (p.InnerSrc == local) != swapped);
        var table = _tables[nic];
        var slot = table.Find(in key, now);
        return slot >= 0 && !table[slot].Has(EntryFlags.Untracked);
    }
}
