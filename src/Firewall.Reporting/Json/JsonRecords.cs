using System.Text.Json;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Json;

/// <summary>
/// The JSON shape of packets, flows and summary parts, shared by the JSON document and JSON Lines
/// writers. Field names are the stable ones of docs/output-fields.md; fields that do not apply are null,
/// never absent, so every record of a kind has the same keys.
/// </summary>
internal sealed partial class JsonRecords
{
    private static readonly string[] VerdictNames = Enum.GetValues<Verdict>().Select(ResultText.Name).ToArray();
    private static readonly string[] HopNames = Enum.GetValues<HopKind>().Select(ResultText.Name).ToArray();
    private static readonly string[] BasisNames = Enum.GetValues<HopBasis>().Select(ResultText.Name).ToArray();
    private static readonly string[] ReasonNames = Enum.GetValues<DenyReason>().Select(ResultText.Name).ToArray();
    private static readonly string[] ErrorNames = Enum.GetValues<DecodeError>().Select(DecodeErrorText.Name).ToArray();

    private readonly JsonEncodedText[] _references;
    private readonly int _longestReference; // encoded bytes
    private readonly string[] _notes = new string[FieldText.MaxNotes];

    // Packet addresses as text, remembered in a small direct-mapped cache: consecutive packets mostly
    // repeat the addresses of the flows in progress, and formatting an IPv6 address is costly.
    private const int AddressSlots = 1024;
    private readonly IpAddr[] _addressKeys = new IpAddr[AddressSlots];
    private readonly byte[] _addressLengths = new byte[AddressSlots]; // 0 = empty slot
    private readonly byte[] _addressTexts = new byte[AddressSlots * FieldText.MaxAddressChars];

    public JsonRecords(CompiledRuleset rules)
    {
        _references = rules.Rules.References.Select(r => JsonEncodedText.Encode(r)).ToArray();
        _longestReference = _references.Length == 0 ? 0 : _references.Max(r => r.EncodedUtf8Bytes.Length);
    }

    private static readonly JsonEncodedText TypeKey = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText PacketType = JsonEncodedText.Encode("packet");
    private static readonly JsonEncodedText FlowType = JsonEncodedText.Encode("flow");

    // Pre-encoded names and values of packet records: millions are written per run.
    private static readonly JsonEncodedText PBasis = JsonEncodedText.Encode("basis");
    private static readonly JsonEncodedText PDirection = JsonEncodedText.Encode("direction");
    private static readonly JsonEncodedText PDport = JsonEncodedText.Encode("dport");
    private static readonly JsonEncodedText PDst = JsonEncodedText.Encode("dst");
    private static readonly JsonEncodedText PError = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText PFlow = JsonEncodedText.Encode("flow");
    private static readonly JsonEncodedText PFrame = JsonEncodedText.Encode("frame");
    private static readonly JsonEncodedText PHops = JsonEncodedText.Encode("hops");
    private static readonly JsonEncodedText PIcmpCode = JsonEncodedText.Encode("icmp_code");
    private static readonly JsonEncodedText PIcmpType = JsonEncodedText.Encode("icmp_type");
    private static readonly JsonEncodedText PKind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText PLength = JsonEncodedText.Encode("length");
    private static readonly JsonEncodedText PNotes = JsonEncodedText.Encode("notes");
    private static readonly JsonEncodedText PProto = JsonEncodedText.Encode("proto");
    private static readonly JsonEncodedText PReason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText PResult = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText PRule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText PSport = JsonEncodedText.Encode("sport");
    private static readonly JsonEncodedText PSrc = JsonEncodedText.Encode("src");
    private static readonly JsonEncodedText PStatelessRule = JsonEncodedText.Encode("stateless_rule");
    private static readonly JsonEncodedText PStatelessVerdict = JsonEncodedText.Encode("stateless_verdict");
    private static readonly JsonEncodedText PTcpFlags = JsonEncodedText.Encode("tcp_flags");
    private static readonly JsonEncodedText PTime = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText PVerdict = JsonEncodedText.Encode("verdict");
    private static readonly JsonEncodedText[] VerdictTexts = VerdictNames.Select(n => JsonEncodedText.Encode(n)).ToArray();
    private static readonly JsonEncodedText[] HopTexts = HopNames.Select(n => JsonEncodedText.Encode(n)).ToArray();
    private static readonly JsonEncodedText[] BasisTexts = BasisNames.Select(n => JsonEncodedText.Encode(n)).ToArray();
    private static readonly JsonEncodedText[] ReasonTexts = ReasonNames.Select(n => JsonEncodedText.Encode(n)).ToArray();
    private static readonly JsonEncodedText[] ProtocolNames = Enumerable.Range(0, 256).Select(n => JsonEncodedText.Encode(IpProtocol.Name((byte)n))).ToArray();
    private static readonly JsonEncodedText[] TcpFlagNames = Enumerable.Range(0, 256).Select(n => JsonEncodedText.Encode(FieldText.TcpFlagText[n])).ToArray();
    private static readonly JsonEncodedText RequestName = JsonEncodedText.Encode(FieldText.Direction(false));
    private static readonly JsonEncodedText ReplyName = JsonEncodedText.Encode(FieldText.Direction(true));
    private static readonly JsonEncodedText AllowName = JsonEncodedText.Encode("allow");
    private static readonly JsonEncodedText DenyName = JsonEncodedText.Encode("deny");

