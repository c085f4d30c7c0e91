using System.Numerics;

namespace Firewall.Analysis.Selection;

/// <summary>
/// How a finished run's report was narrowed: what narrowed it (in the words of its options), how many
/// packet records were listed, and which flows are listed. Writers list a flow only when
/// <see cref="Runs.RunReport.ListsFlow"/> says so; every total still counts the whole run.
/// </summary>
public sealed class ReportListing
{
    private readonly ulong[]? _flows;

    /// <param name="packetsListed">Packet records written, or null when none were asked for.</param>
    /// <param name="flows">A bit per flow id that had a selected packet, or null when flows are not narrowed.</param>
    public ReportListing(string description, long? packetsListed, ulong[]? flows)
    {
        Description = description;
        PacketsListed = packetsListed;
        _flows = flows;
        FlowsListed = flows?.Sum(w => BitOperations.PopCount(w));
    }

    /// <summary>The options that narrowed the listing, as written (<c>--filter "tcp port 80" --only denied</c>).</summary>
    public string Description { get; }

    public long? PacketsListed { get; }

    /// <summary>Flows listed, or null when the flows are not narrowed (<c>--only</c> narrows packets only).</summary>
    public int? FlowsListed { get; }

    public bool NarrowsFlows => _flows is not null;

    public bool ListsFlow(int id) => _flows is null || (id >> 6 < _flows.Length && (_flows[id >> 6] & (1UL << (id & 63))) != 0);

    /// <summary>One line for people: what was listed and by what, and that the totals are the whole run's.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (PacketsListed is { } p) parts.Add($"{p} packet{(p == 1 ? "" : "s")}");
        if (FlowsListed is { } f) parts.Add($"{f} flow{(f == 1 ? "" : "s")}");
        var what = parts.Count == 0 ? "" : string.Join(", ", parts) + " ";
        return $"{what}({Description}); the totals count every packet";
    }
}
