using Firewall.Analysis.Runs;
using Firewall.Engine.Compilation;
using Firewall.Reporting.Csv;
using Firewall.Reporting.Json;
using Firewall.Reporting.Text;

namespace Firewall.Reporting;

public enum ReportFormat
{
    Text,
    Json,
    Jsonl,
    Csv,
}

/// <summary>What the caller asked a report to include besides the summary.</summary>
public readonly record struct ReportContent(bool Packets, bool Flows);

public static class ReportWriters
{
    /// <summary>The writer for a format. CSV holds one table: exactly one of packets or flows.</summary>
    /// <param name="text">Text only: how much to write and in what colours (machine formats have neither).</param>
    public static IRunSink Create(ReportFormat format, Stream output, ReportContent content, CompiledRuleset rules, TextReportOptions? text = null) => format switch
    {
        ReportFormat.Text => new TextReportWriter(output, content, rules, text),
        ReportFormat.Json => new JsonReportWriter(output, content, rules),
        ReportFormat.Jsonl => new JsonLinesReportWriter(output, content, rules),
        ReportFormat.Csv => new CsvReportWriter(output, content, rules),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Why a format cannot hold this content, or null when it can.</summary>
    public static string? Refuse(ReportFormat format, ReportContent content) =>
        format == ReportFormat.Csv && content.Packets == content.Flows
            ? "--format csv writes one table: add exactly one of --packets or --flows"
            : null;
}
