using System.Runtime.CompilerServices;

namespace Firewall.Engine.Evaluation;

/// <summary>What the evaluator keeps for a flow in progress and a finished flow no longer needs.</summary>
internal struct LiveFlow
{
    /// <summary>The flow id + 1 this slot holds; 0 = none.</summary>
    public int Owner;

    /// <summary>Where the key's endpoints sit in the ruleset (the evaluator's path plan).</summary>
    public FlowPath Path;

    /// <summary>What the rules said at each hop for each side.</summary>
    public RuleResultCache Rules;
}

/// <summary>
/// The per-flow state only evaluation reads (a flow's path and its cached rule results), kept apart from the
/// flow records, which a run keeps for its report: a direct-mapped table by flow id, one slot per flow of
/// the last <see cref="MaxSlots"/> begun (a power of two), whose slots are reused instead of growing with every flow. A flow
/// whose slot was taken by a newer one gets it back with its path looked up again and its rules run again,
/// which give what they gave before (both depend only on the flow key and the packet's shape), so results do
/// not depend on the table's size. Records are 56 bytes smaller for it: a run of a million flows touches
/// 56 MB less fresh memory, which on this engine's benchmark machine is what new flows mostly cost.
/// </summary>
internal sealed class LiveFlows(int maxSlots = LiveFlows.MaxSlots)
{
    /// <summary>65,536 slots (4 MB): a packet of a known flow comes back to a flow among the last few hundred touched (docs/performance.md).</summary>
    internal const int MaxSlots = 1 << 16;

    private LiveFlow[] _slots = new LiveFlow[Math.Min(1024, maxSlots)];
    private int _mask = Math.Min(1024, maxSlots) - 1;

    public long BytesAllocated => (long)_slots.Length * Unsafe.SizeOf<LiveFlow>();

    /// <summary>Whether flow <paramref name="flowId"/> still holds its slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Holds(int flowId) => _slots[flowId & _mask].Owner == flowId + 1;

    /// <summary>The slot of flow <paramref name="flowId"/>; only meaningful when it <see cref="Holds"/> it.</summary>
    public ref LiveFlow this[int flowId] => ref _slots[flowId & _mask];

    /// <summary>Gives flow <paramref name="flowId"/> its slot, with <paramref name="path"/> and no rule results yet.</summary>
    public void Take(int flowId, FlowPath path)
    {
        if (flowId > _mask && _slots.Length < maxSlots)
        {
            Grow(flowId);
        }
        ref var slot = ref _slots[flowId & _mask];
        slot = default;
        slot.Owner = flowId + 1;
        slot.Path = path;
    }

    /// <summary>Forgets every flow (<see cref="Evaluator.Forget"/>: flow ids start again at 0).</summary>
    public void Clear() => Array.Clear(_slots);

    private void Grow(int flowId)
    {
        var size = (int)Math.Min(maxSlots, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)flowId + 1));
        var old = _slots;
        _slots = new LiveFlow[size];
        _mask = size - 1;
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.Owner != 0)
            {
                _slots[(slot.Owner - 1) & _mask] = slot;
            }
        }
    }
}
