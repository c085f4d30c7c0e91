using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;

namespace Firewall.Reporting.Html;

/// <summary>What the HTML report holds besides what every report holds.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>Rows of the flow table; the rest are counted in a note.</summary>
    public int MaxFlowRows { get; init; } = 2000;

    /// <summary>Addresses in the top-talkers chart and table.</summary>
    public int TopTalkers { get; init; } = 10;
}

/// <summary>
/// The HTML report as one self-contained page: styles and the script inline, charts as inline SVG,
/// no URL a browser would fetch. All content is in the markup, so it reads without JavaScript and
/// prints; the script only adds filtering and sorting to the flow table. The markup is also well-formed
/// XML (void elements closed, style and script in CDATA sections that HTML parsers read as comments),
/// which lets tests parse it strictly. Every text from input goes through <see cref="HtmlText.Escape"/>.
/// </summary>
public static class HtmlPage
{
    public static string Render(RunReport report, Timeline timeline, HtmlReportOptions options)
    {
        var s = RunSummary.Of(report);
        var h = new StringBuilder(256 * 1024);
        var input = report.Input;
        var name = report.Rules.Model.Name;

        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        h.Append("<meta name=\"generator\" content=\"firewall report\" />\n");
        h.Append("<title>Firewall report: ").Append(HtmlMarkup.E(name)).Append(" · ").Append(HtmlMarkup.E(Path.GetFileName(input.CaptureName))).Append("</title>\n");
        h.Append("<style>/*<![CDATA[*/\n").Append(PageAssets.Css).Append("/*]]>*/</style>\n</head>\n<body>\n");

        MastheadSection.Write(h, report, s, timeline);
        h.Append("<nav class=\"toc\" aria-label=\"Sections\"><div class=\"wrap\">");
        foreach (var (id, title) in new[]
        {
            ("totals", "Totals"), ("timeline", "Timeline"), ("replies", "Reply drops"), ("stateful", "Stateful vs stateless"),
            ("talkers", "Denied talkers"), ("rules", "Rule hits"), ("flows", "Flows"), ("assumptions", "Assumptions"),
        })
        {
            h.Append("<a href=\"#").Append(id).Append("\">").Append(title).Append("</a>");
        }
        h.Append("</div></nav>\n<main class=\"wrap\">\n");

        TotalsSection.Write(h, s);
        TimelineSection.Write(h, report, timeline);
        ReplyDropsSection.Write(h, report);
        StatefulSection.Write(h, report, s);
        TalkersSection.Write(h, report, options);
        RuleHitsSection.Write(h, report, s);
        FlowsSection.Write(h, report, options);
        AssumptionsSection.Write(h, report);

        h.Append("</main>\n<footer class=\"wrap\"><p>Written by <code>firewall report</code> from the capture's own timestamps; ")
            .Append("the same run as <code>firewall check</code> with the same options. References such as <code>nacl:NAME:inbound:100</code> ")
            .Append("are those of every other output.</p></footer>\n");
        h.Append("<script>//<![CDATA[\n").Append(PageAssets.Script).Append("//]]></script>\n</body>\n</html>\n");
        return h.ToString();
    }
}
