using System.Text;
using Firewall.Analysis.Runs;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>Packets and new flows over the capture's time, as charts.</summary>
internal static class TimelineSection
{
    public static void Write(StringBuilder h, RunReport report, Timeline timeline)
    {
        Section(h, "timeline", "Timeline",
            timeline.BucketCount == 0
                ? "No packet was allowed or denied, so there is nothing to draw."
                : $"One bar per {ReportCharts.Interval(timeline.IntervalNs)}, chosen from the capture's duration (at most {Timeline.MaxBuckets} bars). Packets out of scope or undecodable are not drawn.");
        if (timeline.BucketCount > 0)
        {
            h.Append("<figure class=\"chart-box\" id=\"figure-packets\">").Append(ReportCharts.PacketTimeline(timeline))
                .Append("<figcaption>Packets allowed (above the line: by a rule, by a connection-tracking entry, or not filtered at all) ")
                .Append("and denied (below the line), by the hop that denied them: <code>sg-outbound</code>, <code>nacl-outbound</code>, ")
                .Append("<code>nacl-inbound</code>, <code>sg-inbound</code>.</figcaption></figure>\n");
            var flows = ReportFigures.FlowsPerInterval(timeline, report.Flows.Records);
            h.Append("<figure class=\"chart-box\" id=\"figure-flows\">").Append(ReportCharts.FlowTimeline(timeline, flows))
                .Append("<figcaption>New flows, by the interval of their first packet and how they ended.</figcaption></figure>\n");
        }
        h.Append("</section>\n");
    }
}
