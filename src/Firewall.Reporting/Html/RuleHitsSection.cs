using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Model;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>Packets and flows each rule decided, in ruleset order, per group and ACL.</summary>
internal static class RuleHitsSection
{
    public static void Write(StringBuilder h, RunReport report, RunSummary s)
    {
        var model = report.Rules.Model;
        var hits = s.RuleHits.ToDictionary(c => c.Rule.Reference);
        var max = Math.Max(1, s.RuleHits.Select(c => c.Packets).DefaultIfEmpty(0).Max());
        var never = s.RuleHits.Count(c => c.Packets == 0);
        Section(h, "rules", "Rule hits",
            $"Packets and flows each rule decided at some hop, in ruleset order. {Count(never, "rule")} of {s.RuleHits.Count} never decided a packet"
            + (never switch { 0 => ".", 1 => ": it is marked, a candidate for review.", _ => ": they are marked, candidates for review." }));

        foreach (var group in model.SecurityGroups)
        {
            var rows = ReportFigures.GroupHits(group, hits);
            var carriers = model.Interfaces.Where(i => i.SecurityGroups.Contains(group.Name)).Select(i => i.Name).ToList();
            h.Append("<h3>Security group <code>").Append(E(group.Name)).Append("</code>");
            h.Append(carriers.Count == 0 ? " <span class=\"muted\">(on no interface)</span>" : $" <span class=\"muted\">on {E(string.Join(", ", carriers))}</span>");
            h.Append("</h3>\n");
            if (!string.IsNullOrWhiteSpace(group.Description))
            {
                h.Append("<p class=\"muted\">").Append(E(group.Description.Trim())).Append("</p>\n");
            }
            RuleTable(h, "sg-" + Id(group.Name), rows.Select(r => (r.Hits, DirectionText.Name(r.Rule.Direction), r.Rule.Id)), max);
        }
        foreach (var acl in report.Catalog.RulesetRules.Where(e => e.Nacl is not null).GroupBy(e => e.Nacl!.Acl.Name))
        {
            var subnets = model.Subnets.Where(n => n.NetworkAcl == acl.Key).Select(n => n.Name).ToList();
            h.Append("<h3>Network ACL <code>").Append(E(acl.Key)).Append("</code>");
            h.Append(subnets.Count == 0 ? "" : $" <span class=\"muted\">on {E(string.Join(", ", subnets))}</span>");
            h.Append("</h3>\n");
            RuleTable(h, "nacl-" + Id(acl.Key),
                acl.Select(e => (hits[e.Reference], DirectionText.Name(e.Nacl!.Direction), e.Nacl.Number is { } n ? n.ToString(C) : "*")), max);
        }
        if (s.EngineHits.Count > 0)
        {
            h.Append("<h3>Decided by the engine</h3>\n<table class=\"data\" id=\"engine-hits\"><thead><tr><th>reference</th><th class=\"num\">packets</th>")
                .Append("<th class=\"num\">flows</th><th>what it is</th></tr></thead><tbody>\n");
            foreach (var c in s.EngineHits)
            {
                RuleCountRow(h, c);
            }
            h.Append("</tbody></table>\n");
        }
        h.Append("</section>\n");
    }

    private static void RuleTable(StringBuilder h, string id, IEnumerable<(RuleCount Hits, string Direction, string Number)> rows, long max)
    {
        h.Append("<table class=\"data rule-hits\" id=\"hits-").Append(id).Append("\"><thead><tr><th>direction</th><th class=\"num\">rule</th><th>match</th>")
            .Append("<th class=\"num\">packets</th><th class=\"num\">flows</th><th class=\"bar-col\">share of the busiest rule</th></tr></thead><tbody>\n");
        foreach (var (c, direction, number) in rows)
        {
            var neverHit = c.Packets == 0;
            h.Append(neverHit ? "<tr class=\"never-hit\">" : "<tr>").Append("<td>").Append(direction).Append("</td><td class=\"num\">").Append(E(number))
                .Append("</td><td>").Append(E(c.Rule.Description)).Append(" <code class=\"ref\">").Append(E(c.Rule.Reference)).Append("</code>");
            if (neverHit)
            {
                h.Append(" <span class=\"badge never\">never hit</span>");
            }
            h.Append("</td><td class=\"num\">").Append(N(c.Packets)).Append("</td><td class=\"num\">").Append(N(c.Flows)).Append("</td><td class=\"bar-col\">");
            var width = 100.0 * c.Packets / max;
            // The share is also the fill's text (hidden by CSS) so that the bar is never an empty element.
            var share = width.ToString("0.#", C) + "%";
            h.Append("<span class=\"bar").Append(c.Rule.Denies ? " deny" : "").Append("\"><span style=\"width:")
                .Append(share).Append("\">").Append(share).Append("</span></span></td></tr>\n");
        }
        h.Append("</tbody></table>\n");
    }

    /// <summary>An id-safe form of a name (ids must not hold spaces; names are YAML keys and may).</summary>
    private static string Id(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        return sb.ToString();
    }
}
