using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tests.Support;

/// <summary>Evaluates packets one by one and exposes what tests assert on.</summary>
public sealed class Run
{
    public Run(CompiledRuleset rules, EvaluationOptions? options = null)
    {
        Evaluator = new Evaluator(rules, options);
    }

    public Run(RulesetBuilder builder, EvaluationOptions? options = null) : this(builder.Compile(), options)
    {
    }

    public Evaluator Evaluator { get; }

    public PacketResult Last;

    public PacketResult Send(PacketInfo packet)
    {
        Evaluator.Evaluate(in packet, ref Last);
        return Last;
    }

    public string Ref(int ruleId) => Evaluator.Rules.Rules.Reference(ruleId);

    /// <summary>"allow rule" or "deny rule" for the last packet.</summary>
    public string Outcome(PacketInfo packet)
    {
        var r = Send(packet);
        return $"{ResultText.Name(r.Verdict)} {Ref(r.RuleId)}";
    }

    public string Hops(in PacketResult r)
    {
        var parts = new List<string>();
        for (var i = 0; i < r.HopCount; i++)
        {
            var h = r.Hops[i];
            parts.Add($"{ResultText.Name(h.Kind)}={(h.Allowed ? "allow" : "deny")}:{Ref(h.RuleId)}");
        }
        return string.Join(" ", parts);
    }

    public FlowRecord Flow(int id) => Evaluator.Flows[id];
}
