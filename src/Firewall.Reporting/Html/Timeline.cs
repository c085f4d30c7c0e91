namespace Firewall.Reporting.Html;

/// <summary>What a packet counts as in the timeline: how it was allowed, or at which hop it was denied.</summary>
public enum TimelineSeries
{
    AllowedByRule,
    AllowedTracked,
    NotFiltered,
    DeniedSgOutbound,
    DeniedNaclOutbound,
    DeniedNaclInbound,
    DeniedSgInbound,
}

/// <summary>
/// Packet counts per time interval and <see cref="TimelineSeries"/>, accumulated while a capture streams,
/// in memory bounded by <see cref="MaxBuckets"/> whatever the capture's length. The capture's duration is
/// unknown until its end, so the interval starts at 1 ms and, whenever the packets seen so far need more
/// than <see cref="MaxBuckets"/> intervals, grows to the next step of <see cref="Steps"/> and merges the
/// counts. Each step is a whole multiple of the one before and buckets are aligned to multiples of the
/// interval (from the Unix epoch), so merging is exact: a bucket never straddles two coarser ones.
/// Timestamps come from the capture, never from the clock; one that goes backwards widens the range.
/// </summary>
public sealed class Timeline
{
    public const int MaxBuckets = 150;

    public static readonly int SeriesCount = Enum.GetValues<TimelineSeries>().Length;

    private const long Ms = 1_000_000L;
    private const long Second = 1000 * Ms;
    private const long Day = 86_400 * Second;

    /// <summary>Interval steps, each a multiple of the previous; after one day the interval doubles.</summary>
    public static readonly IReadOnlyList<long> Steps =
    [
        1 * Ms, 5 * Ms, 10 * Ms, 50 * Ms, 100 * Ms, 500 * Ms,
        1 * Second, 5 * Second, 10 * Second, 30 * Second, 60 * Second, 300 * Second, 600 * Second, 1800 * Second,
        3600 * Second, 3 * 3600 * Second, 6 * 3600 * Second, 12 * 3600 * Second, Day,
    ];

    private readonly long[] _counts = new long[MaxBuckets * SeriesCount];
    private long _interval = Steps[0];
    private int _step;
    private long _first; // absolute bucket number (timestamp / interval) of bucket 0
    private int _count;

    /// <summary>The interval of one bucket, in nanoseconds.</summary>
    public long IntervalNs => _interval;

    public int BucketCount => _count;

    /// <summary>The start of bucket 0 in nanoseconds since the Unix epoch (meaningless when empty).</summary>
    public long StartNs => _first * _interval;

    public long TotalPackets { get; private set; }

    public long Count(int bucket, TimelineSeries series) => _counts[bucket * SeriesCount + (int)series];

    /// <summary>The bucket holding <paramref name="timestampNs"/> at the current interval, clamped to the range.</summary>
    public int BucketOf(long timestampNs) =>
        (int)Math.Clamp(FloorDiv(timestampNs, _interval) - _first, 0, Math.Max(0, _count - 1));

    public void Add(long timestampNs, TimelineSeries series)
    {
        TotalPackets++;
        var b = FloorDiv(timestampNs, _interval) - _first;
        if ((ulong)b < (ulong)_count)
        {
            _counts[(int)b * SeriesCount + (int)series]++;
            return;
        }
        AddOutsideRange(timestampNs, series);
    }

    private void AddOutsideRange(long timestampNs, TimelineSeries series)
    {
        if (_count == 0)
        {
            _first = FloorDiv(timestampNs, _interval);
            _count = 1;
            _counts[(int)series]++;
            return;
        }
        while (true)
        {
            var b = FloorDiv(timestampNs, _interval);
            var low = Math.Min(b, _first);
            var high = Math.Max(b, _first + _count - 1);
            if (high - low < MaxBuckets)
            {
                if (low < _first)
                {
                    var shift = (int)(_first - low);
                    Array.Copy(_counts, 0, _counts, shift * SeriesCount, _count * SeriesCount);
                    Array.Clear(_counts, 0, shift * SeriesCount);
                    _first = low;
                }
                _count = (int)(high - low + 1);
                _counts[(int)(b - _first) * SeriesCount + (int)series]++;
                return;
            }
            Coarsen();
        }
    }

    private void Coarsen()
    {
        var next = _step + 1 < Steps.Count ? Steps[_step + 1] : _interval * 2;
        var factor = next / _interval;
        var first = FloorDiv(_first, factor);
        // In place and without allocating: bucket i moves to j <= i, and every slot below i has already
        // been emptied as a source before it receives counts as a destination.
        Span<long> moving = stackalloc long[SeriesCount];
        for (var i = 0; i < _count; i++)
        {
            var j = (int)(FloorDiv(_first + i, factor) - first);
            var from = _counts.AsSpan(i * SeriesCount, SeriesCount);
            from.CopyTo(moving);
            from.Clear();
            var to = _counts.AsSpan(j * SeriesCount, SeriesCount);
            for (var s = 0; s < SeriesCount; s++)
            {
                to[s] += moving[s];
            }
        }
        _count = (int)(FloorDiv(_first + _count - 1, factor) - first + 1);
        _first = first;
        _interval = next;
        _step++;
    }

    private static long FloorDiv(long a, long b)
    {
        var q = Math.DivRem(a, b, out var r);
        return r < 0 ? q - 1 : q;
    }
}
