using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Every flow of a run, in order of first appearance: records in fixed-size struct chunks, found through
/// an open-addressing index of record numbers beside their keys' hashes (no per-flow object; a probe
/// reads another flow's record only when the hashes agree). Chunks, unlike one doubling array,
/// never copy records and never hold two copies at once: a run of a million flows touches each record's
/// memory once, and fresh memory is what a long capture mostly pays for.
/// </summary>
public sealed class FlowTable
{
    private const int ChunkBits = 14;
    internal const int ChunkSize = 1 << ChunkBits; // 16,384 records, about 4 MB
    private const int ChunkMask = ChunkSize - 1;

    private readonly FlowTable[]? _sources; // a table over other tables' records (Over); then _chunks is unused
    private readonly long[]? _owner;
    private FlowRecord[][] _chunks; // all full-size except the first while it is still growing towards ChunkSize
    private int _chunkCount;
    private long[] _index; // key hash << 32 | record number + 1; 0 = empty; empty array until first needed for adopted records
    private int _mask;

    public FlowTable()
    {
        _chunks = [new FlowRecord[1024]];
        _chunkCount = 1;
        _index = new long[2048];
        _mask = _index.Length - 1;
    }

    private FlowTable(FlowTable[] sources, long[] owner, int count)
    {
        _sources = sources;
        _owner = owner;
        _chunks = [[]];
        _chunkCount = 1;
        Count = count;
        _index = [];
    }

    /// <summary>
    /// A run's flows laid out over other tables without copying them (a merged run): flow <c>id</c> is
    /// record <c>(int)owner[id]</c> of <c>sources[owner[id] &gt;&gt; 32]</c>. Read-only in spirit, like
    /// any finished run; its index is built only if asked to find.
    /// </summary>
    public static FlowTable Over(FlowTable[] sources, long[] owner, int count) => new(sources, owner, count);

    public int Count { get; private set; }

    public ref FlowRecord this[int id]
    {
        get
        {
            if (_owner is null)
            {
                return ref _chunks[id >> ChunkBits][id & ChunkMask];
            }
            var owner = _owner[id];
            return ref _sources![owner >> 32][(int)owner];
        }
    }

    public FlowRecords Records => new(this);

    public long BytesAllocated
    {
        get
        {
            long records = 0;
            for (var c = 0; c < _chunkCount; c++)
            {
                records += _chunks[c].Length;
            }
            return records * System.Runtime.CompilerServices.Unsafe.SizeOf<FlowRecord>() + (long)_index.Length * sizeof(long);
        }
    }

