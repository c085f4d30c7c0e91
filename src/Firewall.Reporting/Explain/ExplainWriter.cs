using System.Text.Json;
using Firewall.Analysis.Explain;

namespace Firewall.Reporting.Explain;

/// <summary>Writes a <see cref="FlowExplanation"/> as text for a person or as JSON.</summary>
public static class ExplainWriter
{
    public static void WriteText(FlowExplanation e, TextWriter o)
    {
        o.WriteLine($"flow      {e.Flow}");
        o.WriteLine($"ruleset   {e.Ruleset}");
        o.WriteLine($"outcome   {e.Outcome}   (stateless security groups: {e.StatelessOutcome})");
        WritePacket(e.Request, o);
        if (e.Reply is { } reply)
        {
            WritePacket(reply, o);
        }
        o.WriteLine();
        o.WriteLine("if security groups were stateless");
        foreach (var p in new[] { e.Request, e.Reply })
        {
            if (p is null)
            {
                continue;
            }
            o.WriteLine($"  {p.Direction,-8} {p.StatelessVerdict,-5} by {p.StatelessRule}{(p.StatelessHops.Count == 0 ? "   (same as stateful)" : "")}");
            foreach (var hop in p.StatelessHops)
            {
                WriteHop(hop, o, "    ");
            }
        }
        if (e.Notes.Count > 0)
        {
            o.WriteLine();
            foreach (var note in e.Notes)
            {
                o.WriteLine($"note: {note}");
            }
        }
    }

    private static void WritePacket(PacketExplanation p, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"{p.Direction}   {p.Packet}");
        if (p.Hops.Count == 0)
        {
            o.WriteLine($"  no hop: {p.Rule}");
        }
        foreach (var hop in p.Hops)
        {
            WriteHop(hop, o, "  ");
        }
        o.WriteLine($"  tracking: {p.Tracking}");
        o.WriteLine($"  => {p.Verdict} by {p.Rule}");
    }

    private static void WriteHop(HopExplanation hop, TextWriter o, string indent)
    {
        o.WriteLine($"{indent}{hop.Hop,-14} {hop.Target,-14} {hop.Result,-5} {hop.Rule}");
        var text = hop.Basis is "rule" or "no rule allowed it" ? hop.RuleText : hop.Basis;
        if (text.Length > 0)
        {
            o.WriteLine($"{indent}{"",-14} {"",-14} {"",-5} {text}");
        }
        if (hop.Closest.Count > 0)
        {
            o.WriteLine($"{indent}  closest rules:");
            foreach (var miss in hop.Closest)
            {
                o.WriteLine($"{indent}    {miss.Rule}  {miss.RuleText}");
                foreach (var reason in miss.Reasons)
                {
                    o.WriteLine($"{indent}      - {reason}");
                }
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteJson(FlowExplanation e, TextWriter o) => o.WriteLine(JsonSerializer.Serialize(e, Json));
}