    /// <param name="typed">Write <c>"type": "packet"</c> first (JSON Lines, where records of several kinds mix).</param>
    public void WritePacket(Utf8JsonWriter w, in PacketInfo p, in PacketResult r, bool typed = false)
    {
        Span<char> text = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        w.WriteStartObject();
        if (typed) w.WriteString(TypeKey, PacketType);
        w.WriteNumber(PFrame, p.Frame);
        if (FieldText.TryFormatTime(p.TimestampNs, text, out var n)) w.WriteString(PTime, Ascii(text[..n], stackalloc byte[FieldText.MaxTimeChars]));
        else w.WriteNumber(PTime, p.TimestampNs);
        if (p.IsIp)
        {
            w.WriteString(PProto, ProtocolNames[p.Protocol]);
            WritePacketAddress(w, PSrc, p.Src, text);
            WritePort(w, PSport, p.Has(PacketFlags.Ports), p.SrcPort);
            WritePacketAddress(w, PDst, p.Dst, text);
            WritePort(w, PDport, p.Has(PacketFlags.Ports), p.DstPort);
        }
        else
        {
            w.WriteNull(PProto);
            w.WriteNull(PSrc);
            w.WriteNull(PSport);
            w.WriteNull(PDst);
            w.WriteNull(PDport);
        }
        var icmp = p.IsIp && p.Has(PacketFlags.Icmp);
        WritePort(w, PIcmpType, icmp, p.IcmpType);
        WritePort(w, PIcmpCode, icmp, p.IcmpCode);
        if (p.IsIp && p.Has(PacketFlags.Tcp)) w.WriteString(PTcpFlags, TcpFlagNames[p.TcpFlags]);
        else w.WriteNull(PTcpFlags);
        w.WriteNumber(PLength, p.OriginalLength);
        if (r.FlowId >= 0)
        {
            w.WriteNumber(PFlow, r.FlowId);
            w.WriteString(PDirection, r.IsReply ? ReplyName : RequestName);
        }
        else
        {
            w.WriteNull(PFlow);
            w.WriteNull(PDirection);
        }
        w.WriteString(PVerdict, VerdictTexts[(int)r.Verdict]);
        WriteRule(w, PRule, r.Verdict == Verdict.Undecodable ? -1 : r.RuleId);
        if (r.Verdict == Verdict.Deny) w.WriteString(PReason, ReasonTexts[(int)r.Reason]);
        else if (p.NotIp != NotIpKind.None) w.WriteString(PReason, text[..NotIpText.Format(in p, text)]);
        else w.WriteNull(PReason);
        WriteHops(w, in r);
        w.WriteString(PStatelessVerdict, VerdictTexts[(int)r.StatelessVerdict]);
        WriteRule(w, PStatelessRule, r.StatelessVerdict == Verdict.Undecodable ? -1 : r.StatelessRuleId);
        w.WriteStartArray(PNotes);
        var count = FieldText.Notes(in p, in r, _notes);
        for (var i = 0; i < count; i++) w.WriteStringValue(_notes[i]);
        w.WriteEndArray();
        if (p.Decoded) w.WriteNull(PError);
        else w.WriteString(PError, ErrorNames[(int)p.Error]);
        w.WriteEndObject();
    }

