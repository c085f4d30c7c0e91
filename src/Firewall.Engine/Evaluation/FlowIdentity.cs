using System.Runtime.CompilerServices;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Which flow a packet belongs to: its key, the record a new connection begins (<see cref="Connections"/>
/// tells when endpoints are reused by a new one), which side is the client, and the bound on how many
/// flows are recorded. A packet past the bound is still evaluated and counted, but not kept per flow.
/// </summary>
internal sealed class FlowIdentity(FlowTable flows, EvaluationOptions options, TrackingSettings timeouts, Counters counters)
{
    /// <summary>The packet's flow key (canonical order; <paramref name="swapped"/> when the sender is the key's B).</summary>
    public static FlowKey KeyOf(in PacketInfo p, out bool swapped)
    {
        if (p.Has(PacketFlags.Ports))
        {
            return FlowKey.Canonical(p.Src, p.SrcPort, p.Dst, p.DstPort, p.Protocol, out swapped);
        }
        if (p.Has(PacketFlags.IcmpEcho))
        {
            return FlowKey.Canonical(p.Src, p.IcmpId, p.Dst, p.IcmpId, p.Protocol, out swapped);
        }
        if (p.Has(PacketFlags.Icmp))
        {
            // Other ICMP messages (errors, router/neighbour discovery...) form flows of their own per type/code.
            var tc = (ushort)(p.IcmpType << 8 | p.IcmpCode);
            return FlowKey.Canonical(p.Src, tc, p.Dst, tc, p.Protocol, out swapped);
        }
        return FlowKey.Canonical(p.Src, 0, p.Dst, 0, p.Protocol, out swapped);
    }

    /// <summary>
    /// The flow of a packet whose key found flow <paramref name="known"/>: that flow, or a new one on the same
    /// endpoints when the packet begins a new connection; -1 past the flow-record bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Continue(in PacketInfo p, int known, bool senderIsA, out bool isReply)
    {
        ref var record = ref flows[known];
        if (!Connections.StartsAnew(in p, in record, senderIsA, p.TimestampNs, timeouts))
        {
            isReply = senderIsA != record.ClientIsA;
            return known;
        }
        var path = record.Path; // same key, so the same path
        var id = flows.Restart(known, options.MaxFlows);
        return Begun(in p, id, created: true, senderIsA, path, out isReply);
    }

    /// <summary>Finds or creates the flow of a packet that has a path; -1 past the flow-record bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Add(in PacketInfo p, in FlowKey key, bool senderIsA, FlowPath path, out bool isReply)
    {
        var id = flows.FindOrAdd(in key, options.MaxFlows, out var created);
        return Begun(in p, id, created, senderIsA, senderIsA ? path : path.Reversed, out isReply);
    }

    private int Begun(in PacketInfo p, int id, bool created, bool senderIsA, FlowPath path, out bool isReply)
    {
        if (id < 0)
        {
            counters.PacketsOfUnrecordedFlows++;
            isReply = false;
            return -1;
        }
        ref var flow = ref flows[id];
        if (created)
        {
            Begin(ref flow, in p, senderIsA, path);
        }
        isReply = senderIsA != flow.ClientIsA;
        return id;
    }

    /// <summary>A flow's first packet: where it begins, which side is the client (inferred unless it opens the connection).</summary>
    private static void Begin(ref FlowRecord flow, in PacketInfo p, bool senderIsA, FlowPath path)
    {
        flow.FirstFrame = p.Frame;
        flow.FirstTimeNs = p.TimestampNs;
        flow.Path = path;
        var senderIsClient = ClientInference.SenderIsClient(in p, out var inferred);
        flow.ClientIsA = senderIsClient == senderIsA;
        if (inferred)
        {
            flow.Flags |= FlowFlags.Inferred;
        }
        Connections.Open(ref flow, in p);
    }
}
