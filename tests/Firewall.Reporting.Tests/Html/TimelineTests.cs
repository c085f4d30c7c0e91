using CsCheck;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Html;

namespace Firewall.Reporting.Tests.Html;

/// <summary>The streaming timeline against a naive recount, and its cost per packet.</summary>
public sealed class TimelineTests
{
    private const long Ms = 1_000_000L;
    private const long S = 1_000_000_000L;

    /// <summary>
    /// Whatever the order and spread of timestamps: nothing is lost, every packet sits in the bucket of
    /// its own timestamp at the final interval, the buckets fit the bound, and the interval is the finest
    /// step that could hold them all (the previous step would have needed more than the bound).
    /// </summary>
    [Fact]
    public void Buckets_equal_a_recount_at_the_final_interval()
    {
        var timestamp = Gen.OneOf(
            Gen.Long[0, 2 * S],                               // a short capture
            Gen.Long[1_800_000_000L * S, 1_800_000_000L * S + 7200 * S], // two hours in 2027
            Gen.Long[-50 * S, 50 * S],                        // around the epoch, negative included
            Gen.Long[long.MinValue / 2, long.MaxValue / 2]);  // wild clocks
        Gen.Select(timestamp, Gen.Int[0, Timeline.SeriesCount - 1]).Array[1, 300]
            .Sample(packets =>
            {
                var t = new Timeline();
                foreach (var (ts, series) in packets)
                {
                    t.Add(ts, (TimelineSeries)series);
                }
                Assert.Equal(packets.Length, t.TotalPackets);
                Assert.InRange(t.BucketCount, 1, Timeline.MaxBuckets);

                var expected = new long[t.BucketCount, Timeline.SeriesCount];
                foreach (var (ts, series) in packets)
                {
                    var b = FloorDiv(ts, t.IntervalNs) - FloorDiv(t.StartNs, t.IntervalNs);
                    Assert.InRange(b, 0, t.BucketCount - 1);
                    expected[b, series]++;
                }
                for (var b = 0; b < t.BucketCount; b++)
                {
                    for (var s = 0; s < Timeline.SeriesCount; s++)
                    {
                        Assert.Equal(expected[b, s], t.Count(b, (TimelineSeries)s));
                    }
                }

                var min = packets.Min(p => p.Item1);
                var max = packets.Max(p => p.Item1);
                Assert.True(FloorDiv(max, t.IntervalNs) - FloorDiv(min, t.IntervalNs) + 1 == t.BucketCount, "buckets beyond the packets' range");
                var step = Timeline.Steps.ToList().IndexOf(t.IntervalNs);
                if (step != 0)
                {
                    var previous = step > 0 ? Timeline.Steps[step - 1] : t.IntervalNs / 2;
                    Assert.True(FloorDiv(max, previous) - FloorDiv(min, previous) + 1 > Timeline.MaxBuckets, "a finer interval would have held every packet");
                }
            }, iter: 2000);
    }

    [Theory]
    [InlineData(0.554, 5 * Ms)]     // the web-tier sample
    [InlineData(60.0, 500 * Ms)]
    [InlineData(3600.0, 30 * S)]
    [InlineData(86_400.0, 600 * S)]
    public void Interval_follows_the_duration(double seconds, long interval)
    {
        var t = new Timeline();
        var start = 1_764_000_000L * S;
        for (var i = 0; i <= 1000; i++)
        {
            t.Add(start + (long)(seconds * S * i / 1000), TimelineSeries.AllowedByRule);
        }
        Assert.Equal(interval, t.IntervalNs);
    }

    [Fact]
    public void Writer_counts_each_packet_by_how_it_was_decided_without_allocating()
    {
        using var output = new MemoryStream();
        var writer = new HtmlReportWriter(output);
        var p = new PacketInfo { TimestampNs = 1_764_000_000L * S };
        var allow = new PacketResult { Verdict = Verdict.Allow, HopCount = 2 };
        allow.Hops[0] = new HopTrace { Kind = HopKind.NaclInbound, Allowed = true, Basis = HopBasis.Rule };
        allow.Hops[1] = new HopTrace { Kind = HopKind.SgInbound, Allowed = true, Basis = HopBasis.Rule };
        var tracked = allow;
        tracked.Hops[1].Basis = HopBasis.Tracked;
        var deny = new PacketResult { Verdict = Verdict.Deny, HopCount = 2 };
        deny.Hops[0] = new HopTrace { Kind = HopKind.SgOutbound, Allowed = true };
        deny.Hops[1] = new HopTrace { Kind = HopKind.NaclOutbound, Allowed = false };
        var bypass = new PacketResult { Verdict = Verdict.Allow, Flags = PacketResultFlags.NotFiltered };
        var skip = new PacketResult { Verdict = Verdict.Skip };

        void Feed(int n)
        {
            for (var i = 0; i < n; i++)
            {
                p.TimestampNs += Ms;
                writer.WritePacket(in p, in allow);
                writer.WritePacket(in p, in tracked);
                writer.WritePacket(in p, in deny);
                writer.WritePacket(in p, in bypass);
                writer.WritePacket(in p, in skip);
            }
        }

        Feed(1000); // the first second: the interval settles
        // Up to three rounds: the runtime may allocate a few kilobytes on this thread while the JIT's tiering
        // settles; one round with nothing allocated is the steady state, and allocating per packet would show
        // in every round.
        var rounds = new List<long>();
        for (var round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Feed(100_000);
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(rounds[^1] == 0, $"bytes over rounds of 500,000 records: {string.Join(", ", rounds)}");
        Assert.All(rounds, bytes => Assert.True(bytes < 100_000, $"{bytes} bytes in a round"));

        var t = writer.Timeline;
        long Sum(TimelineSeries s) => Enumerable.Range(0, t.BucketCount).Sum(b => t.Count(b, s));
        var fed = 1000 + 100_000 * rounds.Count;
        Assert.Equal(fed, Sum(TimelineSeries.AllowedByRule));
        Assert.Equal(fed, Sum(TimelineSeries.AllowedTracked));
        Assert.Equal(fed, Sum(TimelineSeries.DeniedNaclOutbound));
        Assert.Equal(fed, Sum(TimelineSeries.NotFiltered));
        Assert.Equal(0, Sum(TimelineSeries.DeniedSgOutbound));
        Assert.Equal(4 * fed, t.TotalPackets); // the skipped packet is not drawn
    }

    private static long FloorDiv(long a, long b)
    {
        var q = Math.DivRem(a, b, out var r);
        return r < 0 ? q - 1 : q;
    }
}