    private void WriteHops(Utf8JsonWriter w, in PacketResult r)
    {
    w.WriteStartArray(PHops);
    for (var h = 0; h < r.HopCount; h++)
    {
        var hop = r.Hops[h];
        w.WriteStartObject();
        w.WriteString(PKind, HopTexts[(int)hop.Kind]);
        w.WriteString(PRule, _references[hop.RuleId]);
        w.WriteString(PResult, hop.Allowed ? AllowName : DenyName);
        w.WriteString(PBasis, BasisTexts[(int)hop.Basis]);
        w.WriteEndObject();
    }
    w.WriteEndArray();
    }

    public void WriteFlow(Utf8JsonWriter w, int id, in FlowRecord f, bool typed = false)
    {
        Span<char> text = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        var ports = FieldText.FlowHasPorts(in f);
        w.WriteStartObject();
        if (typed) w.WriteString(TypeKey, FlowType);
        w.WriteNumber("flow", id);
        w.WriteString("proto", IpProtocol.Name(f.Key.Protocol));
        WriteAddress(w, "client", f.Client, text);
        WritePort(w, "client_port", ports, f.ClientPort);
        WriteAddress(w, "server", f.Server, text);
        WritePort(w, "server_port", ports, f.ServerPort);
        w.WriteNumber("first_frame", f.FirstFrame);
        WriteTime(w, "first_time", f.FirstTimeNs, text);
        WriteTime(w, "last_time", f.LastTimeNs, text);
        w.WriteStartObject("packets");
        w.WriteStartObject("request");
        w.WriteNumber("allowed", f.RequestAllowed);
        w.WriteNumber("denied", f.RequestDenied);
        w.WriteEndObject();
        w.WriteStartObject("reply");
        w.WriteNumber("allowed", f.ReplyAllowed);
        w.WriteNumber("denied", f.ReplyDenied);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("bytes");
        w.WriteNumber("request", f.RequestBytes);
        w.WriteNumber("reply", f.ReplyBytes);
        w.WriteEndObject();
        w.WriteString("outcome", FlowRecord.Name(f.Outcome));
        WriteRule(w, "denied_by", f.DeniedBy);
        if (f.DeniedBy >= 0) w.WriteNumber("denied_frame", f.DeniedFrame);
        else w.WriteNull("denied_frame");
        w.WriteString("stateless_outcome", FlowRecord.Name(f.StatelessOutcome));
        WriteRule(w, "stateless_denied_by", f.StatelessDeniedBy);
        if (FieldText.TcpState(in f) is { } state) w.WriteString("tcp_state", state);
        else w.WriteNull("tcp_state");
        w.WriteBoolean("inferred", f.Has(FlowFlags.Inferred));
        w.WriteString("tracking", FieldText.Tracking(in f));
        w.WriteEndObject();
    }

    public static void WriteTotals(Utf8JsonWriter w, RunSummary s)
    {
        w.WriteNumber("packets", s.Packets);
        w.WriteNumber("allowed", s.Allowed);
        w.WriteNumber("denied", s.Denied);
        w.WriteNumber("skipped", s.Skipped);
        w.WriteNumber("not_filtered", s.NotFiltered);
        w.WriteNumber("undecodable", s.Undecodable);
        w.WriteNumber("fragments_followed", s.FragmentsFollowed);
        w.WriteNumber("fragments_without_first", s.FragmentsWithoutFirst);
    }

    public static void WriteFlowTotals(Utf8JsonWriter w, RunSummary s)
    {
        w.WriteNumber("total", s.Flows);
        foreach (var outcome in Enum.GetValues<FlowOutcome>())
        {
            w.WriteNumber(FlowRecord.Name(outcome), s.FlowsByOutcome[(int)outcome]);
        }
        w.WriteNumber("stateful_only", s.StatefulOnlyFlows);
        w.WriteNumber("inferred", s.InferredFlows);
        w.WriteNumber("untracked", s.UntrackedFlows);
    }

    public static void WriteRuleCount(Utf8JsonWriter w, RuleCount c, bool withHit)
    {
        w.WriteStartObject();
        w.WriteString("rule", c.Rule.Reference);
        w.WriteString("description", c.Rule.Description);
        w.WriteNumber("packets", c.Packets);
        w.WriteNumber("flows", c.Flows);
        if (withHit) w.WriteBoolean("hit", c.Packets > 0);
        w.WriteEndObject();
    }

