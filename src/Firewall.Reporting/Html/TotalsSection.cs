using System.Text;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Evaluation;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>Every frame counted once, flows by how they ended, and the rules that denied.</summary>
internal static class TotalsSection
{
    public static void Write(StringBuilder h, RunSummary s)
    {
        Section(h, "totals", "Totals", "Every frame counted once; flows by how they ended.");
        h.Append("<div class=\"grid\">\n<div class=\"panel\"><h3>Packets</h3><table class=\"numbers\"><tbody>\n");
        Row(h, "packets read", s.Packets, "");
        Row(h, "allowed", s.Allowed, Share(s.Allowed, s.Packets), "indent");
        Row(h, "denied", s.Denied, Share(s.Denied, s.Packets), "indent");
        foreach (var reason in s.DeniedBy)
        {
            Row(h, reason.Name, reason.Count, "", "indent2");
        }
        Row(h, "not filtered", s.NotFiltered, "AWS filters neither DNS resolver, metadata, time sync nor DHCP traffic", "indent");
        foreach (var b in s.NotFilteredBy)
        {
            Row(h, b.Rule.Reference, b.Packets, "", "indent2");
        }
        Row(h, "skipped", s.Skipped, "no hop on their path, or not IP", "indent");
        Row(h, "undecodable", s.Undecodable, "", "indent");
        foreach (var e in s.UndecodableBy)
        {
            Row(h, e.Name, e.Count, "", "indent2");
        }
        if (s.FragmentsFollowed + s.FragmentsWithoutFirst > 0)
        {
            Row(h, "later fragments", s.FragmentsFollowed + s.FragmentsWithoutFirst,
                $"{N(s.FragmentsFollowed)} took their first fragment's verdict, {N(s.FragmentsWithoutFirst)} matched only port-less rules", "indent");
        }
        h.Append("</tbody></table></div>\n<div class=\"panel\"><h3>Flows</h3><table class=\"numbers\"><tbody>\n");
        Row(h, "flows", s.Flows, "");
        foreach (var outcome in Enum.GetValues<FlowOutcome>())
        {
            var note = outcome switch
            {
                FlowOutcome.Allowed when s.StatefulOnlyFlows > 0 => $"{N(s.StatefulOnlyFlows)} of them only because security groups are stateful",
                FlowOutcome.ReplyDenied => "requests passed, replies dropped",
                _ => "",
            };
            Row(h, FlowRecord.Name(outcome), s.FlowsByOutcome[(int)outcome], note, "indent");
        }
        Row(h, "picked up mid-stream", s.InferredFlows, "client and server inferred from the ports", "indent");
        Row(h, "untracked", s.UntrackedFlows, "0.0.0.0/0 both ways: AWS does not track them", "indent");
        h.Append("</tbody></table></div>\n</div>\n");

        h.Append("<h3>Denying rules</h3>\n");
        if (s.DenyingRules.Count == 0)
        {
            h.Append("<p class=\"empty\">No packet was denied.</p>\n");
        }
        else
        {
            h.Append("<table class=\"data\" id=\"denying-rules\"><thead><tr><th>rule</th><th class=\"num\">packets</th><th class=\"num\">flows</th><th>what it is</th></tr></thead><tbody>\n");
            foreach (var c in s.DenyingRules)
            {
                RuleCountRow(h, c);
            }
            h.Append("</tbody></table>\n");
        }
        h.Append("</section>\n");
    }

    private static void Row(StringBuilder h, string label, long value, string note, string? cls = null)
    {
        h.Append("<tr").Append(cls is null ? "" : $" class=\"{cls}\"").Append("><th scope=\"row\">").Append(E(label)).Append("</th><td class=\"num\">")
            .Append(N(value)).Append("</td><td class=\"remark\">").Append(E(note)).Append("</td></tr>\n");
    }
}
