using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Reporting.Replies;
using static Firewall.Reporting.Html.HtmlMarkup;

namespace Firewall.Reporting.Html;

/// <summary>Replies dropped by network ACLs: the same analysis and fixes as <c>firewall replies</c>.</summary>
internal static class ReplyDropsSection
{
    public static void Write(StringBuilder h, RunReport report)
    {
        // The same analysis as `firewall replies`.
        var analysis = ReplyDropAnalysis.Analyze(report);
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
            Group(h, g);
        }
        h.Append("</section>\n");
    }

    /// <summary>A group's card: the rule, the flows and fixes in numbers, examples, then the fixes.</summary>
    private static void Group(StringBuilder h, ReplyDropGroup g)
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
        Fixes(h, g);
        h.Append("</article>\n");
    }

    /// <summary>Per fix, the rules that open the reply path (when known), then the narrowest rules, as <c>firewall replies</c> prints them.</summary>
    private static void Fixes(StringBuilder h, ReplyDropGroup g)
    {
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
    }

    private static void FixLines(StringBuilder h, IReadOnlyList<string> lines, IReadOnlyList<int?> numbers, ReplyDropGroup g)
    {
        if (numbers.Any(n => n is null))
        {
            h.Append("<p class=\"warning\">No rule number below ").Append(g.Position.Number).Append(" is free for every line: renumber the rules, then use a number below it for N.</p>\n");
        }
        h.Append("<pre class=\"fix\"><code>").Append(E(string.Join("\n", lines))).Append("</code></pre>\n");
    }
}
