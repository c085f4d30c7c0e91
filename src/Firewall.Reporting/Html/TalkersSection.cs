using System.Text;
using Firewall.Analysis.Runs;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>The addresses that sent the most denied packets.</summary>
internal static class TalkersSection
{
    public static void Write(StringBuilder h, RunReport report, HtmlReportOptions options)
    {
        var talkers = ReportFigures.DeniedTalkers(report, options.TopTalkers);
        Section(h, "talkers", "Top talkers denied",
            talkers.Count == 0
                ? "No packet was denied."
                : $"The {(talkers.Count == 1 ? "address" : $"{talkers.Count} addresses")} that sent the most denied packets: a flow's denied requests count for its client, its denied replies for its server.");
        if (talkers.Count > 0)
        {
            h.Append("<figure class=\"chart-box\" id=\"figure-talkers\">").Append(ReportCharts.DeniedTalkers(talkers))
                .Append("<figcaption>Denied packets per sending address.</figcaption></figure>\n");
            h.Append("<table class=\"data\" id=\"talkers-table\"><thead><tr><th>address</th><th class=\"num\">denied packets</th><th class=\"num\">requests</th>")
                .Append("<th class=\"num\">replies</th><th class=\"num\">flows</th><th>mostly denied by</th></tr></thead><tbody>\n");
            foreach (var t in talkers)
            {
                h.Append("<tr><td><code>").Append(E(t.Address)).Append("</code></td><td class=\"num\">").Append(N(t.Denied)).Append("</td><td class=\"num\">")
                    .Append(N(t.RequestsDenied)).Append("</td><td class=\"num\">").Append(N(t.RepliesDenied)).Append("</td><td class=\"num\">").Append(N(t.Flows))
                    .Append("</td><td><code>").Append(E(t.TopRule)).Append("</code></td></tr>\n");
            }
            h.Append("</tbody></table>\n");
        }
        h.Append("</section>\n");
    }
}
