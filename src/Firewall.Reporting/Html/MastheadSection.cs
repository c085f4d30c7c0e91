using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>The page's head: ruleset, capture, time span and the headline counts.</summary>
internal static class MastheadSection
{
    public static void Write(StringBuilder h, RunReport report, RunSummary s, Timeline timeline)
    {
        var input = report.Input;
        var model = report.Rules.Model;
        h.Append("<header class=\"masthead\"><div class=\"wrap\">\n");
        h.Append("<p class=\"kicker\">Firewall report</p>\n");
        h.Append("<h1>").Append(E(model.Name)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(model.Description))
        {
            h.Append("<p class=\"description\">").Append(E(model.Description.Trim())).Append("</p>\n");
        }
        h.Append("<p class=\"meta\">");
        var format = input.CaptureFormat is { } f ? $" ({f}{(input.CaptureCompressed ? ", gzip" : "")}{(input.DecapsulateVxlan ? ", VXLAN unwrapped" : "")})" : "";
        h.Append("<span>capture <code id=\"capture-name\">").Append(E(input.CaptureName)).Append("</code>").Append(E(format)).Append("</span>");
        h.Append("<span>ruleset <code>").Append(E(input.RulesetPath)).Append("</code></span>");
        if (FlowSpan(report.Flows.Records) is { } span)
        {
            h.Append("<span>").Append(E(FieldText.Time(span.First))).Append(" to ").Append(E(FieldText.Time(span.Last)))
                .Append(" (").Append(Duration(span.Last - span.First)).Append(")</span>");
        }
        if (report.Listing is { } listing)
        {
            h.Append("<span id=\"listed\">listed: ").Append(E(listing.Description)).Append(" (the totals count every packet)</span>");
        }
        h.Append("</p>\n<div class=\"stats\">\n");
        Stat(h, "packets", "packets read", s.Packets, null, "");
        Stat(h, "allowed", "allowed", s.Allowed, s.Packets, "good");
        Stat(h, "denied", "denied", s.Denied, s.Packets, s.Denied > 0 ? "bad" : "");
        Stat(h, "skipped", "out of scope", s.Skipped + s.Undecodable, null, "");
        Stat(h, "flows", "flows", s.Flows, null, "");
        Stat(h, "reply-denied", "flows with replies dropped", s.FlowsByOutcome[(int)FlowOutcome.ReplyDenied], null, s.FlowsByOutcome[(int)FlowOutcome.ReplyDenied] > 0 ? "bad" : "");
        Stat(h, "stateful-only", "flows alive only by state", s.StatefulOnlyFlows, null, "");
        h.Append("</div>\n</div></header>\n");
    }

    private static void Stat(StringBuilder h, string id, string label, long value, long? of, string tone)
    {
        h.Append("<div class=\"stat ").Append(tone).Append("\" id=\"stat-").Append(id).Append("\"><span class=\"value\" data-value=\"")
            .Append(value.ToString(C)).Append("\">").Append(N(value)).Append("</span><span class=\"label\">").Append(label);
        if (of is { } whole && whole > 0)
        {
            h.Append(" · <span class=\"share\">").Append(Share(value, whole)).Append("</span>");
        }
        h.Append("</span></div>\n");
    }

    private static (long First, long Last)? FlowSpan(FlowRecords flows)
    {
        if (flows.Length == 0)
        {
            return null;
        }
        long first = long.MaxValue, last = long.MinValue;
        foreach (ref readonly var f in flows)
        {
            first = Math.Min(first, f.FirstTimeNs);
            last = Math.Max(last, f.LastTimeNs);
        }
        return (first, last);
    }

    private static string Duration(long ns)
    {
        var seconds = ns / 1e9;
        return seconds switch
        {
            < 1 => $"{(seconds * 1000).ToString("0.#", C)} ms",
            < 120 => $"{seconds.ToString("0.##", C)} s",
            < 7200 => $"{(seconds / 60).ToString("0.#", C)} min",
            < 172800 => $"{(seconds / 3600).ToString("0.#", C)} h",
            _ => $"{(seconds / 86400).ToString("0.#", C)} days",
        };
    }
}