    /// <summary>The id of the flow with <paramref name="key"/>, or -1 when there is none.</summary>
    public int Find(in FlowKey key)
    {
        if (_index.Length == 0)
        {
            GrowIndex();
        }
        var i = key.Hash & _mask;
        while (true)
        {
            var entry = _index[i];
            if (entry == 0)
            {
                return -1;
            }
            if ((int)(entry >> 32) == key.Hash)
            {
                var id = (int)entry - 1;
                if (this[id].Key.Equals(key))
                {
                    return id;
                }
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>
    /// The id of the flow with <paramref name="key"/>, creating it when new (<paramref name="created"/>), or -1
    /// when it is new and the table already holds <paramref name="maxFlows"/> flows.
    /// </summary>
    public int FindOrAdd(in FlowKey key, int maxFlows, out bool created)
    {
        if (_owner is not null)
        {
            throw new InvalidOperationException("a table over other tables' records takes no new flows");
        }
        if (_index.Length == 0)
        {
            GrowIndex();
        }
        var i = key.Hash & _mask;
        for (var entry = _index[i]; entry != 0; entry = _index[i])
        {
            if ((int)(entry >> 32) == key.Hash && this[(int)entry - 1].Key.Equals(key))
            {
                created = false;
                return (int)entry - 1;
            }
            i = (i + 1) & _mask;
        }
        if (Count >= maxFlows)
        {
            created = false;
            return -1;
        }
        created = true;
        if (Count == _chunks[0].Length + (_chunkCount - 1) * ChunkSize)
        {
            AddRoom();
        }
        var id = Count++;
        this[id] = new FlowRecord { Key = key, DeniedBy = -1, StatelessDeniedBy = -1 };
        _index[i] = Entry(key.Hash, id);
        // Grown past three quarters full, to twice the flows: half the index of growing at half full for
        // the benchmark's 688,304 flows (8 instead of 16 MB, 16 MiB less peak memory). Probes for new flows
        // get longer (about 5 slots at two-thirds full, in one or two cache lines of 8), and were no slower.
        if (Count * 4 > _index.Length * 3)
        {
            GrowIndex();
        }
        return id;
    }

    /// <summary>
    /// A new flow on the key of flow <paramref name="id"/>, whose endpoints a new connection reuses: from now
    /// on the key finds the new record, and the old one stays as its connection ended. Past
    /// <paramref name="maxFlows"/> the key is forgotten instead (so the new connection's packets are not
    /// added to the old record) and the result is -1.
    /// </summary>
    public int Restart(int id, int maxFlows)
    {
        if (_owner is not null)
        {
            throw new InvalidOperationException("a table over other tables' records takes no new flows");
        }
        var key = this[id].Key;
        var i = key.Hash & _mask;
        while ((int)_index[i] - 1 != id)
        {
            i = (i + 1) & _mask;
        }
        if (Count >= maxFlows)
        {
            RemoveAt(i);
            return -1;
        }
        if (Count == _chunks[0].Length + (_chunkCount - 1) * ChunkSize)
        {
            AddRoom();
        }
        var next = Count++;
        this[next] = new FlowRecord { Key = key, DeniedBy = -1, StatelessDeniedBy = -1 };
        _index[i] = Entry(key.Hash, next);
        return next;
    }

    /// <summary>
    /// Forgets every flow, keeping the table's memory (<see cref="Evaluator.Forget"/>): ids start again at 0.
    /// A few flows are taken out of the index one by one; many, by clearing it whole.
    /// </summary>
    public void Clear()
    {
        if (_owner is not null)
        {
            throw new InvalidOperationException("a table over other tables' records is read-only");
        }
        if (Count * 16 < _index.Length)
        {
            for (var id = 0; id < Count; id++)
            {
                var i = this[id].Key.Hash & _mask;
                while (_index[i] != 0 && (int)_index[i] - 1 != id)
                {
                    i = (i + 1) & _mask;
                }
                if (_index[i] != 0)
                {
                    RemoveAt(i);
                }
            }
        }
        else
        {
            Array.Clear(_index);
        }
        Count = 0;
    }

    /// <summary>Empties index slot <paramref name="i"/>, shifting later entries of its probe run back (linear probing keeps no tombstones).</summary>
    private void RemoveAt(int i)
    {
        var hole = i;
        var j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            var entry = _index[j];
            if (entry == 0)
            {
                break;
            }
            // An entry may move back into the hole unless its home slot lies cyclically in (hole, j].
            var home = (int)(entry >> 32) & _mask;
            var stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
            if (!stays)
            {
                _index[hole] = entry;
                hole = j;
            }
        }
        _index[hole] = 0;
    }

    /// <summary>Room for the next record: the first chunk doubles up to full size, then whole chunks are added.</summary>
    private void AddRoom()
    {
        if (_chunks[0].Length < ChunkSize)
        {
            Array.Resize(ref _chunks[0], Math.Min(ChunkSize, _chunks[0].Length * 2));
            return;
        }
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }
        _chunks[_chunkCount++] = new FlowRecord[ChunkSize];
    }

    private static long Entry(int hash, int id) => (long)hash << 32 | (uint)(id + 1);

    private void GrowIndex()
    {
        var old = _index;
        _index = new long[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2048, Count * 2 + 2))];
        _mask = _index.Length - 1;
        if (old.Length == 0)
        {
            // A table over other tables' records: its index is built from the records the first time it is asked.
            // A key reused by later connections finds the latest of them, as it does in a live table.
            for (var id = 0; id < Count; id++)
            {
                PlaceLatest(id);
            }
            return;
        }
        foreach (var entry in old)
        {
            if (entry != 0)
            {
                Place(entry);
            }
        }
    }

    private void PlaceLatest(int id)
    {
        ref readonly var key = ref this[id].Key;
        var i = key.Hash & _mask;
        for (var entry = _index[i]; entry != 0; entry = _index[i])
        {
            if ((int)(entry >> 32) == key.Hash && this[(int)entry - 1].Key.Equals(key))
            {
                _index[i] = Entry(key.Hash, id);
                return;
            }
            i = (i + 1) & _mask;
        }
        _index[i] = Entry(key.Hash, id);
    }

    private void Place(long entry)
    {
        var i = (int)(entry >> 32) & _mask;
        while (_index[i] != 0)
        {
            i = (i + 1) & _mask;
        }
        _index[i] = entry;
    }
}
