using Firewall.Analysis.Selection;
using System.Text.Json;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Json;

/// <summary>
/// One JSON document: <c>packets</c> (with --packets, streamed as the run goes), <c>flows</c> (with --flows),
/// then <c>summary</c>. The summary comes last because it is only known at the end, and packets are
/// never held in memory.
/// </summary>
public sealed class JsonReportWriter : IRunSink
{
    private readonly JsonOutput _out;
    private readonly JsonRecords _records;
    private readonly ReportContent _content;
    private bool _started;

    public JsonReportWriter(Stream output, ReportContent content, CompiledRuleset rules)
    {
        _out = new JsonOutput(output, indented: true);
        _records = new JsonRecords(rules);
        _content = content;
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }
        _started = true;
        _out.Writer.WriteStartObject();
        if (_content.Packets)
        {
            _out.Writer.WriteStartArray("packets");
        }
    }

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        Start();
        _records.WritePacket(_out.Writer, in packet, in result);
        _out.DrainIfLarge();
    }

    public void Complete(RunReport report)
    {
        Start();
        var w = _out.Writer;
        if (_content.Packets)
        {
            w.WriteEndArray();
        }
        if (_content.Flows)
        {
            w.WriteStartArray("flows");
            var flows = report.Flows.Records;
            for (var i = 0; i < flows.Length; i++)
            {
                if (!report.ListsFlow(i))
                {
                    continue;
                }
                _records.WriteFlow(w, i, in flows[i]);
                _out.DrainIfLarge();
            }
            w.WriteEndArray();
        }
        w.WritePropertyName("summary");
        WriteSummary(w, report);
        w.WriteEndObject();
        _out.WriteNewline();
        _out.Drain();
    }

    internal static void WriteSummary(Utf8JsonWriter w, RunReport report)
    {
        var s = RunSummary.Of(report);
        w.WriteStartObject();
        w.WriteStartObject("input");
        JsonRecords.WriteInput(w, report);
        w.WriteEndObject();
        WriteListing(w, report.Listing);
        w.WriteStartObject("totals");
        JsonRecords.WriteTotals(w, s);
        w.WriteEndObject();
        WriteRuleCounts(w, "not_filtered", s.NotFilteredBy, withHit: false);
        w.WriteStartArray("undecodable");
        foreach (var c in s.UndecodableBy) JsonRecords.WriteNamedCount(w, "error", c);
        w.WriteEndArray();
        w.WriteStartArray("deny_reasons");
        foreach (var c in s.DeniedBy) JsonRecords.WriteNamedCount(w, "reason", c);
        w.WriteEndArray();
        w.WriteStartObject("flow_totals");
        JsonRecords.WriteFlowTotals(w, s);
        w.WriteEndObject();
        WriteRuleCounts(w, "denying_rules", s.DenyingRules, withHit: false);
        WriteRuleCounts(w, "reply_drops", s.ReplyDrops, withHit: false);
        WriteRuleCounts(w, "rules", s.RuleHits, withHit: true);
        WriteRuleCounts(w, "other_references", s.EngineHits, withHit: false);
        w.WriteStartArray("assumptions");
        foreach (var a in Assumptions.For(report.Rules, report.Options)) JsonRecords.WriteAssumption(w, a);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>What the records list when options narrowed them (null when nothing did): the totals are still the whole run's.</summary>
    private static void WriteListing(Utf8JsonWriter w, ReportListing? listing)
    {
        if (listing is null)
        {
            w.WriteNull("listing");
            return;
        }
        w.WriteStartObject("listing");
        w.WriteString("by", listing.Description);
        if (listing.PacketsListed is { } packets)
        {
            w.WriteNumber("packets", packets);
        }
        else
        {
            w.WriteNull("packets");
        }
        if (listing.FlowsListed is { } flows)
        {
            w.WriteNumber("flows", flows);
        }
        else
        {
            w.WriteNull("flows");
        }
        w.WriteEndObject();
    }

    private static void WriteRuleCounts(Utf8JsonWriter w, string name, IEnumerable<RuleCount> counts, bool withHit)
    {
        w.WriteStartArray(name);
        foreach (var c in counts) JsonRecords.WriteRuleCount(w, c, withHit);
        w.WriteEndArray();
    }

    /// <summary>One JSON document, written at the end: nothing to push before.</summary>
    public void Dispose() => _out.Dispose();
}
