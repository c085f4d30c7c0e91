using System.Text.Json;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Json;

/// <summary>
/// JSON Lines: one compact record per line, each with a <c>type</c>. With --packets, a <c>packet</c> line per
/// packet as it is evaluated; with --flows, a <c>flow</c> line per flow at the end; with neither, the
/// summary as records (<c>input</c>, <c>totals</c>, <c>flow_totals</c>, <c>deny_reason</c>, <c>undecodable</c>,
/// <c>not_filtered</c>, <c>denying_rule</c>, <c>reply_drop</c>, <c>rule</c>, <c>reference</c>, <c>assumption</c>).
/// </summary>
public sealed class JsonLinesReportWriter : IRunSink
{
    private readonly JsonOutput _out;
    private readonly JsonRecords _records;
    private readonly ReportContent _content;

    public JsonLinesReportWriter(Stream output, ReportContent content, CompiledRuleset rules)
    {
        _out = new JsonOutput(output, indented: false);
        _records = new JsonRecords(rules);
        _content = content;
    }

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        // The record type goes first so that line-oriented tools can dispatch on a prefix. Written as
        // bytes, not through the JSON writer: the same record, several times faster (JsonRecords.Lines).
        var buffer = _out.Buffer;
        var line = buffer.GetSpan(_records.MaxPacketLineBytes(result.HopCount));
        buffer.Advance(_records.WritePacketLine(line, in packet, in result));
        _out.DrainIfLarge();
    }

    public void Complete(RunReport report)
    {
        if (_content.Flows)
        {
            var flows = report.Flows.Records;
            for (var i = 0; i < flows.Length; i++)
            {
                if (!report.ListsFlow(i))
                {
                    continue;
                }
                _records.WriteFlow(_out.Writer, i, in flows[i], typed: true);
                _out.EndLine();
            }
        }
        if (!_content.Packets && !_content.Flows)
        {
            WriteSummaryRecords(report);
        }
        _out.Drain();
    }

    private void WriteSummaryRecords(RunReport report)
    {
        var s = RunSummary.Of(report);
        var w = _out.Writer;
        Record("input", () => JsonRecords.WriteInput(w, report));
        Record("totals", () => JsonRecords.WriteTotals(w, s));
        Record("flow_totals", () => JsonRecords.WriteFlowTotals(w, s));
        foreach (var c in s.DeniedBy) Record("deny_reason", () => Named(w, "reason", c));
        foreach (var c in s.UndecodableBy) Record("undecodable", () => Named(w, "error", c));
        foreach (var c in s.NotFilteredBy) Record("not_filtered", () => Counted(w, c, withHit: false));
        foreach (var c in s.DenyingRules) Record("denying_rule", () => Counted(w, c, withHit: false));
        foreach (var c in s.ReplyDrops) Record("reply_drop", () => Counted(w, c, withHit: false));
        foreach (var c in s.RuleHits) Record("rule", () => Counted(w, c, withHit: true));
        foreach (var c in s.EngineHits) Record("reference", () => Counted(w, c, withHit: false));
        foreach (var a in Assumptions.For(report.Rules, report.Options))
        {
            Record("assumption", () =>
            {
                w.WriteString("name", a.Name);
                w.WriteString("value", a.Value);
                w.WriteString("source", a.Source);
                w.WriteString("note", a.Note);
            });
        }
    }

    private void Record(string type, Action body)
    {
        var w = _out.Writer;
        w.WriteStartObject();
        w.WriteString("type", type);
        body();
        w.WriteEndObject();
        _out.EndLine();
    }

    private static void Named(Utf8JsonWriter w, string key, NamedCount c)
    {
        w.WriteString(key, c.Name);
        w.WriteNumber("packets", c.Count);
    }

    private static void Counted(Utf8JsonWriter w, RuleCount c, bool withHit)
    {
        w.WriteString("rule", c.Rule.Reference);
        w.WriteString("description", c.Rule.Description);
        w.WriteNumber("packets", c.Packets);
        w.WriteNumber("flows", c.Flows);
        if (withHit) w.WriteBoolean("hit", c.Packets > 0);
    }

    public bool WritesAsItGoes => true;

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();
}
