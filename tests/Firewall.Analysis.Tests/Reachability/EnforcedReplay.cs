using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;

using Firewall.Flows.Synthesis;

namespace Firewall.Analysis.Tests.Reachability;

/// <summary>
/// Evaluates synthetic flows as <c>check --flows</c> does (the flows synthesizer's packets in time order
/// through one evaluator), except that a conversation ends at its first dropped packet, as the answers
/// about all packets define an exchange: a responder answers only what reached it. <c>check --flows</c>
/// itself still evaluates every packet the synthesizer writes, the replies to a denied request included
/// (a known defect of the synthesized exchanges); the two agree on every flow that drops nothing and on
/// every flow whose drop ends it.
/// </summary>
internal static class EnforcedReplay
{
    /// <summary>
    /// Each packet sent, frames numbered from 1 as a capture of what was sent would number them, with its
    /// result and whether the flow's server sent it.
    /// </summary>
    public static IEnumerable<(PacketInfo Packet, PacketResult Result, bool FromServer)> Play(FlowsFile file, Evaluator evaluator)
    {
        var ended = new HashSet<(int Flow, int Repetition)>();
        long frame = 0;
        var result = default(PacketResult);
        foreach (var s in FlowSynthesizer.Synthesize(file))
        {
            if (ended.Contains((s.FlowIndex, s.Repetition)))
            {
                continue;
            }
            var info = default(PacketInfo);
            SynthDecoding.Fill(in s, ++frame, ref info);
            evaluator.Evaluate(in info, ref result);
            if (result.Verdict == Verdict.Deny)
            {
                ended.Add((s.FlowIndex, s.Repetition));
            }
            yield return (info, result, s.FromServer);
        }
    }
}
