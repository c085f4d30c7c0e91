using System.Runtime.CompilerServices;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Counts each evaluated packet: the run's totals and reasons, the packet and flow counts of every rule,
/// and its flow's per-direction counts, bytes and first deny, for the stateful evaluation and the stateless
/// comparison alike.
/// </summary>
internal sealed class FlowAccounting(Counters counters, FlowTable flows)
{
    // The references past a flow's inline ones (FlowRecord.InlineRules), as flow id << 32 | reference id.
    private readonly HashSet<long> _overflow = new();

    public void Clear() => _overflow.Clear();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Account(in PacketInfo p, ref PacketResult r, ref FlowRecord flow, int flowId)
    {
        var allowed = r.Verdict == Verdict.Allow;
        if (allowed)
        {
            counters.Allowed++;
        }
        else
        {
            counters.Denied++;
            counters.DenyReasons[(int)r.Reason]++;
            if (flowId >= 0 && flow.DeniedBy < 0)
            {
                flow.DeniedBy = r.RuleId;
                flow.DeniedFrame = p.Frame;
                flow.DeniedPacketWasReply = r.IsReply;
            }
        }
        var statelessAllowed = r.StatelessVerdict == Verdict.Allow;
        if (!statelessAllowed && flow.StatelessDeniedBy < 0)
        {
            flow.StatelessDeniedBy = r.StatelessRuleId;
        }
        if (r.IsReply)
        {
            if (allowed) flow.ReplyAllowed++; else flow.ReplyDenied++;
            if (statelessAllowed) flow.StatelessReplyAllowed++; else flow.StatelessReplyDenied++;
            flow.ReplyBytes += p.IpLength;
        }
        else
        {
            if (allowed) flow.RequestAllowed++; else flow.RequestDenied++;
            if (statelessAllowed) flow.StatelessRequestAllowed++; else flow.StatelessRequestDenied++;
            flow.RequestBytes += p.IpLength;
        }
        for (var h = 0; h < r.HopCount; h++)
        {
            var ruleId = r.Hops[h].RuleId;
            counters.RulePackets[ruleId]++;
            if (flowId >= 0 && AddFlowRule(ref flow, flowId, ruleId))
            {
                counters.RuleFlows[ruleId]++;
            }
        }
    }

    /// <summary>The distinct references the packets of a recorded flow met (what its per-rule flow counts added).</summary>
    public IEnumerable<int> RulesOfFlow(int flowId)
    {
        var flow = flows[flowId];
        for (var i = 0; i < flow.RuleCount; i++)
        {
            yield return flow.Rules[i];
        }
        if (flow.RuleCount < FlowRecord.InlineRules)
        {
            yield break;
        }
        for (var ruleId = 0; ruleId < counters.RuleFlows.Length; ruleId++)
        {
            if (_overflow.Contains((long)flowId << 32 | (uint)ruleId))
            {
                yield return ruleId;
            }
        }
    }

    /// <summary>Records that the flow met a reference; true the first time.</summary>
    private bool AddFlowRule(ref FlowRecord flow, int flowId, int ruleId)
    {
        var n = flow.RuleCount;
        for (var i = 0; i < n; i++)
        {
            if (flow.Rules[i] == ruleId)
            {
                return false;
            }
        }
        if (n < FlowRecord.InlineRules)
        {
            flow.Rules[n] = ruleId;
            flow.RuleCount++;
            return true;
        }
        return _overflow.Add((long)flowId << 32 | (uint)ruleId);
    }
}
