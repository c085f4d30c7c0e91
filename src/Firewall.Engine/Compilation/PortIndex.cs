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

    /// <summary>Entries in the candidate lists, for the memory figures.</summary>
    public int Entries => _rules.Length;

    /// <summary>Indexes into the rule array, ascending, of the rules that may match <paramref name="port"/>.</summary>
    public ReadOnlySpan<int> Candidates(ushort port)
    {
        var segment = Array.BinarySearch(_starts, (int)port);
        if (segment < 0)
        {
            segment = ~segment - 1; // the last start below the port; _starts[0] == 0, so never negative
        }
        return _rules.AsSpan(_offsets[segment], _offsets[segment + 1] - _offsets[segment]);
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
        var offsets = new int[starts.Length + 1];
        var list = new List<int>();
        var limit = (long)bucket.Length * MaxEntriesPerRule;
        for (var s = 0; s < starts.Length; s++)
        {
            offsets[s] = list.Count;
            foreach (var i in bucket)
            {
                if (rules[i].Ports.Contains((ushort)starts[s]))
                {
                    list.Add(i);
                }
            }
            if (list.Count > limit)
            {
                return null; // wide overlapping ranges everywhere: the lists would cost more than the scan saves
            }
        }
        offsets[starts.Length] = list.Count;
        return new PortIndex(starts, offsets, list.ToArray());
    }
}
