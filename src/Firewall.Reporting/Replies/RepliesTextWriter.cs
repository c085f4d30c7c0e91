using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Reachability;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Reporting.Answers;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Text;

namespace Firewall.Reporting.Replies;

/// <summary>
/// The <c>firewall replies</c> report for people: one block per denying NACL rule, ending in the rules to
/// add, as YAML to paste or in the syntax a <see cref="FixText"/> chooses.
/// </summary>
public static class RepliesTextWriter
{
    /// <param name="palette">Colours for a terminal (the caller decides); none by default.</param>
    public static void Write(TextWriter o, RunReport report, ReplyDropReport analysis, FixText? fixes = null, TextPalette? palette = null)
    {
        fixes ??= FixText.Yaml;
        var p = palette ?? TextPalette.Plain;
        var input = report.Input;
        var format = input.CaptureFormat is { } f ? $" ({f}{(input.CaptureCompressed ? ", gzip" : "")})" : "";
        o.Write($"Capture  {input.CaptureName}{format}\n");
        o.Write($"Ruleset  {report.Rules.Model.Name} ({input.RulesetPath})\n");
        if (report.Listing is { } listing)
        {
            o.Write($"Listed   {listing.Summary()}\n");
        }
        o.Write('\n');

        var n = analysis.NaclReplyDeniedFlows;
        if (n == 0)
        {
            o.Write($"{p.Paint("No reply dropped by a network ACL", Tone.Good)}: of {CountText.Of(analysis.Flows, "flow")}, none had its requests allowed and its replies denied by a NACL.\n");
        }
        else
        {
            o.Write($"{p.Paint($"{CountText.Of(n, "flow")} of {analysis.Flows}", Tone.Bad)} had their requests allowed and their replies dropped by a network ACL");
            o.Write(analysis.Groups.Count == 1 ? ", all by one rule.\n" : $", by {analysis.Groups.Count} rules.\n");
        }
        if (analysis.OtherReplyDeniedFlows > 0)
        {
            o.Write($"{CountText.Of(analysis.OtherReplyDeniedFlows, "other flow")} had replies dropped by a security group or the tracking table; `firewall check --flows` lists them.\n");
        }

        foreach (var g in analysis.Groups)
        {
            WriteGroup(o, g, fixes, p);
        }
    }

    /// <summary>
    /// <c>firewall replies --ruleset R</c> without a capture: one block per denying NACL rule with the
    /// classes of packets whose requests pass and whose replies it drops, then the same fixes as with traffic,
    /// for every client port and peer of those classes.
    /// </summary>
    public static void Write(TextWriter o, StaticReplyReport analysis, CompiledRuleset rules, string rulesetPath, FixText? fixes = null, TextPalette? palette = null)
    {
        fixes ??= FixText.Yaml;
        var p = palette ?? TextPalette.Plain;
        var answer = analysis.Answer;
        o.Write($"Ruleset  {answer.Ruleset} ({rulesetPath})\n");
        o.Write($"Set      {answer.Set}\n");
        if (analysis.ClientPorts is { } ports)
        {
            o.Write($"Clients  source ports {ports}, the ports clients pick ({string.Join(", ", EphemeralPorts.OfAnyClient.Select(c => $"{c.Text} {c.Range}"))}); name source ports in --set for others\n");
        }
        o.Write('\n');
        var classes = answer.Classes.Count;
        var n = analysis.NaclReplyDenied;
        if (n == 0)
        {
            o.Write($"{p.Paint("No reply dropped by a network ACL", Tone.Good)}: of {CountText.Of(classes, "class", "classes")} of packets, none has its requests allowed and its replies denied by a NACL.\n");
        }
        else
        {
            o.Write($"{p.Paint($"{CountText.Of(n, "class", "classes")} of {classes}", Tone.Bad)} ha{(n == 1 ? "s" : "ve")} {(n == 1 ? "its" : "their")} requests allowed and {(n == 1 ? "its" : "their")} replies dropped by a network ACL");
            o.Write(analysis.Groups.Count == 1 ? ", all by one rule.\n" : $", by {analysis.Groups.Count} rules.\n");
        }
        var other = analysis.OtherReplyDenied;
        if (other > 0)
        {
            o.Write($"{CountText.Of(other, "other class", "other classes")} ha{(other == 1 ? "s its" : "ve their")} replies dropped by a security group; `firewall query` lists {(other == 1 ? "it" : "them")}.\n");
        }

        var text = new AddressSetText(rules);
        foreach (var g in analysis.Groups)
        {
            WriteGroup(o, g, text, fixes, p);
        }
    }

