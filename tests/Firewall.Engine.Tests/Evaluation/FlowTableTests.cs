using CsCheck;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>The flow table's chunked records: ids, lookups and the read-only view across chunk boundaries.</summary>
public class FlowTableTests
{
    private static FlowKey Key(int i) =>
        new(IpAddr.FromV4(0x0A000001), (ushort)(i & 0xFFFF), IpAddr.FromV4(0xC6336400u + (uint)(i >> 16)), 443, IpProtocol.Tcp);

    [Fact]
    public void Flows_across_several_chunks_keep_their_ids_and_are_found_again()
    {
        const int Flows = FlowTable.ChunkSize * 3 + 123;
        var table = new FlowTable();
        for (var i = 0; i < Flows; i++)
        {
            Assert.Equal(i, table.FindOrAdd(Key(i), int.MaxValue, out var created));
            Assert.True(created);
            table[i].FirstFrame = i;
        }
        Assert.Equal(Flows, table.Count);
        for (var i = 0; i < Flows; i += 97)
        {
            Assert.Equal(i, table.Find(Key(i)));
            Assert.Equal(i, table.FindOrAdd(Key(i), int.MaxValue, out var created));
            Assert.False(created);
        }
        Assert.Equal(-1, table.Find(Key(Flows)));
        Assert.Equal(-1, table.FindOrAdd(Key(Flows), Flows, out _));

        var records = table.Records;
        Assert.Equal(Flows, records.Length);
        var n = 0;
        foreach (ref readonly var flow in records)
        {
            Assert.Equal(n, flow.FirstFrame);
            Assert.Equal(Key(n), flow.Key);
            n++;
        }
        Assert.Equal(Flows, n);
        Assert.Equal(records[FlowTable.ChunkSize].Key, records.ToArray()[FlowTable.ChunkSize].Key);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Records[Flows]);
    }

    [Fact]
    public void Keys_whose_hashes_agree_are_still_told_apart()
    {
        // The index keeps each record's hash beside its number: equal hashes must still compare the keys.
        var seen = new Dictionary<int, FlowKey>();
        FlowKey first = default, second = default;
        for (var i = 0; ; i++)
        {
            var key = new FlowKey(IpAddr.FromV4(0x0A000000u + (uint)i), 40000, IpAddr.FromV4(0xC6336401), 443, IpProtocol.Tcp);
            if (seen.TryGetValue(key.Hash, out first))
            {
                second = key;
                break;
            }
            seen.Add(key.Hash, key);
        }
        Assert.Equal(first.Hash, second.Hash);
        Assert.NotEqual(first, second);

        var table = new FlowTable();
        Assert.Equal(0, table.FindOrAdd(first, int.MaxValue, out _));
        Assert.Equal(-1, table.Find(second));
        Assert.Equal(1, table.FindOrAdd(second, int.MaxValue, out var created));
        Assert.True(created);
        Assert.Equal(0, table.Find(first));
        Assert.Equal(1, table.Find(second));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FlowTable.ChunkSize * 2 + 1)]
    public void A_table_over_other_tables_reads_their_records_in_its_own_order(int count)
    {
        var sources = new[] { new FlowTable(), new FlowTable() };
        var owner = new long[Math.Max(1, count)];
        for (var id = 0; id < count; id++)
        {
            // Flow id goes to source id % 2 as its next local record.
            var source = sources[id % 2];
            var local = source.FindOrAdd(Key(id), int.MaxValue, out _);
            source[local].FirstFrame = id;
            owner[id] = (long)(id % 2) << 32 | (uint)local;
        }
        var table = FlowTable.Over(sources, owner, count);

        Assert.Equal(count, table.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), table.Records.ToArray().Select(f => f.FirstFrame));
        for (var i = 0; i < count; i += 101)
        {
            Assert.Equal(i, table.Find(Key(i)));
            Assert.Equal(Key(i), table[i].Key);
        }
        Assert.Equal(-1, table.Find(Key(count)));
        Assert.Throws<InvalidOperationException>(() => table.FindOrAdd(Key(count), int.MaxValue, out _));
    }

    [Fact]
    public void Restarting_keys_finds_the_latest_flow_and_forgets_keys_past_the_bound_or_on_clear()
    {
        // Against a dictionary: random adds and restarts of a few hundred keys whose hashes crowd a small
        // index, so that removals (past the bound) shift probe runs that wrap around the index's end.
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var bound = random.Next(50, 3000);
            var table = new FlowTable();
            var latest = new Dictionary<FlowKey, int>();
            var keys = Enumerable.Range(0, random.Next(10, 600)).Select(Key).ToArray();
            for (var step = 0; step < 4000; step++)
            {
                if (random.Next(500) == 0)
                {
                    table.Clear(); // forgets every flow: ids start again at 0
                    latest.Clear();
                    Assert.Equal(0, table.Count);
                }
                var key = keys[random.Next(keys.Length)];
                var known = table.Find(key);
                Assert.Equal(latest.TryGetValue(key, out var want) ? want : -1, known);
                if (known >= 0 && random.Next(3) == 0)
                {
                    var before = table.Count;
                    var next = table.Restart(known, bound);
                    if (before >= bound)
                    {
                        Assert.Equal(-1, next);
                        latest.Remove(key);
                    }
                    else
                    {
                        Assert.Equal(before, next);
                        Assert.Equal(key, table[next].Key);
                        latest[key] = next;
                    }
                }
                else if (known < 0)
                {
                    var id = table.FindOrAdd(key, bound, out var created);
                    Assert.Equal(id >= 0, created);
                    if (id >= 0)
                    {
                        latest[key] = id;
                    }
                }
            }
            foreach (var key in keys)
            {
                Assert.Equal(latest.TryGetValue(key, out var want) ? want : -1, table.Find(key));
            }
            // A table laid over this one's records finds the latest flow of each key too (a merged run).
            var over = FlowTable.Over([table], Enumerable.Range(0, table.Count).Select(i => (long)i).ToArray(), table.Count);
            foreach (var (key, id) in latest)
            {
                Assert.Equal(id, over.Find(key));
            }
        }, iter: 200);
    }
}
