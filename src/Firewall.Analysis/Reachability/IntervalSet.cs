using System.Numerics;

namespace Firewall.Analysis.Reachability;

/// <summary>A closed interval [<see cref="Lo"/>, <see cref="Hi"/>] of header values (addresses, ports, protocol numbers, ICMP types).</summary>
public readonly record struct Interval(UInt128 Lo, UInt128 Hi)
{
    public bool Contains(UInt128 value) => Lo <= value && value <= Hi;

    public bool Contains(Interval other) => Lo <= other.Lo && other.Hi <= Hi;

    public bool Overlaps(Interval other) => Lo <= other.Hi && other.Lo <= Hi;

    public static Interval Point(UInt128 value) => new(value, value);
}

/// <summary>
/// A set of header values as sorted, disjoint, non-adjacent intervals (np-guard's canonical interval
/// set): two sets hold the same values exactly when their interval lists are equal, so a set can be
/// compared and hashed by its intervals. Immutable.
/// </summary>
public sealed class IntervalSet : IEquatable<IntervalSet>
{
    private readonly Interval[] _intervals;
    private int _hash;

    private IntervalSet(Interval[] canonical) => _intervals = canonical;

    public static IntervalSet Empty { get; } = new([]);

    public IReadOnlyList<Interval> Intervals => _intervals;

    public bool IsEmpty => _intervals.Length == 0;

    public static IntervalSet Of(Interval interval) => new([interval]);

    public static IntervalSet Of(UInt128 lo, UInt128 hi) => lo <= hi ? new([new Interval(lo, hi)]) : Empty;

    /// <summary>The set of intervals given in ascending order, disjoint and not adjacent (already canonical).</summary>
    internal static IntervalSet OfCanonical(Interval[] intervals) => intervals.Length == 0 ? Empty : new(intervals);

    /// <summary>The set of any intervals, overlapping or adjacent ones joined.</summary>
    public static IntervalSet Of(IEnumerable<Interval> intervals)
    {
        var sorted = intervals.Where(i => i.Lo <= i.Hi).OrderBy(i => i.Lo).ToList();
        var merged = new List<Interval>(sorted.Count);
        foreach (var i in sorted)
        {
            if (merged.Count > 0 && (merged[^1].Hi == UInt128.MaxValue || i.Lo <= merged[^1].Hi + 1))
            {
                var last = merged[^1];
                merged[^1] = new Interval(last.Lo, UInt128.Max(last.Hi, i.Hi));
            }
            else
            {
                merged.Add(i);
            }
        }
        return merged.Count == 0 ? Empty : new IntervalSet([.. merged]);
    }

    public bool Contains(UInt128 value)
    {
        var lo = 0;
        var hi = _intervals.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var i = _intervals[mid];
            if (value < i.Lo)
            {
                hi = mid - 1;
            }
            else if (value > i.Hi)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the interval lies inside one of this set's intervals.</summary>
    public bool Contains(Interval interval)
    {
        foreach (var i in _intervals)
        {
            if (i.Contains(interval))
            {
                return true;
            }
            if (i.Lo > interval.Lo)
            {
                return false;
            }
        }
        return false;
    }

    public IntervalSet Union(IntervalSet other) => other.IsEmpty ? this : IsEmpty ? other : Of(_intervals.Concat(other._intervals));

    public IntervalSet Intersect(IntervalSet other)
    {
        var result = new List<Interval>();
        int a = 0, b = 0;
        while (a < _intervals.Length && b < other._intervals.Length)
        {
            var x = _intervals[a];
            var y = other._intervals[b];
            var lo = UInt128.Max(x.Lo, y.Lo);
            var hi = UInt128.Min(x.Hi, y.Hi);
            if (lo <= hi)
            {
                result.Add(new Interval(lo, hi));
            }
            if (x.Hi < y.Hi)
            {
                a++;
            }
            else
            {
                b++;
            }
        }
        return result.Count == 0 ? Empty : new IntervalSet([.. result]);
    }

    /// <summary>This set minus <paramref name="other"/>.</summary>
    public IntervalSet Subtract(IntervalSet other)
    {
        var result = new List<Interval>();
        var b = 0;
        foreach (var x in _intervals)
        {
            var lo = x.Lo;
            var done = false;
            while (b < other._intervals.Length && other._intervals[b].Hi < lo)
            {
                b++;
            }
            for (var k = b; k < other._intervals.Length && other._intervals[k].Lo <= x.Hi; k++)
            {
                var y = other._intervals[k];
                if (y.Lo > lo)
                {
                    result.Add(new Interval(lo, y.Lo - 1));
                }
                if (y.Hi >= x.Hi)
                {
                    done = true;
                    break;
                }
                lo = y.Hi + 1;
            }
            if (!done)
            {
                result.Add(new Interval(lo, x.Hi));
            }
        }
        return result.Count == 0 ? Empty : new IntervalSet([.. result]);
    }

    /// <summary>How many values the set holds, saturating at <see cref="UInt128.MaxValue"/>.</summary>
    public UInt128 Count
    {
        get
        {
            UInt128 n = 0;
            foreach (var i in _intervals)
            {
                var size = i.Hi - i.Lo;
                if (size == UInt128.MaxValue || n > UInt128.MaxValue - size - 1)
                {
                    return UInt128.MaxValue;
                }
                n += size + 1;
            }
            return n;
        }
    }

    public bool Equals(IntervalSet? other) => other is not null && _intervals.AsSpan().SequenceEqual(other._intervals);

    public override bool Equals(object? obj) => Equals(obj as IntervalSet);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = new HashCode();
            foreach (var i in _intervals)
            {
                h.Add(i.Lo);
                h.Add(i.Hi);
            }
            _hash = h.ToHashCode() | 1;
        }
        return _hash;
    }

    public override string ToString() => string.Join(",", _intervals.Select(i => i.Lo == i.Hi ? i.Lo.ToString() : $"{i.Lo}-{i.Hi}"));

    /// <summary>
    /// The CIDR blocks that cover exactly the addresses of <paramref name="interval"/> in a space of
    /// <paramref name="bits"/> bits: greedily the largest aligned block starting at the low end, at most
    /// 2·bits blocks per interval.
    /// </summary>
    public static IEnumerable<(UInt128 Network, int PrefixLength)> Cidrs(Interval interval, int bits)
    {
        var lo = interval.Lo;
        while (true)
        {
            // The largest block aligned at lo: as many trailing zero bits as lo has, capped by the space.
            var size = lo == 0 ? bits : Math.Min(bits, (int)UInt128.TrailingZeroCount(lo));
            while (size > 0 && Last(lo, size) > interval.Hi)
            {
                size--;
            }
            yield return (lo, bits - size);
            var last = Last(lo, size);
            if (last >= interval.Hi)
            {
                yield break;
            }
            lo = last + 1;
        }

        static UInt128 Last(UInt128 start, int size) => size >= 128 ? UInt128.MaxValue : start + ((UInt128.One << size) - 1);
    }
}