    public static void WriteNamedCount(Utf8JsonWriter w, string nameKey, NamedCount c)
    {
        w.WriteStartObject();
        w.WriteString(nameKey, c.Name);
        w.WriteNumber("packets", c.Count);
        w.WriteEndObject();
    }

    public static void WriteAssumption(Utf8JsonWriter w, Assumption a)
    {
        w.WriteStartObject();
        w.WriteString("name", a.Name);
        w.WriteString("value", a.Value);
        w.WriteString("source", a.Source);
        w.WriteString("note", a.Note);
        w.WriteEndObject();
    }

    public static void WriteInput(Utf8JsonWriter w, RunReport report)
    {
        var input = report.Input;
        var options = report.Options;
        w.WriteString("file", input.CaptureName);
        if (input.CaptureFormat is { } format) w.WriteString("format", format);
        else w.WriteNull("format");
        w.WriteBoolean("compressed", input.CaptureCompressed);
        w.WriteString("ruleset_file", input.RulesetPath);
        w.WriteString("ruleset", report.Rules.Model.Name);
        w.WriteString("midstream", options.MidstreamStrict ? "strict" : "pickup");
        w.WriteBoolean("related_icmp", options.RelatedIcmp);
        if (input.DecapsulateVxlan) w.WriteString("decap", "vxlan");
        else w.WriteNull("decap");
        JsonArrays.WriteStrings(w, "warnings", input.CaptureWarnings);
    }

    private void WriteRule(Utf8JsonWriter w, JsonEncodedText name, int id)
    {
        if (id >= 0) w.WriteString(name, _references[id]);
        else w.WriteNull(name);
    }

    /// <summary>ASCII text as its UTF-8 bytes (the same bytes), so the writer need not transcode it.</summary>
    private static ReadOnlySpan<byte> Ascii(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        System.Text.Ascii.FromUtf16(text, bytes, out var written);
        return bytes[..written];
    }

    private void WritePacketAddress(Utf8JsonWriter w, JsonEncodedText name, IpAddr address, Span<char> buffer)
    {
        var text = PacketAddress(address, buffer);
        if (text.IsEmpty) w.WriteString(name, address.ToString());
        else w.WriteString(name, text);
    }

    /// <summary>An address's text as UTF-8, from the cache or formatted into it; empty when it cannot be formatted.</summary>
    private ReadOnlySpan<byte> PacketAddress(IpAddr address, Span<char> buffer)
    {
        var slot = (int)((address.Lo * 0x9E3779B97F4A7C15UL ^ address.Hi * 0xC2B2AE3D27D4EB4FUL) >> 54) & (AddressSlots - 1);
        var text = _addressTexts.AsSpan(slot * FieldText.MaxAddressChars, FieldText.MaxAddressChars);
        int length = _addressLengths[slot];
        if (length == 0 || !_addressKeys[slot].Equals(address))
        {
            if (!address.TryFormat(buffer, out length) || length > FieldText.MaxAddressChars)
            {
                return [];
            }
            System.Text.Ascii.FromUtf16(buffer[..length], text, out _); // addresses are ASCII
            _addressKeys[slot] = address;
            _addressLengths[slot] = (byte)length;
        }
        return text[..length];
    }

    private static void WritePort(Utf8JsonWriter w, JsonEncodedText name, bool present, int value)
    {
        if (present) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private void WriteRule(Utf8JsonWriter w, string name, int id)
    {
        if (id >= 0) w.WriteString(name, _references[id]);
        else w.WriteNull(name);
    }

    private static void WriteAddress(Utf8JsonWriter w, string name, IpAddr address, Span<char> buffer)
    {
        if (address.TryFormat(buffer, out var n)) w.WriteString(name, buffer[..n]);
        else w.WriteString(name, address.ToString());
    }

    private static void WritePort(Utf8JsonWriter w, string name, bool present, int value)
    {
        if (present) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static void WriteTime(Utf8JsonWriter w, string name, long ns, Span<char> buffer)
    {
        if (FieldText.TryFormatTime(ns, buffer, out var n)) w.WriteString(name, buffer[..n]);
        else w.WriteNumber(name, ns);
    }
}
