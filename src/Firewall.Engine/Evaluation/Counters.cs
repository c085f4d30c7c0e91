using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>Totals of a run. Every frame is counted exactly once in one of the five verdict totals.</summary>
public sealed class Counters
{
    /// <param name="ruleCount">The number of rule references (<see cref="Compilation.RuleTable.Count"/>): the length of the per-rule arrays.</param>
    public Counters(int ruleCount)
    {
        RulePackets = new long[ruleCount];
        RuleFlows = new long[ruleCount];
    }

    /// <summary>Frames evaluated: the sum of the five totals below.</summary>
    public long Frames;

    /// <summary>Packets every hop on their path allowed.</summary>
    public long Allowed;

    /// <summary>Packets a hop denied.</summary>
    public long Denied;

    /// <summary>Packets with no hop on their path (not to or from the ruleset's interfaces or subnets), or not IP.</summary>
    public long Skipped;

    /// <summary>Packets AWS does not filter (DNS resolver, instance metadata, time sync, DHCP).</summary>
    public long NotFiltered;

    /// <summary>Frames that could not be decoded.</summary>
    public long Undecodable;

    /// <summary>Packets each reference decided at some hop, indexed by rule id.</summary>
    public long[] RulePackets { get; }

    /// <summary>Distinct flows each reference decided at some hop, indexed by rule id.</summary>
    public long[] RuleFlows { get; }

    public long[] DenyReasons { get; } = new long[Enum.GetValues<DenyReason>().Length];

    /// <summary>Packets allowed only because they were later fragments following their first fragment.</summary>
    public long FragmentsFollowed;

    /// <summary>Packets of flows first seen after the flow-record bound was reached (<see cref="EvaluationOptions.MaxFlows"/>).</summary>
    public long PacketsOfUnrecordedFlows;

    /// <summary>Later fragments evaluated without their first fragment.</summary>
    public long FragmentsWithoutFirst;

    /// <summary>Packets of untracked flows that would have opened an entry past <see cref="EvaluationOptions.MaxUntracked"/>.</summary>
    public long UntrackedNotKept;

    /// <summary>Adds another run's counts (a shard of the same ruleset) to these.</summary>
    public void Add(Counters other)
    {
        Frames += other.Frames;
        Allowed += other.Allowed;
        Denied += other.Denied;
        Skipped += other.Skipped;
        NotFiltered += other.NotFiltered;
        Undecodable += other.Undecodable;
        FragmentsFollowed += other.FragmentsFollowed;
        FragmentsWithoutFirst += other.FragmentsWithoutFirst;
        PacketsOfUnrecordedFlows += other.PacketsOfUnrecordedFlows;
        UntrackedNotKept += other.UntrackedNotKept;
        AddInto(RulePackets, other.RulePackets);
        AddInto(RuleFlows, other.RuleFlows);
        AddInto(DenyReasons, other.DenyReasons);
    }

    private static void AddInto(long[] into, long[] from)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += from[i];
        }
    }
}
