using System.Text.Json;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Reporting.Answers;
using Firewall.Reporting.Json;

namespace Firewall.Reporting.Replies;

/// <summary>The <c>firewall replies</c> report as one JSON document (docs/output-fields.md, "replies").</summary>
public static class RepliesJsonWriter
{
    public static void Write(Stream output, RunReport report, ReplyDropReport analysis, FixText? fixes = null)
    {
        using var json = new JsonOutput(output, indented: true);
        var w = json.Writer;
        w.WriteStartObject();
        w.WriteStartObject("input");
        JsonRecords.WriteInput(w, report);
        w.WriteEndObject();
        w.WriteNumber("flows", analysis.Flows);
        w.WriteNumber("nacl_reply_denied_flows", analysis.NaclReplyDeniedFlows);
        w.WriteNumber("other_reply_denied_flows", analysis.OtherReplyDeniedFlows);
        w.WriteStartArray("groups");
        foreach (var g in analysis.Groups)
        {
            w.WriteStartObject();
            WriteRule(w, g.Rule, g.Position);
            w.WriteNumber("flows", g.Flows);
            w.WriteNumber("requests_allowed", g.RequestsAllowed);
            w.WriteNumber("replies_dropped", g.RepliesDropped);
            w.WriteNumber("stateful_only_flows", g.StatefulOnlyFlows);
            JsonArrays.WriteStrings(w, "stateless_denied_by", g.StatelessDeniedBy);
            w.WriteStartArray("examples");
            foreach (var e in g.Examples)
            {
                w.WriteStartObject();
                w.WriteNumber("flow", e.Flow);
                w.WriteNumber("first_frame", e.FirstFrame);
                w.WriteString("proto", IpProtocol.Name(e.Protocol));
                w.WriteString("client", e.Client.ToString());
                if (e.HasPorts) w.WriteNumber("client_port", e.ClientPort); else w.WriteNull("client_port");
                w.WriteString("server", e.Server.ToString());
                if (e.HasPorts) w.WriteNumber("server_port", e.ServerPort); else w.WriteNull("server_port");
                w.WriteNumber("replies_dropped", e.RepliesDropped);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteFixes(w, g.Fixes, "flows", fixes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        json.WriteNewline();
    }

    /// <summary>
    /// <c>firewall replies --ruleset R</c> without a capture: the groups hold the classes (as <c>firewall query</c>
    /// writes them) instead of flows and examples, and the same fix objects, counting classes.
    /// </summary>
    public static void Write(Stream output, StaticReplyReport analysis, FixText? fixes = null)
    {
        using var json = new JsonOutput(output, indented: true);
        var w = json.Writer;
        var answer = analysis.Answer;
        w.WriteStartObject();
        w.WriteString("ruleset", answer.Ruleset);
        w.WriteString("set", answer.Set);
        if (analysis.ClientPorts is { } ports) w.WriteString("client_ports", ports.ToString()); else w.WriteNull("client_ports");
        w.WriteNumber("class_count", answer.Classes.Count);
        w.WriteNumber("nacl_reply_denied_classes", analysis.NaclReplyDenied);
        w.WriteNumber("other_reply_denied_classes", analysis.OtherReplyDenied);
        w.WriteStartArray("groups");
        foreach (var g in analysis.Groups)
        {
            w.WriteStartObject();
            WriteRule(w, g.Rule, g.Position);
            w.WriteStartArray("classes");
            foreach (var c in g.Classes)
            {
                AnswerWriter.WriteClass(w, c);
            }
            w.WriteEndArray();
            WriteFixes(w, g.Fixes, "classes", fixes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        json.WriteNewline();
    }

    /// <summary>The NACL rule a group is about: its reference, ACL, direction and number (null for the implicit deny).</summary>
    private static void WriteRule(Utf8JsonWriter w, RuleEntry rule, NaclPosition position)
    {
        w.WriteString("rule", rule.Reference);
        w.WriteString("acl", position.Acl.Name);
        w.WriteString("direction", DirectionText.Name(position.Direction));
        if (position.Number is { } number) w.WriteNumber("rule_number", number);
        else w.WriteNull("rule_number");
    }

    /// <summary>
    /// The fix objects; <paramref name="counted"/> names what <see cref="NaclFix.Flows"/> counts (flows seen, or
    /// classes). With <paramref name="text"/> in another syntax than YAML, each fix and path also holds
    /// <c>fix_text</c>: the lines the text report prints for it.
    /// </summary>
    private static void WriteFixes(Utf8JsonWriter w, IReadOnlyList<NaclFix> fixes, string counted, FixText? text)
    {
        w.WriteStartArray("fixes");
        foreach (var fix in fixes)
        {
            w.WriteStartObject();
            w.WriteString("acl", fix.Acl);
            w.WriteString("direction", DirectionText.Name(fix.Direction));
            if (fix.RuleNumbers[0] is { } n) w.WriteNumber("rule", n); else w.WriteNull("rule");
            WriteNumbers(w, "rules", fix.RuleNumbers);
            w.WriteString("proto", fix.ProtocolName);
            w.WriteString("family", fix.IsV6 ? "ipv6" : "ipv4");
            w.WriteNumber(counted, fix.Flows);
            if (fix.PortsSeen is { } seen) w.WriteString("ports_seen", seen.ToString()); else w.WriteNull("ports_seen");
            w.WriteNumber("distinct_ports", fix.DistinctPorts);
            w.WriteString("likely_client", fix.PortsSeen is null ? null : LikelyClients.Name(fix.Client));
            if (fix.DocumentedPorts is { } doc) w.WriteString("documented_ports", doc.ToString()); else w.WriteNull("documented_ports");
            if (fix.Icmp is { } icmp) w.WriteNumber("icmp_type", icmp.Type); else w.WriteNull("icmp_type");
            JsonArrays.WriteStrings(w, "peers", fix.Peers.Select(p => p.ToString()));
            JsonArrays.WriteStrings(w, "peer_subnets", fix.PeerSubnets);
            w.WritePropertyName("peer_count");
            w.WriteRawValue(fix.PeerCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            JsonArrays.WriteStrings(w, "yaml", fix.Yaml);
            WriteFixText(w, text, fix.Rules);
            if (fix.Path is { } path)
            {
                w.WriteStartObject("path");
                JsonArrays.WriteStrings(w, "sg_rules", path.SgRules);
                JsonArrays.WriteStrings(w, "peers", path.Peers.Select(p => p.ToString()));
                w.WriteString("ports", path.Ports.ToString());
                JsonArrays.WriteStrings(w, "clients", path.Clients.Select(c => c.Name));
                WriteNumbers(w, "rules", path.RuleNumbers);
                JsonArrays.WriteStrings(w, "yaml", path.Yaml);
                WriteFixText(w, text, path.Rules);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("path");
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteFixText(Utf8JsonWriter w, FixText? text, IReadOnlyList<NaclRuleToAdd> rules)
    {
        if (text is { Format: not FixFormat.Yaml })
        {
            JsonArrays.WriteStrings(w, "fix_text", text.Lines(rules));
        }
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IEnumerable<int?> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (v is { } n) w.WriteNumberValue(n); else w.WriteNullValue();
        }
        w.WriteEndArray();
    }
}
