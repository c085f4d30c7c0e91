using System.Runtime.InteropServices;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Analysis.Diff;

/// <summary>
/// Remembers, for each flow, the references of the hops that decided its first request packet and its
/// first reply packet: what "the deciding rule" of an allowed flow is. A run sink, fed each packet like the report writers.
/// </summary>
public sealed class FlowDecisionRecorder : IRunSink
{
    private readonly List<(int[]? Request, int[]? Reply)> _decisions = [];

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        if (result.FlowId < 0)
        {
            return;
        }
        while (_decisions.Count <= result.FlowId)
        {
            _decisions.Add((null, null));
        }
        var (request, reply) = _decisions[result.FlowId];
        if (result.IsReply ? reply is not null : request is not null)
        {
            return;
        }
        var hops = new int[Math.Max(1, result.HopCount)];
        hops[0] = result.RuleId;
        for (var i = 0; i < result.HopCount; i++)
        {
            hops[i] = result.Hops[i].RuleId;
        }
        _decisions[result.FlowId] = result.IsReply ? (request, hops) : (hops, reply);
    }

    public (int[]? Request, int[]? Reply) For(int flowId) => flowId < _decisions.Count ? _decisions[flowId] : (null, null);

    public void Complete(RunReport report)
    {
    }

    public void Dispose()
    {
    }
}

public enum FlowChangeKind : byte
{
    NewlyAllowed,
    NewlyBlocked,

    /// <summary>Not allowed on either side, but denied differently (request vs reply, partly vs wholly).</summary>
    Changed,
}

/// <summary>One side of a changed flow: its outcome and the references that decided it.</summary>
public sealed record FlowSide(FlowOutcome Outcome, IReadOnlyList<string> DecidedBy);

public sealed record FlowChange(
    FlowChangeKind Kind,
    string Flow,
    string Protocol,
    string Client,
    int? ClientPort,
    string Server,
    int? ServerPort,
    long FirstFrame,
    FlowSide Old,
    FlowSide New)
{
    public static string Name(FlowChangeKind kind) => kind switch
    {
        FlowChangeKind.NewlyAllowed => "newly-allowed",
        FlowChangeKind.NewlyBlocked => "newly-blocked",
        _ => "changed",
    };
}

public sealed record DiffResult(
    string CaptureName,
    string OldRuleset,
    string NewRuleset,
    int FlowsCompared,
    IReadOnlyList<FlowChange> Changes,
    int OnlyOld,
    int OnlyNew)
{
    public int Count(FlowChangeKind kind) => Changes.Count(c => c.Kind == kind);
}

/// <summary>
/// Compares two runs of the same traffic (one per ruleset): flows are matched by their key and the time
/// of their first packet (endpoints reused by a later connection make another flow; the n-th flow of a
/// key at one instant matches the n-th), and every flow whose outcome differs is listed with what decided
/// it on both sides, in the order the flows first appeared. Time, not frame number, because synthetic
/// flows are sent as each ruleset lets them: a request one ruleset denies is never answered, so the
/// frames after it are numbered differently in the two runs while every conversation starts at the same time.
/// </summary>
public static class RulesetDiff
{
    public static DiffResult Compare(RunReport old, FlowDecisionRecorder oldDecisions, RunReport @new, FlowDecisionRecorder newDecisions)
    {
        var newFlows = new Dictionary<(FlowKey, long, int), int>();
        var newRecords = @new.Flows.Records;
        var seen = new Dictionary<(FlowKey, long), int>();
        for (var i = 0; i < newRecords.Length; i++)
        {
            newFlows.Add(Identity(seen, in newRecords[i]), i);
        }
        seen.Clear();
        var changes = new List<FlowChange>();
        var matched = 0;
        var oldRecords = old.Flows.Records;
        for (var i = 0; i < oldRecords.Length; i++)
        {
            ref readonly var o = ref oldRecords[i];
            if (!newFlows.Remove(Identity(seen, in o), out var j))
            {
                continue;
            }
            matched++;
            ref readonly var n = ref newRecords[j];
            if (o.Outcome == n.Outcome)
            {
                continue;
            }
            var kind = o.Outcome == FlowOutcome.Allowed ? FlowChangeKind.NewlyBlocked
                : n.Outcome == FlowOutcome.Allowed ? FlowChangeKind.NewlyAllowed
                : FlowChangeKind.Changed;
            var ports = IpProtocol.HasPorts(o.Key.Protocol);
            var proto = IpProtocol.Name(o.Key.Protocol);
            var client = o.Client.ToString();
            var server = o.Server.ToString();
            var text = ports
                ? $"{proto} {EndpointText.Format(o.Client, o.ClientPort)} -> {EndpointText.Format(o.Server, o.ServerPort)}"
                : $"{proto} {client} -> {server}";
            changes.Add(new FlowChange(
                kind, text, proto, client, ports ? o.ClientPort : null, server, ports ? o.ServerPort : null, o.FirstFrame,
                Side(old, oldDecisions, i, in o), Side(@new, newDecisions, j, in n)));
        }
        return new DiffResult(old.Input.CaptureName, old.Input.RulesetPath, @new.Input.RulesetPath, matched, changes,
            oldRecords.Length - matched, newFlows.Count);
    }

    /// <summary>A flow's key, first time, and how many flows of that key began at that time before it.</summary>
    private static (FlowKey, long, int) Identity(Dictionary<(FlowKey, long), int> seen, in FlowRecord flow)
    {
        ref var n = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, (flow.Key, flow.FirstTimeNs), out _);
        return (flow.Key, flow.FirstTimeNs, n++);
    }

    /// <summary>A denied flow names the rule that denied its first dropped packet; an allowed one the hops of its first request and reply.</summary>
    private static FlowSide Side(RunReport run, FlowDecisionRecorder decisions, int flowId, in FlowRecord flow)
    {
        var table = run.Rules.Rules;
        if (flow.Outcome != FlowOutcome.Allowed && flow.DeniedBy >= 0)
        {
            return new FlowSide(flow.Outcome, [table.Reference(flow.DeniedBy)]);
        }
        var (request, reply) = decisions.For(flowId);
        var refs = (request ?? []).Concat(reply ?? []).Select(table.Reference).Distinct().ToList();
        return new FlowSide(flow.Outcome, refs);
    }
}
