using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Csv;

/// <summary>
/// RFC 4180 CSV of one table, packets or flows, with a header row of the stable field names
/// (docs/output-fields.md). Empty cells stand for fields that do not apply; lists (hops, notes) are
/// joined with <c>;</c> inside one cell.
/// </summary>
public sealed class CsvReportWriter : IRunSink
{
    public static readonly string[] PacketColumns =
    [
        "frame", "time", "proto", "src", "sport", "dst", "dport", "icmp_type", "icmp_code", "tcp_flags", "length",
        "flow", "direction", "verdict", "rule", "reason", "hops", "stateless_verdict", "stateless_rule", "notes", "error",
    ];

    public static readonly string[] FlowColumns =
    [
        "flow", "proto", "client", "client_port", "server", "server_port", "first_frame", "first_time", "last_time",
        "request_allowed", "request_denied", "reply_allowed", "reply_denied", "request_bytes", "reply_bytes",
        "outcome", "denied_by", "denied_frame", "stateless_outcome", "stateless_denied_by", "tcp_state", "inferred", "tracking",
    ];

    private static readonly string[] VerdictNames = Enum.GetValues<Verdict>().Select(ResultText.Name).ToArray();
    private static readonly string[] HopNames = Enum.GetValues<HopKind>().Select(ResultText.Name).ToArray();
    private static readonly string[] BasisNames = Enum.GetValues<HopBasis>().Select(ResultText.Name).ToArray();
    private static readonly string[] ReasonNames = Enum.GetValues<DenyReason>().Select(ResultText.Name).ToArray();
    private static readonly string[] ErrorNames = Enum.GetValues<DecodeError>().Select(DecodeErrorText.Name).ToArray();

    private readonly Utf8Output _out;
    private readonly ReportContent _content;
    private readonly byte[][] _references;
    private readonly string[] _notes = new string[FieldText.MaxNotes];
    private bool _headerWritten;

