using System.Text;
using System.Text.Json;
using Firewall.Analysis.Reachability;
using Firewall.Engine.Compilation;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Json;

namespace Firewall.Reporting.Answers;

/// <summary>
/// Writes the answers about all packets: text a person reads at a glance (the classes grouped by
/// destination and service, one row per set of sources), or JSON with one object per class.
/// </summary>
public static class AnswerWriter
{
    // ---- query ----

    /// <summary>
    /// One section per destination; in it one row per class: service, sources, source ports, outcome and the
    /// deciding rules, what passes first. Classes AWS does not filter (its DNS, metadata and time services,
    /// DHCP) are one line per service at the end of the section.
    /// </summary>
    public static void WriteText(TextWriter o, QueryAnswer answer, CompiledRuleset rules, string rulesetPath)
    {
        o.Write($"Ruleset  {answer.Ruleset} ({rulesetPath})\n");
        o.Write($"Set      {answer.Set}\n");
        o.Write(Totals(answer.Classes.Select(c => c.Outcome.Outcome).ToList()) + "\n");
        var text = new AddressSetText(rules);
        foreach (var section in answer.Classes.GroupBy(c => Destination(c.Packets, text)))
        {
            o.Write($"\nto {section.Key}\n");
            var notFiltered = section.Where(c => c.Outcome.RequestRule?.StartsWith("bypass:", StringComparison.Ordinal) == true).ToList();
            var denied = section.Except(notFiltered).Where(c => c.Outcome.Outcome == "request-denied").ToList();
            var rows = section.Except(notFiltered).Except(denied)
                .OrderBy(c => ProtocolOrder(c.Packets)).ThenBy(c => FirstValue(c.Packets, Dim.DestinationPort, Dim.IcmpType))
                .ThenBy(c => OutcomeOrder(c.Outcome.Outcome)).ThenBy(c => FirstValue(c.Packets, Dim.Source, Dim.Source))
                .ToList();
            if (rows.Count > 0)
            {
                var table = new TextTable(false, false, false, false, false, false, false);
                table.Add("service", "from", "source ports", "outcome", "stateless", "request rule", "reply rule");
                foreach (var c in rows)
                {
                    table.Add(Service(c.Packets), text.Describe(c.Packets.Sets[Dim.Source], c.Packets.IsV6), SourcePorts(c.Packets),
                        c.Outcome.Outcome, c.Outcome.StatelessOutcome, c.Outcome.RequestRule ?? "-", c.Outcome.ReplyRule ?? "-");
                }
                table.WriteTo(o, "  ");
            }
            // What the requests never pass: one line per deciding rule and sources, its services together.
            foreach (var byRule in denied.GroupBy(c => (c.Outcome.RequestRule, From: text.Describe(c.Packets.Sets[Dim.Source], c.Packets.IsV6))))
            {
                var ports = byRule.All(c => c.Packets.SourcePorts is null || SourcePorts(c.Packets) == "any") ? "" : " (some source ports only: --format json lists each class)";
                o.Write($"  request-denied by {byRule.Key.RequestRule}: {Services(byRule.Select(c => c.Packets))} from {byRule.Key.From}{ports}\n");
            }
            foreach (var byRule in notFiltered.GroupBy(c => c.Outcome.RequestRule))
            {
                var sources = byRule.Select(c => text.Describe(c.Packets.Sets[Dim.Source], c.Packets.IsV6)).Distinct();
                var services = byRule.Select(c => Service(c.Packets)).Distinct().ToList();
                o.Write($"  not filtered by AWS ({byRule.Key}), allowed: from {string.Join(", ", sources)}, {(services.Count <= 3 ? string.Join(", ", services) : $"{services.Count} services")}\n");
            }
        }
    }

