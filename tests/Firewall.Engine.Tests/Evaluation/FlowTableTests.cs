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
}
