using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Every flow of a run, in order of first appearance: records in one growing struct array, found
/// through an open-addressing index of record numbers (no per-flow object).
/// </summary>
public sealed class FlowTable
{
    private FlowRecord[] _records;
    private int[] _index; // record number + 1; 0 = empty; empty array until first needed for adopted records
    private int _mask;

    public FlowTable()
    {
        _records = new FlowRecord[1024];
        _index = new int[2048];
        _mask = _index.Length - 1;
    }

    /// <summary>A table of finished flows laid out by the caller (a merged run); its index is built only if asked to find.</summary>
    public FlowTable(FlowRecord[] records, int count)
    {
        _records = records;
        Count = count;
        _index = [];
    }

    public int Count { get; private set; }

    public ref FlowRecord this[int id] => ref _records[id];

    public ReadOnlySpan<FlowRecord> Records => _records.AsSpan(0, Count);

    public long BytesAllocated => (long)_records.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<FlowRecord>() + (long)_index.Length * sizeof(int);

    /// <summary>
    /// The id of the flow with <paramref name="key"/>, creating it when new (<paramref name="created"/>), or -1
    /// when it is new and the table already holds <paramref name="maxFlows"/> flows.
    /// </summary>
    public int FindOrAdd(in FlowKey key, int maxFlows, out bool created)
    {
        if (_index.Length == 0)
        {
            GrowIndex();
        }
        var i = key.Hash & _mask;
        while (true)
        {
            var slot = _index[i];
            if (slot == 0)
            {
                break;
            }
            ref var r = ref _records[slot - 1];
            if (r.Key.Hash == key.Hash && r.Key.Equals(key))
            {
                created = false;
                return slot - 1;
            }
            i = (i + 1) & _mask;
        }
        if (Count >= maxFlows)
        {
            created = false;
            return -1;
        }
        created = true;
        if (Count == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }
        var id = Count++;
        _records[id] = new FlowRecord { Key = key, DeniedBy = -1, StatelessDeniedBy = -1 };
        _index[i] = id + 1;
        if (Count * 2 > _index.Length)
        {
            GrowIndex();
        }
        return id;
    }

    private void GrowIndex()
    {
        _index = new int[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2048, Count * 2 + 2))];
        _mask = _index.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var i = _records[id].Key.Hash & _mask;
            while (_index[i] != 0)
            {
                i = (i + 1) & _mask;
            }
            _index[i] = id + 1;
        }
    }
}
