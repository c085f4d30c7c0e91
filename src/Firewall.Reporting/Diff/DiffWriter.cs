using System.Text;
using System.Text.Json;
using Firewall.Analysis.Diff;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Json;

namespace Firewall.Reporting.Diff;

public enum DiffFormat
{
    Text,
    Json,
}

/// <summary>Writes a <see cref="DiffResult"/>: text for review, JSON for tools.</summary>
public static class DiffWriter
{
    /// <param name="palette">Text only: colours for a terminal (the caller decides); none by default.</param>
    public static void Write(Stream output, DiffFormat format, DiffResult diff, TextPalette? palette = null)
    {
        if (format == DiffFormat.Text)
        {
            output.Write(Encoding.UTF8.GetBytes(Text(diff, palette)));
        }
        else
        {
            WriteJson(output, diff);
        }
        output.Flush();
    }

    /// <summary>The changes in one line: "12 flows compared: 0 newly allowed, 2 newly blocked, 1 otherwise changed".</summary>
    public static string Summary(DiffResult d, TextPalette? palette = null)
    {
        var p = palette ?? TextPalette.Plain;
        var allowed = d.Count(FlowChangeKind.NewlyAllowed);
        var blocked = d.Count(FlowChangeKind.NewlyBlocked);
        return $"{d.FlowsCompared} flows compared: {p.Count(allowed, $"{allowed} newly allowed", Tone.Good)}, "
            + $"{p.Count(blocked, $"{blocked} newly blocked", Tone.Bad)}, {d.Count(FlowChangeKind.Changed)} otherwise changed";
    }

    public static string Text(DiffResult d, TextPalette? palette = null)
    {
        var p = palette ?? TextPalette.Plain;
        var b = new StringBuilder();
        b.Append("capture: ").Append(d.CaptureName).Append('\n');
        b.Append("old ruleset: ").Append(d.OldRuleset).Append('\n');
        b.Append("new ruleset: ").Append(d.NewRuleset).Append('\n');
        b.Append(Summary(d, p)).Append('\n');
        if (d.OnlyOld + d.OnlyNew > 0)
        {
            b.Append($"flows seen by one run only: {d.OnlyOld} old, {d.OnlyNew} new\n");
        }
        foreach (var kind in new[] { FlowChangeKind.NewlyBlocked, FlowChangeKind.NewlyAllowed, FlowChangeKind.Changed })
        {
            var list = d.Changes.Where(c => c.Kind == kind).ToList();
            if (list.Count == 0)
            {
                continue;
            }
            var tone = kind switch { FlowChangeKind.NewlyBlocked => Tone.Bad, FlowChangeKind.NewlyAllowed => Tone.Good, _ => Tone.Heading };
            b.Append('\n').Append(p.Paint($"{FlowChange.Name(kind)} ({list.Count})", tone)).Append('\n');
            foreach (var c in list)
            {
                b.Append("  ").Append(c.Flow).Append("  frame ").Append(c.FirstFrame).Append(": ")
                    .Append(Outcome(c.Old.Outcome, p)).Append(" -> ").Append(Outcome(c.New.Outcome, p)).Append('\n');
                b.Append("    old: ").Append(string.Join(", ", c.Old.DecidedBy)).Append('\n');
                b.Append("    new: ").Append(string.Join(", ", c.New.DecidedBy)).Append('\n');
            }
        }
        return b.ToString();
    }

    private static string Outcome(FlowOutcome outcome, TextPalette p) =>
        p.Paint(FlowRecord.Name(outcome), TextPalette.ToneOf(outcome));

    private static void WriteJson(Stream output, DiffResult d)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        w.WriteStartObject();
        w.WriteString("capture", d.CaptureName);
        w.WriteString("old_ruleset", d.OldRuleset);
        w.WriteString("new_ruleset", d.NewRuleset);
        w.WriteNumber("flows_compared", d.FlowsCompared);
        w.WriteStartObject("summary");
        w.WriteNumber("newly_allowed", d.Count(FlowChangeKind.NewlyAllowed));
        w.WriteNumber("newly_blocked", d.Count(FlowChangeKind.NewlyBlocked));
        w.WriteNumber("changed", d.Count(FlowChangeKind.Changed));
        w.WriteEndObject();
        w.WriteStartArray("changes");
        foreach (var c in d.Changes)
        {
            w.WriteStartObject();
            w.WriteString("change", FlowChange.Name(c.Kind));
            w.WriteString("flow", c.Flow);
            w.WriteString("proto", c.Protocol);
            w.WriteString("client", c.Client);
            if (c.ClientPort is { } cp) w.WriteNumber("client_port", cp); else w.WriteNull("client_port");
            w.WriteString("server", c.Server);
            if (c.ServerPort is { } sp) w.WriteNumber("server_port", sp); else w.WriteNull("server_port");
            w.WriteNumber("first_frame", c.FirstFrame);
            foreach (var (name, side) in new[] { ("old", c.Old), ("new", c.New) })
            {
                w.WriteStartObject(name);
                w.WriteString("outcome", FlowRecord.Name(side.Outcome));
                JsonArrays.WriteStrings(w, "decided_by", side.DecidedBy);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
