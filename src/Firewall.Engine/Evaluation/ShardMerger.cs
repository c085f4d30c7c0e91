namespace Firewall.Engine.Evaluation;

/// <summary>
/// Puts the results of evaluators that each owned a shard of a run (<see cref="Sharding"/>) back together
/// as one evaluator would have produced them. Fed every packet result in capture order, it renumbers the
/// shards' flows in order of first appearance across the whole run and applies the run's flow-record bound;
/// at the end it sums the counters and lays the flows out in that order. Nothing here depends on how the
/// shards were scheduled, so the merged run is the same whatever the thread timing.
/// </summary>
public sealed class ShardMerger
{
    private readonly Evaluator[] _shards;
    private readonly int[][] _globalOf; // per shard: local flow id → run-wide id, or -1 past the bound
    private readonly int[] _localSeen;
    private long[] _owner = new long[1024]; // run-wide id → shard << 32 | local id
    private int _flows;
    private long _unrecordedPackets;

    public ShardMerger(IReadOnlyList<Evaluator> shards)
    {
        if (shards.Count == 0)
        {
            throw new ArgumentException("no shards", nameof(shards));
        }
        _shards = shards.ToArray();
        _globalOf = _shards.Select(_ => new int[1024]).ToArray();
        _localSeen = new int[_shards.Length];
    }

    /// <summary>Flows numbered so far.</summary>
    public int FlowCount => _flows;

    /// <summary>Frames merged so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Turns a shard's result for the next packet of the run into the single-evaluator result.</summary>
    public void Map(int shard, ref PacketResult r)
    {
        Frames++;
        var local = r.FlowId;
        if (local < 0)
        {
            return;
        }
        ref var map = ref _globalOf[shard];
        if (local == _localSeen[shard])
        {
            // The shard created this flow with this packet: it takes the next number of the whole run.
            if (local == map.Length)
            {
                Array.Resize(ref map, map.Length * 2);
            }
            var id = _flows < _shards[0].Options.MaxFlows ? _flows++ : -1;
            map[local] = id;
            _localSeen[shard]++;
            if (id >= 0)
            {
                if (id == _owner.Length)
                {
                    Array.Resize(ref _owner, _owner.Length * 2);
                }
                _owner[id] = (long)shard << 32 | (uint)local;
            }
        }
        var global = map[local];
        if (global < 0)
        {
            // Past the run's flow-record bound, as a single evaluator would have left it.
            r.FlowId = -1;
            r.IsReply = false;
            _unrecordedPackets++;
            return;
        }
        r.FlowId = global;
    }

    /// <summary>The run's counters and flows, once every packet has been mapped.</summary>
    public (Counters Counters, FlowTable Flows) Finish()
    {
        var first = _shards[0];
        var counters = new Counters(first.Counters.RuleFlows.Length);
        foreach (var shard in _shards)
        {
            counters.Add(shard.Counters);
        }
        counters.PacketsOfUnrecordedFlows += _unrecordedPackets;
        for (var s = 0; s < _shards.Length; s++)
        {
            for (var local = 0; local < _localSeen[s]; local++)
            {
                if (_globalOf[s][local] >= 0)
                {
                    continue;
                }
                foreach (var ruleId in _shards[s].RulesOfFlow(local))
                {
                    counters.RuleFlows[ruleId]--; // a single evaluator counts rules per recorded flow only
                }
            }
        }
        // Laid out over the shards' records, not copied: a run's flows can be hundreds of megabytes.
        return (counters, FlowTable.Over(_shards.Select(e => e.Flows).ToArray(), _owner, _flows));
    }

    /// <summary>
    /// Where the merged run may differ from a single evaluator: bounds that count across all flows (a
    /// tracking table's <c>max_tracked</c>, the remembered first fragments) can only be enforced per shard.
    /// Empty when no bound can have been reached, which makes the merged run exact.
    /// </summary>
    public IReadOnlyList<string> Caveats()
    {
        var caveats = new List<string>();
        var first = _shards[0];
        for (var i = 0; i < first.Tables.Count; i++)
        {
            var inserted = _shards.Sum(s => s.Tables[i].TrackedInserted);
            if (inserted >= first.Tables[i].MaxTracked)
            {
                caveats.Add($"interface {first.Rules.Interfaces[i].Name} opened {inserted} tracking entries, at or past its bound of {first.Tables[i].MaxTracked}; the bound was enforced per thread, so results near it may differ from --threads 1");
            }
            var untracked = _shards.Sum(s => s.Tables[i].UntrackedInserted);
            if (untracked >= first.Options.MaxUntracked)
            {
                caveats.Add($"interface {first.Rules.Interfaces[i].Name} opened {untracked} untracked entries, at or past their bound of {first.Options.MaxUntracked}; the bound was enforced per thread, so the count of untracked packets not kept may differ from --threads 1");
            }
        }
        var fragments = _shards.Sum(s => s.FirstFragmentsRemembered);
        if (fragments >= first.Options.MaxFragmentsRemembered)
        {
            caveats.Add($"{fragments} first fragments were remembered, at or past the bound of {first.Options.MaxFragmentsRemembered}; it was enforced per thread, so later fragments near it may be judged differently from --threads 1");
        }
        return caveats;
    }
}
