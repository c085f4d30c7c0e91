namespace Firewall.Engine.Evaluation;

/// <summary>
/// A read-only view of a run's flow records in id order, over the flow table's chunks: index it, count
/// it, or <c>foreach (ref readonly var flow in records)</c> without copying a record.
/// </summary>
public readonly struct FlowRecords
{
    private const int ChunkBits = FlowTable.ChunkBits;
    private const int ChunkMask = FlowTable.ChunkSize - 1;

    private readonly FlowRecord[][] _chunks;

    internal FlowRecords(FlowRecord[][] chunks, int length)
    {
        _chunks = chunks;
        Length = length;
    }

    public int Length { get; }

    public ref readonly FlowRecord this[int id]
    {
        get
        {
            if ((uint)id >= (uint)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(id));
            }
            return ref _chunks[id >> ChunkBits][id & ChunkMask];
        }
    }

    public FlowRecord[] ToArray()
    {
        var array = new FlowRecord[Length];
        for (var id = 0; id < Length; id++)
        {
            array[id] = this[id];
        }
        return array;
    }

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator
    {
        private readonly FlowRecords _records;
        private int _id;

        internal Enumerator(FlowRecords records)
        {
            _records = records;
            _id = -1;
        }

        public readonly ref readonly FlowRecord Current => ref _records._chunks[_id >> ChunkBits][_id & ChunkMask];

        public bool MoveNext() => ++_id < _records.Length;
    }
}
