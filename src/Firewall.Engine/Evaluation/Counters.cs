using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>Totals of a run. Every frame is counted exactly once in one of the five verdict totals.</summary>
public sealed class Counters
{
    public Counters(int ruleCount)
    {
        RulePackets = new long[ruleCount];
        RuleFlows = new long[ruleCount];
    }

    public long Frames;
    public long Allowed;
    public long Denied;
    public long Skipped;
    public long NotFiltered;
    public long Undecodable;

    /// <summary>Packets each reference decided at some hop, indexed by rule id.</summary>
    public long[] RulePackets { get; }

    /// <summary>Distinct flows each reference decided at some hop, indexed by rule id.</summary>
    public long[] RuleFlows { get; }

    public long[] DenyReasons { get; } = new long[Enum.GetValues<DenyReason>().Length];

    public long[] DecodeErrors { get; } = new long[Enum.GetValues<DecodeError>().Length];

    /// <summary>Packets allowed only because they were later fragments following their first fragment.</summary>
    public long FragmentsFollowed;

    /// <summary>Packets of flows first seen after the flow-record bound was reached (<see cref="EvaluationOptions.MaxFlows"/>).</summary>
    public long PacketsOfUnrecordedFlows;

    /// <summary>Later fragments evaluated without their first fragment.</summary>
    public long FragmentsWithoutFirst;
}
