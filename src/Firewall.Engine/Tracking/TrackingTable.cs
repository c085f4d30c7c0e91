using System.Runtime.CompilerServices;

namespace Firewall.Engine.Tracking;

[Flags]
public enum EntryFlags : byte
{
    None = 0,
    Used = 1 << 0,

    /// <summary>The entry's originator (its request side) is the interface's own side, slot A of the key.</summary>
    OriginLocal = 1 << 1,

    /// <summary>Created from a packet that did not open the connection; the direction was inferred.</summary>
    Inferred = 1 << 2,

    SeenReply = 1 << 3,

    /// <summary>UDP: after a reply the initiator sent again ("more than one request/response transaction").</summary>
    Stream = 1 << 4,

    /// <summary>AWS leaves the flow untracked (§2.2): the entry only remembers orientation, every packet meets the rules.</summary>
    Untracked = 1 << 5,
}

/// <summary>One connection-tracking entry, stored inline in the table: no per-entry object.</summary>
public struct TrackEntry
{
    public FlowKey Key;

    /// <summary>Capture time (ns) at or after which the entry is gone (Linux: expired when deadline − now ≤ 0).</summary>
    public long Deadline;

    /// <summary>The engine's flow this entry belongs to.</summary>
    public int FlowId;

    public TcpState State;
    public EntryFlags Flags;

    public readonly bool Has(EntryFlags flag) => (Flags & flag) != 0;
}

/// <summary>
/// A connection-tracking table for one interface: open addressing with linear probing over a struct
/// array, precomputed hashes, backward-shift deletion (no tombstones). Expired entries vanish when a
/// lookup meets them and are reclaimed by a clock hand that visits a few slots per insertion, so
/// expiry never scans the whole table on the packet path. A byte per slot beside the entries (its tag: 0 when
/// the slot is free, else seven bits of the entry's hash) lets a probe pass free slots and other keys without
/// reading their entries: a new flow's lookup, the common miss, reads only the small tag array.
/// </summary>
public sealed class TrackingTable
{
    private const int SweepPerInsert = 4;
    private const int SweepWhenFull = 1024;

    private TrackEntry[] _slots;
    private byte[] _tags;
    private int _mask;
    private int _count;
    private int _clock;

