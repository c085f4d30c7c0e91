using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>The flows that pass only because security groups keep state, by group.</summary>
internal static class StatefulSection
{
    public static void Write(StringBuilder h, RunReport report, RunSummary s)
    {
        var groups = ReportFigures.StatefulGroups(report);
        Section(h, "stateful", "Stateful vs stateless",
            $"Security groups track connections, so a reply passes whatever the rules of its own direction say. Evaluated again with every reply judged by those rules, "
            + (s.StatefulOnlyFlows == 0
                ? "every allowed flow would still pass: none depends on connection tracking."
                : $"{Count(s.StatefulOnlyFlows, "allowed flow")} would lose packets. They work only because a group keeps state; here they are by the group whose rule admitted them."));
        if (groups.Count > 0)
        {
            h.Append("<table class=\"data\" id=\"stateful-groups\"><thead><tr><th>security group</th><th>on interfaces</th><th class=\"num\">flows that need state</th>")
                .Append("<th>without state, dropped by</th><th>example flows</th></tr></thead><tbody>\n");
            var flows = report.Flows.Records;
            foreach (var g in groups)
            {
                h.Append("<tr><td>").Append(g.Group.Length == 0 ? "<em>not recorded</em>" : $"<code>{E(g.Group)}</code>").Append("</td><td>")
                    .Append(E(string.Join(", ", g.Interfaces))).Append("</td><td class=\"num\">").Append(N(g.Flows)).Append("</td><td>");
                h.Append(string.Join("<br />", g.StatelessDeniedBy.Select(d => $"<code>{E(d.Reference)}</code> ({Count(d.Flows, "flow")})")));
                h.Append("</td><td>");
                for (var k = 0; k < g.Examples.Count; k++)
                {
                    var i = g.Examples[k];
                    h.Append(k > 0 ? "<br />" : "").Append("flow ").Append(i).Append(": <code>").Append(E(FlowText(in flows[i]))).Append("</code>");
                }
                h.Append("</td></tr>\n");
            }
            h.Append("</tbody></table>\n");
        }
        h.Append("</section>\n");
    }

    private static string FlowText(in FlowRecord f)
    {
        var ports = FieldText.FlowHasPorts(in f);
        return $"{IpProtocol.Name(f.Key.Protocol)} {EndpointText.Format(f.Client, f.ClientPort, ports)} → {EndpointText.Format(f.Server, f.ServerPort, ports)}";
    }
}
