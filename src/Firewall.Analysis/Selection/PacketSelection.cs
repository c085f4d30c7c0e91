using Firewall.Analysis.Runs;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Selection;

/// <summary>Which evaluated packets a report lists (<c>check --only</c>); every packet is evaluated and counted either way.</summary>
public enum PacketSelection : byte
{
    All,
    Denied,
    ReplyDenied,
    Allowed,
    Undecodable,
}

/// <summary>
/// Passes on only the packets a <see cref="Listing"/> selects, and remembers the flows any of them belongs
/// to: the report lists what a person is chasing, while evaluation, tracking and the totals still see every
/// packet. Owns nothing: the caller disposes the inner sink. Fed by one thread at a time (the merging
/// thread of a sharded run), with flow ids as the finished report numbers them.
/// </summary>
/// <param name="packets">Where the selected packets go; null when only the flows are narrowed.</param>
/// <param name="flows">Whether the report lists flows, so that the narrowed report says how many it lists.</param>
public sealed class SelectedPackets(IRunSink? packets, Listing listing, bool flows = true) : IRunSink
{
    private ulong[] _flows = new ulong[64];
    private long _packetsListed;

    public static bool Selects(PacketSelection only, in PacketResult r) => only switch
    {
        PacketSelection.Denied => r.Verdict == Verdict.Deny,
        PacketSelection.ReplyDenied => r.Verdict == Verdict.Deny && r.IsReply,
        PacketSelection.Allowed => r.Verdict == Verdict.Allow,
        PacketSelection.Undecodable => r.Verdict == Verdict.Undecodable,
        _ => true,
    };

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        if (!listing.Matches(in packet))
        {
            return;
        }
        if (result.FlowId >= 0)
        {
            MarkFlow(result.FlowId);
        }
        if (packets is not null && Selects(listing.Only, in result))
        {
            _packetsListed++;
            packets.WritePacket(in packet, in result);
        }
    }

    private void MarkFlow(int id)
    {
        var word = id >> 6;
        if (word >= _flows.Length)
        {
            // Doubling: amortized, so a run grows this a few dozen times at most.
            Array.Resize(ref _flows, Math.Max(_flows.Length * 2, word + 1));
        }
        _flows[word] |= 1UL << (id & 63);
    }

    /// <summary>The finished run as the report lists it: narrowed when the listing narrows anything, else as it is.</summary>
    public RunReport Narrow(RunReport report) => !listing.Narrows ? report : report.ListedAs(new ReportListing(
        listing.Describe(),
        packets is null ? null : _packetsListed,
        flows && listing.NarrowsFlows ? _flows : null));

    public void Complete(RunReport report) => packets?.Complete(Narrow(report));

    public bool WritesAsItGoes => packets?.WritesAsItGoes ?? false;

    public void Flush() => packets?.Flush();

    public void Dispose()
    {
    }
}
