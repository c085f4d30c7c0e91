using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Text;

namespace Firewall.Reporting.Replies;

/// <summary>The <c>firewall replies</c> report for people: one block per denying NACL rule, ending in the YAML to paste.</summary>
public static class RepliesTextWriter
{
    public static void Write(TextWriter o, RunReport report, ReplyDropReport analysis)
    {
        var input = report.Input;
        var format = input.CaptureFormat is { } f ? $" ({f}{(input.CaptureCompressed ? ", gzip" : "")})" : "";
        o.Write($"Capture  {input.CaptureName}{format}\n");
        o.Write($"Ruleset  {report.Rules.Model.Name} ({input.RulesetPath})\n\n");

        var n = analysis.NaclReplyDeniedFlows;
        if (n == 0)
        {
            o.Write($"No reply dropped by a network ACL: of {Count(analysis.Flows, "flow")}, none had its requests allowed and its replies denied by a NACL.\n");
        }
        else
        {
            o.Write($"{Count(n, "flow")} of {analysis.Flows} had their requests allowed and their replies dropped by a network ACL");
            o.Write(analysis.Groups.Count == 1 ? ", all by one rule.\n" : $", by {analysis.Groups.Count} rules.\n");
        }
        if (analysis.OtherReplyDeniedFlows > 0)
        {
            o.Write($"{Count(analysis.OtherReplyDeniedFlows, "other flow")} had replies dropped by a security group or the tracking table; `firewall check --flows` lists them.\n");
        }

        foreach (var g in analysis.Groups)
        {
            o.Write('\n');
            var where = $"network ACL {g.Position.Acl.Name}, {DirectionText.Name(g.Position.Direction)}";
            o.Write(g.Position.Number is null
                ? $"{g.Rule.Reference}  ({where}: no rule matched, the implicit deny)\n"
                : $"{g.Rule.Reference}  ({where}: {g.Rule.Description})\n");
            var facts = new TextTable(false, false);
            facts.Add("flows", $"{g.Flows}: requests allowed ({Count(g.RequestsAllowed, "packet")}), {Count(g.RepliesDropped, "reply", "replies")} dropped");
            foreach (var fix in g.Fixes)
            {
                var family = fix.IsV6 ? "IPv6" : "IPv4";
                var peers = $"{Count(fix.PeerCount, "peer")} ({(fix.Direction == Direction.Outbound ? "clients" : "servers")}) in {string.Join(", ", fix.Peers)}";
                if (fix.PortsSeen is { } seen)
                {
                    facts.Add($"{IpProtocol.Name(fix.Protocol)} {family}",
                        $"{Count(fix.Flows, "flow")}; client ports {seen} ({fix.DistinctPorts} distinct); {peers}");
                }
                else
                {
                    facts.Add($"{IpProtocol.Name(fix.Protocol)} {family}", $"{Count(fix.Flows, "flow")}; {peers}");
                }
            }
            if (g.StatefulOnlyFlows > 0)
            {
                facts.Add("stateful", $"{g.StatefulOnlyFlows} of {g.Flows} pass{(g.StatefulOnlyFlows == 1 ? "es" : "")} the security group only because it is stateful: "
                    + $"without tracking, {string.Join(", ", g.StatelessDeniedBy)} would drop their replies as well");
            }
            else
            {
                facts.Add("stateful", "the security groups on the path would pass these replies even without tracking: the NACL alone drops them");
            }
            facts.WriteTo(o, "  ");
            o.Write("  examples\n");
            foreach (var e in g.Examples)
            {
                o.Write($"    frame {e.FirstFrame}  {IpProtocol.Name(e.Protocol)} {TextReportWriter.Endpoint(e.Client, e.ClientPort, e.HasPorts)} -> "
                    + $"{TextReportWriter.Endpoint(e.Server, e.ServerPort, e.HasPorts)}  (flow {e.Flow}, {Count(e.RepliesDropped, "reply", "replies")} dropped)\n");
            }
            foreach (var fix in g.Fixes)
            {
                WriteFix(o, g, fix);
            }
        }
    }

    /// <summary>
    /// The rules that open the reply path (what <c>firewall lint</c> checks) first, then the narrowest
    /// rules that cover only what was seen: a person pastes one or the other.
    /// </summary>
    private static void WriteFix(TextWriter o, ReplyDropGroup g, NaclFix fix)
    {
        var where = $"network_acls.{fix.Acl}.{DirectionText.Name(fix.Direction)}";
        var before = g.Position.Number is { } num ? $"before rule {num}" : "after the existing rules";
        var likely = fix.PortsSeen is not null ? $"; likely client: {ReplyDropAnalysis.Describe(fix.Client)}" : "";
        if (fix.Path is { } path)
        {
            o.Write($"  fix: add to {where} ({before}):\n");
            WriteLines(o, path.Yaml, path.RuleNumbers, g);
            o.Write($"  it opens the reply path of {ReplyPathText.Describe(path, fix.PortsSeen is not null)}; `firewall lint` checks the same\n");
            o.Write($"  narrowest (only the {(fix.PortsSeen is not null ? "ports and peers" : "peers")} seen{fix.PeersNote}{likely}):\n");
            WriteLines(o, fix.Yaml, fix.RuleNumbers, g);
            return;
        }
        var covers = fix.PortsSeen is not null ? "the ports and peers seen" : "these replies";
        o.Write($"  fix: add to {where} ({before}; covers {covers}{fix.PeersNote}{likely}):\n");
        WriteLines(o, fix.Yaml, fix.RuleNumbers, g);
    }

    private static void WriteLines(TextWriter o, IReadOnlyList<string> lines, IReadOnlyList<int?> numbers, ReplyDropGroup g)
    {
        if (numbers.Any(n => n is null))
        {
            o.Write($"    no rule number below {g.Position.Number} is free for every line: renumber the rules, then use a number below it for N\n");
        }
        foreach (var line in lines)
        {
            o.Write($"    {line}\n");
        }
    }

    private static string Count(long n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{n} {plural ?? singular + "s"}";
}