    public static void WriteJson(Stream output, QueryAnswer answer)
    {
        using var json = new JsonOutput(output, indented: true);
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("ruleset", answer.Ruleset);
        w.WriteString("set", answer.Set);
        w.WriteStartArray("classes");
        foreach (var c in answer.Classes)
        {
            WriteClass(w, c);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        json.WriteNewline();
    }

    // ---- static diff ----

    /// <summary>One section per destination; per class its service, sources and source ports, then what the old and the new ruleset give it, and an example.</summary>
    /// <param name="palette">Colours for a terminal (the caller decides); none by default.</param>
    public static void WriteText(TextWriter o, DiffAnswer diff, CompiledRuleset old, string oldPath, string newPath, TextPalette? palette = null)
    {
        var p = palette ?? TextPalette.Plain;
        string Outcome(ClassOutcome side) => $"{p.Paint(side.Outcome, side.Outcome == "allowed" ? Tone.Good : Tone.Bad)} (stateless {side.StatelessOutcome})";
        o.Write($"Old      {diff.OldRuleset} ({oldPath})\n");
        o.Write($"New      {diff.NewRuleset} ({newPath})\n");
        o.Write($"Set      {diff.Set}\n");
        o.Write(DiffSummary(diff) + "\n");
        var text = new AddressSetText(old);
        foreach (var section in diff.Classes.GroupBy(c => Destination(c.Packets, text)))
        {
            o.Write($"\n{p.Heading($"to {section.Key}")}\n");
            var table = new TextTable(false, false, false, false, false, false, false);
            table.Add("service", "from", "source ports", "", "outcome", "request rule", "reply rule");
            foreach (var c in section.OrderBy(c => ProtocolOrder(c.Packets)).ThenBy(c => FirstValue(c.Packets, Dim.DestinationPort, Dim.IcmpType)))
            {
                table.Add(Service(c.Packets), text.Describe(c.Packets.Sets[Dim.Source], c.Packets.IsV6), SourcePorts(c.Packets),
                    "old", Outcome(c.Old), c.Old.RequestRule ?? "-", c.Old.ReplyRule ?? "-");
                table.Add("", "", "", "new", Outcome(c.New), c.New.RequestRule ?? "-", c.New.ReplyRule ?? "-");
                table.Add("", "", "", "e.g.", c.Packets.Example.ToString(), "", "");
            }
            table.WriteTo(o, "  ");
        }
    }

    public static void WriteJson(Stream output, DiffAnswer diff)
    {
        using var json = new JsonOutput(output, indented: true);
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteString("old_ruleset", diff.OldRuleset);
        w.WriteString("new_ruleset", diff.NewRuleset);
        w.WriteString("set", diff.Set);
        w.WriteStartArray("classes");
        foreach (var c in diff.Classes)
        {
            w.WriteStartObject();
            WritePackets(w, c.Packets);
            w.WriteStartObject("old");
            WriteOutcome(w, c.Old);
            w.WriteEndObject();
            w.WriteStartObject("new");
            WriteOutcome(w, c.New);
            w.WriteEndObject();
            w.WriteString("example", c.Packets.Example.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        json.WriteNewline();
    }

    /// <summary>"No packet of the set gets another outcome or deciding rule." or "3 classes of packets differ: 1 newly blocked, ...".</summary>
    public static string DiffSummary(DiffAnswer diff)
    {
        if (diff.Classes.Count == 0)
        {
            return "No packet of the set gets another outcome or deciding rule.";
        }
        var blocked = diff.Classes.Count(c => c.Old.Outcome == "allowed" && c.New.Outcome != "allowed");
        var allowed = diff.Classes.Count(c => c.Old.Outcome != "allowed" && c.New.Outcome == "allowed");
        var other = diff.Classes.Count - blocked - allowed;
        return $"{CountText.Of(diff.Classes.Count, "class", "classes")} of packets differ: {blocked} newly blocked, {allowed} newly allowed, {other} otherwise changed";
    }

    /// <summary>A class of a query as one object: its packets, its outcome and an example.</summary>
    internal static void WriteClass(Utf8JsonWriter w, QueryClass c)
    {
        w.WriteStartObject();
        WritePackets(w, c.Packets);
        WriteOutcome(w, c.Outcome);
        w.WriteString("example", c.Packets.Example.ToString());
        w.WriteEndObject();
    }

    internal static void WritePackets(Utf8JsonWriter w, AnswerClass p)
    {
        w.WriteString("protocol", p.Protocol);
        JsonArrays.WriteStringsOrNull(w, "sources", p.Sources);
        JsonArrays.WriteStringsOrNull(w, "source_ports", p.SourcePorts);
        JsonArrays.WriteStringsOrNull(w, "destinations", p.Destinations);
        JsonArrays.WriteStringsOrNull(w, "ports", p.Ports);
        WriteNumberOrText(w, "icmp_type", p.IcmpType);
        WriteNumberOrText(w, "icmp_code", p.IcmpCode);
    }

    internal static void WriteOutcome(Utf8JsonWriter w, ClassOutcome o)
    {
        w.WriteString("outcome", o.Outcome);
        w.WriteString("stateless_outcome", o.StatelessOutcome);
        w.WriteString("request_rule", o.RequestRule);
        w.WriteString("reply_rule", o.ReplyRule);
    }

    /// <summary>One ICMP type or code as a number; several as their ranges in a string; null for all of them.</summary>
    private static void WriteNumberOrText(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else if (int.TryParse(value, out var n))
        {
            w.WriteNumber(name, n);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string Destination(AnswerClass p, AddressSetText text) => text.Describe(p.Sets[Dim.Destination], p.IsV6);

    /// <summary>Several classes' services by protocol: "tcp 22,80, udp any port, icmp type 1-7,9-255, protocols 0,2-5".</summary>
    private static string Services(IEnumerable<AnswerClass> classes)
    {
        var parts = new List<string>();
        foreach (var byProtocol in classes.GroupBy(c => c.Protocol).OrderBy(g => ProtocolOrder(g.First())))
        {
            var first = byProtocol.First();
            if (first.Ports is not null)
            {
                var ports = IntervalSet.Of(byProtocol.SelectMany(c => c.Sets[Dim.DestinationPort].Intervals));
                parts.Add($"{byProtocol.Key} {(ports.Count == 65535 ? "any port" : ports.ToString())}");
            }
            else if (first.IcmpType is not null || first.Sets.ContainsKey(Dim.IcmpType))
            {
                var types = IntervalSet.Of(byProtocol.SelectMany(c => c.Sets.TryGetValue(Dim.IcmpType, out var t) ? t.Intervals : [new Interval(0, 255)]));
                parts.Add(types.Count == 256 ? byProtocol.Key : $"{byProtocol.Key} type {types}");
            }
            else
            {
                parts.Add(byProtocol.Key.Any(char.IsLetter) ? byProtocol.Key : $"protocol{(byProtocol.Key.Any(ch => ch is ',' or '-') ? "s" : "")} {byProtocol.Key}");
            }
        }
        return string.Join(", ", parts);
    }

    /// <summary>The protocol with its ports or ICMP type and code: "tcp 443", "udp any port", "icmp type 8", "47".</summary>
    internal static string Service(AnswerClass p)
    {
        var service = new StringBuilder(p.Protocol);
        if (p.Ports is { } ports)
        {
            service.Append(' ').Append(ports.Count == 1 && ports[0] == "1-65535" ? "any port" : string.Join(",", ports));
        }
        if (p.IcmpType is { } type)
        {
            service.Append(" type ").Append(type);
        }
        if (p.IcmpCode is { } code)
        {
            service.Append(" code ").Append(code);
        }
        return service.ToString();
    }

    private static int ProtocolOrder(AnswerClass p) => p.Protocol switch
    {
        "tcp" => 0,
        "udp" => 1,
        "icmp" => 2,
        "icmpv6" => 3,
        _ => 4,
    };

    private static UInt128 FirstValue(AnswerClass p, Dim dim, Dim otherwise) =>
        p.Sets.TryGetValue(dim, out var set) || p.Sets.TryGetValue(otherwise, out set) ? set.Intervals[0].Lo : 0;

    private static int OutcomeOrder(string outcome) => outcome switch
    {
        "allowed" => 0,
        "reply-denied" => 1,
        "partially-denied" => 2,
        "request-denied" => 3,
        _ => 4,
    };

    internal static string SourcePorts(AnswerClass p) =>
        p.SourcePorts is not { } ports ? "-" : ports.Count == 1 && ports[0] == "1-65535" ? "any" : string.Join(",", ports);

    private static string Totals(IReadOnlyList<string> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return "The set holds no packet.";
        }
        var parts = outcomes.GroupBy(o => o).OrderBy(g => OutcomeOrder(g.Key)).Select(g => $"{g.Count()} {g.Key}");
        return $"{CountText.Of(outcomes.Count, "class", "classes")} of packets: {string.Join(", ", parts)}";
    }
}
