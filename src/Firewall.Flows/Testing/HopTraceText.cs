using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;

namespace Firewall.Flows.Testing;

/// <summary>
/// A packet's hops as one line, <c>sg-outbound=allow:conntrack:web-1 nacl-outbound=allow:nacl:public-nacl:outbound:120</c>:
/// each hop, its result and the reference that decided it. The trace in a failed test case's message and details
/// (<c>firewall explain</c> shows a packet's hops one per line, from <c>FlowExplanation</c>).
/// </summary>
public static class HopTraceText
{
    public static string Format(in PacketResult result, RuleTable rules)
    {
        if (result.HopCount == 0)
        {
            return result.Verdict == Verdict.Skip ? "no hop (out of scope)" : $"no hop ({rules.Reference(result.RuleId)})";
        }
        var parts = new string[result.HopCount];
        for (var i = 0; i < result.HopCount; i++)
        {
            var hop = result.Hops[i];
            parts[i] = $"{ResultText.Name(hop.Kind)}={(hop.Allowed ? "allow" : "deny")}:{rules.Reference(hop.RuleId)}";
        }
        return string.Join(' ', parts);
    }
}
