using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Text;

/// <summary>
/// The report for people: with --packets one line per packet as it is evaluated; then the verdict line
/// (the flows by outcome, in one sentence), with --flows a table of flows, and the summary (totals, flows
/// by outcome, denying rules, replies dropped by NACLs, rule hits in ruleset order with the rules never
/// hit marked, the assumptions in force, capture warnings).
/// </summary>
public sealed class TextReportWriter : IRunSink
{
    private static readonly string[] HopNames = Enum.GetValues<HopKind>().Select(ResultText.Name).ToArray();

    private readonly StreamWriter _out;
    private readonly ReportContent _content;
    private readonly IReadOnlyList<string> _references;
    private readonly TextReportOptions _options;

    /// <summary>Verdict names as the palette paints them, made once: per packet, nothing is allocated.</summary>
    private readonly string[] _verdictNames;
    private readonly StringBuilder _line = new(256);
    private bool _packetHeaderWritten;

    public TextReportWriter(Stream output, ReportContent content, CompiledRuleset rules, TextReportOptions? options = null)
    {
        _out = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = false };
        _content = content;
        _references = rules.Rules.References;
        _options = options ?? TextReportOptions.Default;
        _verdictNames = Enum.GetValues<Verdict>().Select(v => _options.Palette.Paint(ResultText.Name(v), VerdictTone(v))).ToArray();
    }

    private static Tone VerdictTone(Verdict v) => v switch
    {
        Verdict.Allow => Tone.Good,
        Verdict.Deny => Tone.Bad,
        Verdict.Undecodable => Tone.Warning,
        _ => Tone.Plain,
    };

    public void WritePacket(in PacketInfo p, in PacketResult r)
    {
        if (!_packetHeaderWritten)
        {
            _packetHeaderWritten = true;
            _out.Write(_options.Palette.Heading("Packets") + " (frame, time, packet, flow, verdict and deciding rule; hops in path order)\n");
        }
        Span<char> buffer = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        var line = _line.Clear();
        line.Append(p.Frame.ToString().PadLeft(6)).Append(' ');
        line.Append(FieldText.TryFormatTime(p.TimestampNs, buffer, out var n) ? buffer[..n] : p.TimestampNs.ToString()).Append(' ');
        AppendPacket(line, in p, buffer);
        if (r.FlowId >= 0)
        {
            line.Append("  flow ").Append(r.FlowId).Append(' ').Append(FieldText.Direction(r.IsReply));
        }
        line.Append("  ").Append(_verdictNames[(int)r.Verdict]);
        if (r.Verdict == Verdict.Undecodable)
        {
            line.Append(' ').Append(DecodeErrorText.Name(p.Error));
        }
        else
        {
            line.Append(' ').Append(_references[r.RuleId]);
        }
        AppendHops(line, in r);
        if (r.StatelessVerdict != r.Verdict)
        {
            line.Append("  stateless: ").Append(_verdictNames[(int)r.StatelessVerdict]).Append(' ').Append(_references[r.StatelessRuleId]);
        }
        line.Append('\n');
        foreach (var chunk in line.GetChunks())
        {
            _out.Write(chunk.Span);
        }
    }

    /// <summary>What the frame holds: protocol, endpoints, TCP flags or ICMP type; or why there is no IP packet.</summary>
    private static void AppendPacket(StringBuilder line, in PacketInfo p, Span<char> buffer)
    {
    if (!p.IsIp)
    {
        // Why there is no IP packet: "not-ip: arp" and the like; "?" for an undecodable frame, whose
        // error follows its verdict.
        if (p.NotIp != NotIpKind.None) line.Append(buffer[..NotIpText.Format(in p, buffer)]);
        else line.Append(p.Decoded ? "not IP" : "?");
    }
    else
    {
        line.Append(IpProtocol.Name(p.Protocol)).Append(' ');
        EndpointText.Append(line, p.Src, p.SrcPort, p.Has(PacketFlags.Ports), buffer);
        line.Append(" > ");
        EndpointText.Append(line, p.Dst, p.DstPort, p.Has(PacketFlags.Ports), buffer);
        if (p.Has(PacketFlags.Tcp))
        {
            line.Append(" [").Append(FieldText.TcpFlagText[p.TcpFlags]).Append(']');
        }
        if (p.Has(PacketFlags.Icmp))
        {
            line.Append(" type ").Append(p.IcmpType).Append(" code ").Append(p.IcmpCode);
        }
    }
    }

    /// <summary>The hops in path order, each with its result and deciding rule.</summary>
    private void AppendHops(StringBuilder line, in PacketResult r)
    {
    if (r.HopCount > 0)
    {
        line.Append("  (");
        for (var h = 0; h < r.HopCount; h++)
        {
            var hop = r.Hops[h];
            if (h > 0) line.Append(", ");
            line.Append(HopNames[(int)hop.Kind]).Append(' ').Append(hop.Allowed ? "allow" : "deny").Append(' ').Append(_references[hop.RuleId]);
        }
        line.Append(')');
    }
    }

    public void Complete(RunReport report)
    {
        if (_packetHeaderWritten)
        {
            _out.Write('\n');
        }
        WriteReport(_out, report, _options, _content.Flows ? WriteFlows : null);
        _out.Flush();
    }

    private void WriteFlows(RunReport report)
    {
        var flows = report.Flows.Records;
        _out.Write($"{_options.Palette.Heading("Flows")} ({report.Listing?.FlowsListed ?? flows.Length})\n");
        var table = new TextTable(true, false, false, false, true, true, true, true, false, false, false, false, false);
        table.Add("flow", "proto", "client", "server", "req ok", "req drop", "rep ok", "rep drop", "outcome", "denied by", "stateless", "tcp state", "tracking");
        for (var i = 0; i < flows.Length; i++)
        {
            if (!report.ListsFlow(i))
            {
                continue;
            }
            ref readonly var f = ref flows[i];
            var ports = FieldText.FlowHasPorts(in f);
            table.Add(
                i.ToString(),
                IpProtocol.Name(f.Key.Protocol),
                EndpointText.Format(f.Client, f.ClientPort, ports),
                EndpointText.Format(f.Server, f.ServerPort, ports),
                f.RequestAllowed.ToString(),
                f.RequestDenied.ToString(),
                f.ReplyAllowed.ToString(),
                f.ReplyDenied.ToString(),
                _options.Palette.Paint(FlowRecord.Name(f.Outcome), TextPalette.ToneOf(f.Outcome)) + (f.Has(FlowFlags.Inferred) ? " (inferred)" : ""),
                f.DeniedBy >= 0 ? _references[f.DeniedBy] : "-",
                f.StatelessOutcome == f.Outcome ? "same" : FlowRecord.Name(f.StatelessOutcome),
                FieldText.TcpState(in f) ?? "-",
                FieldText.Tracking(in f));
        }
        table.WriteTo(_out, "  ");
        _out.Write('\n');
    }

    /// <summary>The verdict line and the summary, as <c>firewall check</c> prints them by default.</summary>
    public static void WriteSummary(TextWriter o, RunReport report, TextReportOptions? options = null) =>
        WriteReport(o, report, options ?? TextReportOptions.Default, flows: null);

    /// <summary>The verdict line, the flow table when <paramref name="flows"/> writes one, then the summary.</summary>
    private static void WriteReport(TextWriter o, RunReport report, TextReportOptions options, Action<RunReport>? flows)
    {
        var summary = RunSummary.Of(report);
        o.Write(VerdictLine.For(report, summary, options.Palette) + "\n\n");
        flows?.Invoke(report);
        SummaryTextWriter.Write(o, report, summary, options);
    }

    public bool WritesAsItGoes => true;

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();
}
