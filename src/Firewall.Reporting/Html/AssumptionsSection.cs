using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>The values the run depends on, and the capture's warnings.</summary>
internal static class AssumptionsSection
{
    public static void Write(StringBuilder h, RunReport report)
    {
        Section(h, "assumptions", "Assumptions",
            "Values the run depends on: documented by AWS, set in the ruleset, Linux netfilter's defaults where AWS publishes none, this tool's choices, and command-line options.");
        h.Append("<table class=\"data\" id=\"assumptions-table\"><thead><tr><th>name</th><th>value</th><th>source</th><th>note</th></tr></thead><tbody>\n");
        foreach (var a in Assumptions.For(report.Rules, report.Options))
        {
            h.Append("<tr><td><code>").Append(E(a.Name)).Append("</code></td><td>").Append(E(a.Value)).Append("</td><td><span class=\"badge src-")
                .Append(E(a.Source)).Append("\">").Append(E(a.Source)).Append("</span></td><td>").Append(E(a.Note)).Append("</td></tr>\n");
        }
        h.Append("</tbody></table>\n");
        if (report.Input.CaptureWarnings.Count > 0)
        {
            h.Append("<h3>Capture warnings</h3>\n<ul class=\"warnings\">\n");
            foreach (var w in report.Input.CaptureWarnings)
            {
                h.Append("<li>").Append(E(w)).Append("</li>\n");
            }
            h.Append("</ul>\n");
        }
        h.Append("</section>\n");
    }
}
