namespace Firewall.Engine.Evaluation;

/// <summary>
/// A read-only view of a run's flow records in id order: index it, count it, or
/// <c>foreach (ref readonly var flow in records)</c> without copying a record.
/// </summary>
public readonly struct FlowRecords
{
    private readonly FlowTable _table;

    internal FlowRecords(FlowTable table)
    {
        _table = table;
        Length = table.Count;
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
            return ref _table[id];
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

        public readonly ref readonly FlowRecord Current => ref _records._table[_id];

        public bool MoveNext() => ++_id < _records.Length;
    }
}