    public CsvReportWriter(Stream output, ReportContent content, CompiledRuleset rules)
    {
        if (ReportWriters.Refuse(ReportFormat.Csv, content) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(content));
        }
        _out = new Utf8Output(output);
        _content = content;
        _references = rules.Rules.References.Select(r => Encoding.UTF8.GetBytes(Escape(r))).ToArray();
    }

    private void Header()
    {
        if (_headerWritten)
        {
            return;
        }
        _headerWritten = true;
        _out.Write(string.Join(',', _content.Packets ? PacketColumns : FlowColumns));
        _out.Write('\n');
    }

    public void WritePacket(in PacketInfo p, in PacketResult r)
    {
        Header();
        Span<char> text = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        var o = _out;
        o.Write(p.Frame);
        o.Write(',');
        if (FieldText.TryFormatTime(p.TimestampNs, text, out var n)) o.Write(text[..n]);
        else o.Write(p.TimestampNs);
        o.Write(',');
        WriteEndpoints(in p, text);
        o.Write(',');
        var icmp = p.IsIp && p.Has(PacketFlags.Icmp);
        if (icmp) o.Write(p.IcmpType);
        o.Write(',');
        if (icmp) o.Write(p.IcmpCode);
        o.Write(',');
        if (p.IsIp && p.Has(PacketFlags.Tcp)) o.Write(FieldText.TcpFlagText[p.TcpFlags]);
        o.Write(',');
        o.Write(p.OriginalLength);
        o.Write(',');
        if (r.FlowId >= 0)
        {
            o.Write(r.FlowId);
            o.Write(',');
            o.Write(FieldText.Direction(r.IsReply));
        }
        else
        {
            o.Write(',');
        }
        o.Write(',');
        o.Write(VerdictNames[(int)r.Verdict]);
        o.Write(',');
        if (r.Verdict != Verdict.Undecodable) o.Write(_references[r.RuleId]);
        o.Write(',');
        if (r.Verdict == Verdict.Deny) o.Write(ReasonNames[(int)r.Reason]);
        else if (p.NotIp != NotIpKind.None) o.Write(text[..NotIpText.Format(in p, text)]);
        o.Write(',');
        WriteHops(in r);
        o.Write(',');
        o.Write(VerdictNames[(int)r.StatelessVerdict]);
        o.Write(',');
        if (r.StatelessVerdict != Verdict.Undecodable) o.Write(_references[r.StatelessRuleId]);
        o.Write(',');
        WriteNotes(in p, in r);
        o.Write(',');
        if (!p.Decoded) o.Write(ErrorNames[(int)p.Error]);
        o.Write('\n');
    }

    /// <summary>proto, src, sport, dst, dport: empty for a frame that is not IP.</summary>
    private void WriteEndpoints(in PacketInfo p, Span<char> text)
    {
        var o = _out;
    if (p.IsIp)
    {
        o.Write(IpProtocol.Name(p.Protocol));
        o.Write(',');
        Address(p.Src, text);
        o.Write(',');
        if (p.Has(PacketFlags.Ports)) o.Write(p.SrcPort);
        o.Write(',');
        Address(p.Dst, text);
        o.Write(',');
        if (p.Has(PacketFlags.Ports)) o.Write(p.DstPort);
    }
    else
    {
        o.Write(",,,,");
    }
    }

    /// <summary>"kind result basis reference" per hop, hops joined by ';' (no field of a hop contains either).</summary>
    private void WriteHops(in PacketResult r)
    {
        var o = _out;
    for (var h = 0; h < r.HopCount; h++)
    {
        var hop = r.Hops[h];
        if (h > 0) o.Write(';');
        o.Write(HopNames[(int)hop.Kind]);
        o.Write(' ');
        o.Write(hop.Allowed ? "allow" : "deny");
        o.Write(' ');
        o.Write(BasisNames[(int)hop.Basis]);
        o.Write(' ');
        o.Write(_references[hop.RuleId]);
    }
    }

    private void WriteNotes(in PacketInfo p, in PacketResult r)
    {
        var o = _out;
    var notes = FieldText.Notes(in p, in r, _notes);
    for (var i = 0; i < notes; i++)
    {
        if (i > 0) o.Write(';');
        o.Write(_notes[i]);
    }
    }

    public void Complete(RunReport report)
    {
        Header();
        if (_content.Flows)
        {
            var flows = report.Flows.Records;
            for (var i = 0; i < flows.Length; i++)
            {
                if (report.ListsFlow(i))
                {
                    WriteFlow(i, in flows[i]);
                }
            }
        }
        _out.Drain();
    }

    private void WriteFlow(int id, in FlowRecord f)
    {
        Span<char> text = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        var o = _out;
        var ports = FieldText.FlowHasPorts(in f);
        o.Write(id);
        o.Write(',');
        o.Write(IpProtocol.Name(f.Key.Protocol));
        o.Write(',');
        Address(f.Client, text);
        o.Write(',');
        if (ports) o.Write(f.ClientPort);
        o.Write(',');
        Address(f.Server, text);
        o.Write(',');
        if (ports) o.Write(f.ServerPort);
        o.Write(',');
        o.Write(f.FirstFrame);
        o.Write(',');
        Time(f.FirstTimeNs, text);
        o.Write(',');
        Time(f.LastTimeNs, text);
        o.Write(',');
        o.Write(f.RequestAllowed);
        o.Write(',');
        o.Write(f.RequestDenied);
        o.Write(',');
        o.Write(f.ReplyAllowed);
        o.Write(',');
        o.Write(f.ReplyDenied);
        o.Write(',');
        o.Write(f.RequestBytes);
        o.Write(',');
        o.Write(f.ReplyBytes);
        o.Write(',');
        o.Write(FlowRecord.Name(f.Outcome));
        o.Write(',');
        if (f.DeniedBy >= 0) o.Write(_references[f.DeniedBy]);
        o.Write(',');
        if (f.DeniedBy >= 0) o.Write(f.DeniedFrame);
        o.Write(',');
        o.Write(FlowRecord.Name(f.StatelessOutcome));
        o.Write(',');
        if (f.StatelessDeniedBy >= 0) o.Write(_references[f.StatelessDeniedBy]);
        o.Write(',');
        if (FieldText.TcpState(in f) is { } state) o.Write(state);
        o.Write(',');
        o.Write(f.Has(FlowFlags.Inferred) ? "true" : "false");
        o.Write(',');
        o.Write(FieldText.Tracking(in f));
        o.Write('\n');
    }

    private void Address(IpAddr address, Span<char> buffer)
    {
        if (address.TryFormat(buffer, out var n)) _out.Write(buffer[..n]);
        else _out.Write(address.ToString());
    }

    private void Time(long ns, Span<char> buffer)
    {
        if (FieldText.TryFormatTime(ns, buffer, out var n)) _out.Write(buffer[..n]);
        else _out.Write(ns);
    }

    /// <summary>RFC 4180: a field holding a comma, quote or line break is quoted, quotes doubled.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    public bool WritesAsItGoes => true;

    public void Flush() => _out.Flush();

    public void Dispose() => _out.Dispose();
}