    /// <summary>One denying rule's block: the flows and fixes in numbers, examples, then the fixes.</summary>
    private static void WriteGroup(TextWriter o, ReplyDropGroup g, FixText fixes, TextPalette p)
    {
        WriteHeading(o, g.Rule, g.Position, p);
        var facts = new TextTable(false, false);
        facts.Add("flows", $"{g.Flows}: requests allowed ({CountText.Of(g.RequestsAllowed, "packet")}), {CountText.Of(g.RepliesDropped, "reply", "replies")} dropped");
        foreach (var fix in g.Fixes)
        {
            var family = fix.IsV6 ? "IPv6" : "IPv4";
            var peers = $"{CountText.Of((long)fix.PeerCount, "peer")} ({(fix.Direction == Direction.Outbound ? "clients" : "servers")}) in {string.Join(", ", fix.Peers)}";
            if (fix.PortsSeen is { } seen)
            {
                facts.Add($"{fix.ProtocolName} {family}",
                    $"{CountText.Of(fix.Flows, "flow")}; client ports {seen} ({fix.DistinctPorts} distinct); {peers}");
            }
            else
            {
                facts.Add($"{fix.ProtocolName} {family}", $"{CountText.Of(fix.Flows, "flow")}; {peers}");
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
            o.Write($"    frame {e.FirstFrame}  {IpProtocol.Name(e.Protocol)} {EndpointText.Format(e.Client, e.ClientPort, e.HasPorts)} -> "
                + $"{EndpointText.Format(e.Server, e.ServerPort, e.HasPorts)}  (flow {e.Flow}, {CountText.Of(e.RepliesDropped, "reply", "replies")} dropped)\n");
        }
        foreach (var fix in g.Fixes)
        {
            WriteFix(o, g.Position, fix, "seen", fixes);
        }
    }

    /// <summary>One denying rule's block: the classes in numbers and as a table, then the fixes.</summary>
    private static void WriteGroup(TextWriter o, StaticReplyGroup g, AddressSetText text, FixText fixes, TextPalette p)
    {
        WriteHeading(o, g.Rule, g.Position, p);
        var facts = new TextTable(false, false);
        facts.Add("classes", $"{g.Classes.Count}: requests allowed, replies dropped");
        foreach (var fix in g.Fixes)
        {
            var family = fix.IsV6 ? "IPv6" : "IPv4";
            var peers = $"{(fix.Direction == Direction.Outbound ? "clients" : "servers")} in {string.Join(", ", fix.Peers)}";
            // The client ports exactly (the fix's range covers them, with what lies between).
            var clientPorts = IntervalSet.Of(g.Classes
                .Where(c => c.Packets.Example.Protocol == fix.Protocol && c.Packets.IsV6 == fix.IsV6 && c.Packets.Sets.ContainsKey(Dim.SourcePort))
                .SelectMany(c => c.Packets.Sets[Dim.SourcePort].Intervals));
            facts.Add($"{fix.ProtocolName} {family}", fix.PortsSeen is not null
                ? $"{CountText.Of(fix.Flows, "class", "classes")}; client ports {clientPorts} ({fix.DistinctPorts} ports); {peers}"
                : $"{CountText.Of(fix.Flows, "class", "classes")}; {peers}");
        }
        facts.WriteTo(o, "  ");
        var table = new TextTable(false, false, false, false, false);
        table.Add("service", "from", "source ports", "to", "e.g.");
        foreach (var c in g.Classes.Take(MaxClasses))
        {
            table.Add(AnswerWriter.Service(c.Packets), text.Describe(c.Packets.Sets[Dim.Source], c.Packets.IsV6), AnswerWriter.SourcePorts(c.Packets),
                text.Describe(c.Packets.Sets[Dim.Destination], c.Packets.IsV6), c.Packets.Example.ToString());
        }
        o.Write("  classes\n");
        table.WriteTo(o, "    ");
        if (g.Classes.Count > MaxClasses)
        {
            o.Write($"    and {g.Classes.Count - MaxClasses} more (`--format json` lists them all)\n");
        }
        foreach (var fix in g.Fixes)
        {
            WriteFix(o, g.Position, fix, "of these classes", fixes);
        }
    }

    private const int MaxClasses = 8;

    /// <summary>A group's first line: the NACL rule that drops the replies, where it is, and what it says.</summary>
    private static void WriteHeading(TextWriter o, RuleEntry rule, NaclPosition position, TextPalette p)
    {
        o.Write('\n');
        var where = $"network ACL {position.Acl.Name}, {DirectionText.Name(position.Direction)}";
        o.Write(position.Number is null
            ? $"{p.Heading(rule.Reference)}  ({where}: no rule matched, the implicit deny)\n"
            : $"{p.Heading(rule.Reference)}  ({where}: {rule.Description})\n");
    }

    /// <summary>
    /// The rules that open the reply path (what <c>firewall lint</c> checks) first, then the narrowest
    /// rules that cover only what was seen: a person pastes one or the other.
    /// </summary>
    private static void WriteFix(TextWriter o, NaclPosition position, NaclFix fix, string seen, FixText fixes)
    {
        var where = fixes.Where(fix.Acl, fix.Direction);
        var before = position.Number is { } num ? $"before rule {num}" : "after the existing rules";
        var likely = fix.PortsSeen is not null ? $"; likely client: {LikelyClients.Describe(fix.Client)}" : "";
        if (fix.Path is { } path)
        {
            o.Write($"  fix: {where} ({before}):\n");
            WriteLines(o, fixes.Lines(path.Rules), path.RuleNumbers, position);
            o.Write($"  it opens the reply path of {ReplyPathText.Describe(path, fix.PortsSeen is not null)}; `firewall lint` checks the same\n");
            o.Write($"  narrowest (only the {(fix.PortsSeen is not null ? "ports and peers" : "peers")} {seen}{fix.PeersNote}{likely}):\n");
            WriteLines(o, fixes.Lines(fix.Rules), fix.RuleNumbers, position);
            return;
        }
        var covers = fix.PortsSeen is not null ? $"the ports and peers {seen}" : "these replies";
        o.Write($"  fix: {where} ({before}; covers {covers}{fix.PeersNote}{likely}):\n");
        WriteLines(o, fixes.Lines(fix.Rules), fix.RuleNumbers, position);
    }

    private static void WriteLines(TextWriter o, IReadOnlyList<string> lines, IReadOnlyList<int?> numbers, NaclPosition position)
    {
        if (numbers.Any(n => n is null))
        {
            o.Write($"    no rule number below {position.Number} is free for every line: renumber the rules, then use a number below it for N\n");
        }
        foreach (var line in lines)
        {
            o.Write(line.Length == 0 ? "\n" : $"    {line}\n");
        }
    }
}