    public TrackingTable(int maxTracked, int initialCapacity = 64)
    {
        MaxTracked = maxTracked;
        var capacity = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, initialCapacity)));
        _slots = new TrackEntry[capacity];
        _tags = new byte[capacity];
        _mask = capacity - 1;
    }

    private static byte TagOf(int hash) => (byte)(0x80 | ((uint)hash >> 25));

    /// <summary>Entries that count against <see cref="MaxTracked"/> (untracked ones do not).</summary>
    public int TrackedCount { get; private set; }

    /// <summary>Tracked entries ever inserted: an upper bound of <see cref="TrackedCount"/> at any time.</summary>
    public long TrackedInserted { get; private set; }

    /// <summary>Untracked entries ever inserted: an upper bound of <see cref="UntrackedCount"/> at any time.</summary>
    public long UntrackedInserted { get; private set; }

    /// <summary>All entries, untracked ones included, expired ones not yet reclaimed included.</summary>
    public int Count => _count;

    public int MaxTracked { get; }

    public int Capacity => _slots.Length;

    public long BytesAllocated => (long)_slots.Length * (Unsafe.SizeOf<TrackEntry>() + sizeof(byte));

    public ref TrackEntry this[int slot] => ref _slots[slot];

    /// <summary>
    /// Forgets every entry, keeping the table's memory: a replay of an unrelated exchange starts from an empty
    /// table (<see cref="Evaluation.Evaluator.Forget"/>). Clearing the tags frees every slot.
    /// </summary>
    public void Clear()
    {
        Array.Clear(_tags);
        _count = 0;
        _clock = 0;
        TrackedCount = 0;
    }

    /// <summary>The slot of a live entry with <paramref name="key"/>, or -1. An expired entry found on the way is removed.</summary>
    public int Find(in FlowKey key, long now)
    {
        var i = key.Hash & _mask;
        var tag = TagOf(key.Hash);
        while (true)
        {
            var t = _tags[i];
            if (t == 0)
            {
                return -1;
            }
            if (t == tag)
            {
                ref var e = ref _slots[i];
                if (e.Key.Hash == key.Hash && e.Key.Equals(key))
                {
                    if (e.Deadline - now <= 0)
                    {
                        RemoveAt(i);
                        return -1;
                    }
                    return i;
                }
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Untracked entries (orientation only, outside <see cref="MaxTracked"/>), expired ones not yet reclaimed included.</summary>
    public int UntrackedCount => _count - TrackedCount;

    /// <summary>True when a new tracked entry would exceed the bound, after reclaiming what has expired nearby.</summary>
    public bool IsFull(long now)
    {
        return TrackedCount >= MaxTracked && Reclaim(now, untracked: false, MaxTracked);
    }

    /// <summary>True when <paramref name="maxUntracked"/> untracked entries are live, after reclaiming what has expired nearby.</summary>
    public bool IsUntrackedFull(long now, int maxUntracked)
    {
        return UntrackedCount >= maxUntracked && Reclaim(now, untracked: true, maxUntracked);
    }

    /// <summary>Reclaims expired entries nearby (the whole table when small); true when the kind's count is still at its bound.</summary>
    private bool Reclaim(long now, bool untracked, int bound)
    {
        Sweep(now, Math.Min(_slots.Length, SweepWhenFull));
        if ((untracked ? UntrackedCount : TrackedCount) >= bound && _slots.Length <= SweepWhenFull * 4)
        {
            Sweep(now, _slots.Length); // small tables: be exact
        }
        return (untracked ? UntrackedCount : TrackedCount) >= bound;
    }

    /// <summary>Inserts a new entry (the key must not be present) and returns its slot.</summary>
    public int Insert(in FlowKey key, long now, EntryFlags flags)
    {
        Sweep(now, SweepPerInsert);
        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }
        var i = key.Hash & _mask;
        while (_tags[i] != 0)
        {
            i = (i + 1) & _mask;
        }
        _tags[i] = TagOf(key.Hash);
        _slots[i] = new TrackEntry { Key = key, Flags = flags | EntryFlags.Used };
        _count++;
        if ((flags & EntryFlags.Untracked) == 0)
        {
            TrackedCount++;
            TrackedInserted++;
        }
        else
        {
            UntrackedInserted++;
        }
        return i;
    }

    public void RemoveAt(int slot)
    {
        if ((_slots[slot].Flags & EntryFlags.Untracked) == 0)
        {
            TrackedCount--;
        }
        _count--;
        // Backward-shift deletion: pull later members of the probe run into the hole.
        var hole = slot;
        var j = slot;
        while (true)
        {
            j = (j + 1) & _mask;
            if (_tags[j] == 0)
            {
                break;
            }
            ref var e = ref _slots[j];
            var home = e.Key.Hash & _mask;
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays)
            {
                continue;
            }
            _slots[hole] = e;
            _tags[hole] = _tags[j];
            hole = j;
        }
        _slots[hole] = default;
        _tags[hole] = 0;
    }

    /// <summary>Visits up to <paramref name="budget"/> slots from the clock hand and removes expired entries.</summary>
    public void Sweep(long now, int budget)
    {
        for (var n = 0; n < budget; n++)
        {
            if (_tags[_clock] != 0 && _slots[_clock].Deadline - now <= 0)
            {
                RemoveAt(_clock); // another entry may have shifted into this slot: look at it again
                continue;
            }
            _clock = (_clock + 1) & _mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        var oldTags = _tags;
        _slots = new TrackEntry[old.Length * 2];
        _tags = new byte[_slots.Length];
        _mask = _slots.Length - 1;
        _clock = 0;
        for (var k = 0; k < old.Length; k++)
        {
            if (oldTags[k] == 0)
            {
                continue;
            }
            var i = old[k].Key.Hash & _mask;
            while (_tags[i] != 0)
            {
                i = (i + 1) & _mask;
            }
            _tags[i] = oldTags[k];
            _slots[i] = old[k];
        }
    }
}
