namespace Firewall.Engine.Compilation;

/// <summary>
/// The rules of one protocol bucket that can match a destination port: the port space cut at every rule's
/// range boundaries into segments, and for each segment the bucket's rules (ascending, so first-match order
/// holds) whose range covers it, rules open on all ports included. A packet scans only its segment's rules,
/// so the cost of matching stops growing with the number of rules on other ports.
/// </summary>
public sealed class PortIndex
{
    /// <summary>Buckets smaller than this are scanned whole; an index would not pay for itself.</summary>
    public const int MinimumRules = 8;

    /// <summary>Candidate lists may hold at most this many entries per rule before the index is refused (memory bound).</summary>
    private const int MaxEntriesPerRule = 64;

    private readonly int[] _starts;
    private readonly int[] _offsets;
    private readonly int[] _rules;

    private PortIndex(int[] starts, int[] offsets, int[] rules)
    {
        _starts = starts;
        _offsets = offsets;
        _rules = rules;
    }

    /// <summary>Indexes into the rule array, ascending, of the rules that may match <paramref name="port"/>.</summary>
    public ReadOnlySpan<int> Candidates(ushort port)
    {
        // The last segment starting at or below the port (_starts[0] == 0): a plain search, where
        // Array.BinarySearch would go through a generic comparer on every packet that meets the rules.
        var starts = _starts;
        int low = 0, high = starts.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) >>> 1;
            if (starts[mid] <= port)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return _rules.AsSpan(_offsets[low], _offsets[low + 1] - _offsets[low]);
    }

    /// <summary>The index of <paramref name="bucket"/> (indexes into <paramref name="rules"/>), or null when a scan is as good.</summary>
    public static PortIndex? Build(CompiledSgRule[] rules, int[] bucket)
    {
        if (bucket.Length < MinimumRules)
        {
            return null;
        }
        var cuts = new SortedSet<int> { 0 };
        foreach (var i in bucket)
        {
            var ports = rules[i].Ports;
            if (ports.IsAll)
            {
                continue;
            }
            cuts.Add(ports.From);
            if (ports.To < 65535)
            {
                cuts.Add(ports.To + 1);
            }
        }
        var starts = cuts.ToArray();
        // Each rule covers a run of whole segments: count, then fill, in rule order (so every list is ascending).
        var counts = new long[starts.Length + 1];
        foreach (var i in bucket)
        {
            var (first, last) = Segments(starts, rules[i].Ports);
            counts[first]++;
            counts[last + 1]--;
        }
        var offsets = new int[starts.Length + 1];
        long running = 0, total = 0;
        for (var s = 0; s < starts.Length; s++)
        {
            running += counts[s];
            total += running;
            if (total > (long)bucket.Length * MaxEntriesPerRule)
            {
                return null; // wide overlapping ranges everywhere: the lists would cost more than the scan saves
            }
            offsets[s + 1] = (int)total;
        }
        var list = new int[total];
        var fill = offsets[..^1];
        foreach (var i in bucket)
        {
            var (first, last) = Segments(starts, rules[i].Ports);
            for (var s = first; s <= last; s++)
            {
                list[fill[s]++] = i;
            }
        }
        return new PortIndex(starts, offsets, list);
    }

    /// <summary>The first and last segment a port range covers (its bounds are segment starts or ends by construction).</summary>
    private static (int First, int Last) Segments(int[] starts, Addressing.PortRange ports)
    {
        var first = Array.BinarySearch(starts, (int)ports.From);
        var last = ports.To == 65535 ? starts.Length - 1 : Array.BinarySearch(starts, ports.To + 1) - 1;
        return (first, last);
    }
}
