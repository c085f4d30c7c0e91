using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>The flow table, with the flows that had a denied packet first when not all fit.</summary>
internal static class FlowsSection
{
    public static void Write(StringBuilder h, RunReport report, HtmlReportOptions options)
    {
        var flows = report.Flows.Records;
        var selection = ReportFigures.SelectFlows(flows, options.MaxFlowRows, report.ListsFlow);
        var listed = selection.Ids.Count + selection.LeftOut;
        var references = report.Rules.Rules;
        var narrowed = report.Listing is { NarrowsFlows: true } listing
            ? $" Listed: the {Count(listed, "flow")} of {N(flows.Length)} with a packet that {listing.Description} selects."
            : "";
        Section(h, "flows", "Flows",
            (selection.LeftOut == 0
                ? $"All {Count(listed, "flow")}, in order of appearance."
                : $"{N(selection.Ids.Count)} of {N(listed)} flows: those with a denied packet first, then allowed ones, shown in order of appearance.")
            + narrowed + " With scripts on, type to filter and click a heading to sort.");
        if (selection.LeftOut > 0)
        {
            h.Append("<p class=\"note\" id=\"flows-left-out\">").Append(N(selection.LeftOut)).Append(" flows are not shown (")
                .Append(N(selection.LeftOutWithDenials)).Append(" of them with a denied packet) to keep this report small: ")
                .Append("<code>firewall check --flows</code> lists every flow.</p>\n");
        }
        h.Append("<div class=\"table-scroll\"><table class=\"data flows\" id=\"flow-table\"><thead><tr>")
            .Append("<th data-type=\"num\" class=\"num\">flow</th><th>proto</th><th>client</th><th>server</th><th data-type=\"num\" class=\"num\">first frame</th>")
            .Append("<th data-type=\"num\" class=\"num\">req ok</th><th data-type=\"num\" class=\"num\">req drop</th><th data-type=\"num\" class=\"num\">rep ok</th>")
            .Append("<th data-type=\"num\" class=\"num\">rep drop</th><th>outcome</th><th>denied by</th><th>stateless</th><th>tracking</th></tr></thead><tbody>\n");
        foreach (var i in selection.Ids)
        {
            ref readonly var f = ref flows[i];
            var ports = FieldText.FlowHasPorts(in f);
            var outcome = FlowRecord.Name(f.Outcome);
            h.Append("<tr><td class=\"num\">").Append(i).Append("</td><td>").Append(E(IpProtocol.Name(f.Key.Protocol))).Append("</td><td>")
                .Append(E(EndpointText.Format(f.Client, f.ClientPort, ports))).Append("</td><td>")
                .Append(E(EndpointText.Format(f.Server, f.ServerPort, ports))).Append("</td><td class=\"num\">").Append(f.FirstFrame)
                .Append("</td><td class=\"num\">").Append(f.RequestAllowed).Append("</td><td class=\"num\">").Append(f.RequestDenied)
                .Append("</td><td class=\"num\">").Append(f.ReplyAllowed).Append("</td><td class=\"num\">").Append(f.ReplyDenied)
                .Append("</td><td><span class=\"badge o-").Append(outcome).Append("\">").Append(outcome).Append("</span>")
                .Append(f.Has(FlowFlags.Inferred) ? " <span class=\"muted\">(inferred)</span>" : "")
                .Append("</td><td class=\"wrap\">").Append(f.DeniedBy >= 0 ? E(references.Reference(f.DeniedBy)) : "")
                .Append("</td><td>").Append(f.StatelessOutcome == f.Outcome ? "same" : FlowRecord.Name(f.StatelessOutcome))
                .Append("</td><td>").Append(FieldText.Tracking(in f)).Append("</td></tr>\n");
        }
        h.Append("</tbody></table></div>\n</section>\n");
    }
}
