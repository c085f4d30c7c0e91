using System.Globalization;
using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Replies;

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
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(RunReport report, Timeline timeline, HtmlReportOptions options)
    {
        var s = RunSummary.Of(report);
        var h = new StringBuilder(256 * 1024);
        var input = report.Input;
        var name = report.Rules.Model.Name;

        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        h.Append("<meta name=\"generator\" content=\"firewall report\" />\n");
        h.Append("<title>Firewall report: ").Append(E(name)).Append(" · ").Append(E(Path.GetFileName(input.CaptureName))).Append("</title>\n");
        h.Append("<style>/*<![CDATA[*/\n").Append(PageAssets.Css).Append("/*]]>*/</style>\n</head>\n<body>\n");

        Masthead(h, report, s, timeline);
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

        Totals(h, s);
        TimelineSection(h, report, timeline);
        Replies(h, report);
        Stateful(h, report, s);
        Talkers(h, report, options);
        RuleHits(h, report, s);
        Flows(h, report, options);
        AssumptionsSection(h, report);

        h.Append("</main>\n<footer class=\"wrap\"><p>Written by <code>firewall report</code> from the capture's own timestamps; ")
            .Append("the same run as <code>firewall check</code> with the same options. References such as <code>nacl:NAME:inbound:100</code> ")
            .Append("are those of every other output.</p></footer>\n");
        h.Append("<script>//<![CDATA[\n").Append(PageAssets.Script).Append("//]]></script>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Masthead(StringBuilder h, RunReport report, RunSummary s, Timeline timeline)
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

    private static void Totals(StringBuilder h, RunSummary s)
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
                h.Append("<tr><td><code>").Append(E(c.Rule.Reference)).Append("</code></td><td class=\"num\">").Append(N(c.Packets))
                    .Append("</td><td class=\"num\">").Append(N(c.Flows)).Append("</td><td>").Append(E(c.Rule.Description)).Append("</td></tr>\n");
            }
            h.Append("</tbody></table>\n");
        }
        h.Append("</section>\n");
    }

    private static void TimelineSection(StringBuilder h, RunReport report, Timeline timeline)
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

    private static void Replies(StringBuilder h, RunReport report)
    {
        // The same analysis as `firewall replies`.
        var analysis = ReplyDropAnalysis.Analyze(report.Rules, report.Catalog, report.Flows.Records);
        var n = analysis.NaclReplyDeniedFlows;
        Section(h, "replies", "Replies dropped by network ACLs",
            n == 0
                ? $"No reply was dropped by a network ACL: of {Count(analysis.Flows, "flow")}, none had its requests allowed and its replies denied by a NACL."
                : $"{Count(n, "flow")} of {N(analysis.Flows)} had their requests allowed and their replies dropped by a network ACL"
                  + (analysis.Groups.Count == 1 ? ", all by one rule." : $", by {analysis.Groups.Count} rules.")
                  + " Network ACLs are stateless: replies need rules of their own. Each block ends in the rule to add (as <code>firewall replies</code> prints it).");
        if (analysis.OtherReplyDeniedFlows > 0)
        {
            h.Append("<p>").Append(Count(analysis.OtherReplyDeniedFlows, "other flow"))
                .Append(" had replies dropped by a security group or the tracking table; the flow table below lists them.</p>\n");
        }
        foreach (var g in analysis.Groups)
        {
            h.Append("<article class=\"card reply-drop\">\n<h3><code>").Append(E(g.Rule.Reference)).Append("</code></h3>\n");
            var where = $"network ACL {g.Position.Acl.Name}, {DirectionText.Name(g.Position.Direction)}";
            h.Append("<p class=\"where\">").Append(E(where)).Append(": ")
                .Append(g.Position.Number is null ? "no rule matched, the implicit deny" : E(g.Rule.Description)).Append("</p>\n");
            h.Append("<ul class=\"facts\">\n<li>").Append(Count(g.Flows, "flow")).Append(": requests allowed (").Append(Count(g.RequestsAllowed, "packet"))
                .Append("), ").Append(Count(g.RepliesDropped, "reply", "replies")).Append(" dropped</li>\n");
            foreach (var fix in g.Fixes)
            {
                var family = fix.IsV6 ? "IPv6" : "IPv4";
                var peers = $"{Count((long)fix.PeerCount, "peer")} ({(fix.Direction == Direction.Outbound ? "clients" : "servers")}) in {string.Join(", ", fix.Peers)}";
                h.Append("<li>").Append(E(fix.ProtocolName)).Append(' ').Append(family).Append(": ").Append(Count(fix.Flows, "flow"));
                if (fix.PortsSeen is { } seen)
                {
                    h.Append("; client ports ").Append(E(seen.ToString())).Append(" (").Append(fix.DistinctPorts).Append(" distinct)");
                }
                h.Append("; ").Append(E(peers)).Append("</li>\n");
            }
            h.Append("<li>").Append(g.StatefulOnlyFlows > 0
                ? $"{g.StatefulOnlyFlows} of {g.Flows} pass the security group only because it is stateful: without tracking, {E(string.Join(", ", g.StatelessDeniedBy))} would drop their replies as well"
                : "the security groups on the path would pass these replies even without tracking: the NACL alone drops them").Append("</li>\n</ul>\n");
            h.Append("<p class=\"examples-title\">Examples</p><ul class=\"examples\">\n");
            foreach (var e in g.Examples)
            {
                h.Append("<li>frame ").Append(e.FirstFrame).Append(" <code>").Append(E(IpProtocol.Name(e.Protocol))).Append(' ')
                    .Append(E(EndpointText.Format(e.Client, e.ClientPort, e.HasPorts))).Append(" → ")
                    .Append(E(EndpointText.Format(e.Server, e.ServerPort, e.HasPorts))).Append("</code> (flow ").Append(e.Flow).Append(", ")
                    .Append(Count(e.RepliesDropped, "reply", "replies")).Append(" dropped)</li>\n");
            }
            h.Append("</ul>\n");
            foreach (var fix in g.Fixes)
            {
                var before = g.Position.Number is { } num ? $"before rule {num}" : "after the existing rules";
                var target = $"network_acls.{fix.Acl}.{DirectionText.Name(fix.Direction)}";
                if (fix.Path is { } path)
                {
                    h.Append("<p class=\"fix-title\">Fix: add to <code>").Append(E(target)).Append("</code> (").Append(E(before)).Append(")</p>\n");
                    FixLines(h, path.Yaml, path.RuleNumbers, g);
                    h.Append("<p class=\"client\">It opens the reply path of ").Append(E(ReplyPathText.Describe(path, fix.PortsSeen is not null)))
                        .Append("; <code>firewall lint</code> checks the same.</p>\n");
                    h.Append("<p class=\"fix-title\">Narrowest: only the ").Append(fix.PortsSeen is not null ? "ports and peers" : "peers").Append(" seen")
                        .Append(E(fix.PeersNote)).Append("</p>\n");
                }
                else
                {
                    var covers = fix.PortsSeen is not null ? "the ports and peers seen" : "these replies";
                    h.Append("<p class=\"fix-title\">Fix: add to <code>").Append(E(target)).Append("</code> (").Append(E(before)).Append("; covers ").Append(covers)
                        .Append(E(fix.PeersNote)).Append(")</p>\n");
                }
                FixLines(h, fix.Yaml, fix.RuleNumbers, g);
                if (fix.PortsSeen is not null)
                {
                    h.Append("<p class=\"client\">Likely client: ").Append(E(LikelyClients.Describe(fix.Client))).Append(".</p>\n");
                }
            }
            h.Append("</article>\n");
        }
        h.Append("</section>\n");
    }

    private static void Stateful(StringBuilder h, RunReport report, RunSummary s)
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

    private static void Talkers(StringBuilder h, RunReport report, HtmlReportOptions options)
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

    private static void RuleHits(StringBuilder h, RunReport report, RunSummary s)
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
                h.Append("<tr><td><code>").Append(E(c.Rule.Reference)).Append("</code></td><td class=\"num\">").Append(N(c.Packets)).Append("</td><td class=\"num\">")
                    .Append(N(c.Flows)).Append("</td><td>").Append(E(c.Rule.Description)).Append("</td></tr>\n");
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

    private static void Flows(StringBuilder h, RunReport report, HtmlReportOptions options)
    {
        var flows = report.Flows.Records;
        var selection = ReportFigures.SelectFlows(flows, options.MaxFlowRows);
        var references = report.Rules.Rules;
        Section(h, "flows", "Flows",
            selection.LeftOut == 0
                ? $"All {Count(flows.Length, "flow")}, in order of appearance. With scripts on, type to filter and click a heading to sort."
                : $"{N(selection.Ids.Count)} of {N(flows.Length)} flows: those with a denied packet first, then allowed ones, shown in order of appearance. With scripts on, type to filter and click a heading to sort.");
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

    private static void AssumptionsSection(StringBuilder h, RunReport report)
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

    private static void Section(StringBuilder h, string id, string title, string lead)
    {
        // `lead` is written by this class; the parts of it that come from input are escaped by the caller.
        h.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(title).Append("</h2>\n<p class=\"lead\">").Append(lead).Append("</p>\n");
    }

    private static void Row(StringBuilder h, string label, long value, string note, string? cls = null)
    {
        h.Append("<tr").Append(cls is null ? "" : $" class=\"{cls}\"").Append("><th scope=\"row\">").Append(E(label)).Append("</th><td class=\"num\">")
            .Append(N(value)).Append("</td><td class=\"remark\">").Append(E(note)).Append("</td></tr>\n");
    }

    private static string FlowText(in FlowRecord f)
    {
        var ports = FieldText.FlowHasPorts(in f);
        return $"{IpProtocol.Name(f.Key.Protocol)} {EndpointText.Format(f.Client, f.ClientPort, ports)} → {EndpointText.Format(f.Server, f.ServerPort, ports)}";
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

    private static string E(string? text) => HtmlText.Escape(text);

    private static string N(long value) => value.ToString("N0", C);

    private static string Share(long part, long whole) => whole == 0 ? "" : $"{(100.0 * part / whole).ToString("0.0", C)}%";

    private static string Count(long n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{N(n)} {plural ?? singular + "s"}";

    private static void FixLines(System.Text.StringBuilder h, IReadOnlyList<string> lines, IReadOnlyList<int?> numbers, ReplyDropGroup g)
    {
        if (numbers.Any(n => n is null))
        {
            h.Append("<p class=\"warning\">No rule number below ").Append(g.Position.Number).Append(" is free for every line: renumber the rules, then use a number below it for N.</p>\n");
        }
        h.Append("<pre class=\"fix\"><code>").Append(E(string.Join("\n", lines))).Append("</code></pre>\n");
    }
}
