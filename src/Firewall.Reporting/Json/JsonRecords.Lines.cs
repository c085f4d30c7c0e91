using System.Text.Encodings.Web;
using System.Text.Json;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Json;

/// <summary>
/// Packet records of JSON Lines written straight as bytes: millions of them are written per run, and a
/// record has a fixed shape whose every string is either pre-encoded or plain ASCII (times, addresses).
/// The bytes are exactly those <see cref="WritePacket(Utf8JsonWriter, in PacketInfo, in PacketResult, bool)"/>
/// writes with <c>typed: true</c>, plus the newline; a test compares the two on every kind of packet.
/// </summary>
internal sealed partial class JsonRecords
{
    private static readonly byte[] LFrame = "{\"type\":\"packet\",\"frame\":"u8.ToArray();
    private static readonly byte[] LTime = ",\"time\":"u8.ToArray();
    private static readonly byte[] LProto = ",\"proto\":"u8.ToArray();
    private static readonly byte[] LSrc = ",\"src\":"u8.ToArray();
    private static readonly byte[] LSport = ",\"sport\":"u8.ToArray();
    private static readonly byte[] LDst = ",\"dst\":"u8.ToArray();
    private static readonly byte[] LDport = ",\"dport\":"u8.ToArray();
    private static readonly byte[] LIcmpType = ",\"icmp_type\":"u8.ToArray();
    private static readonly byte[] LIcmpCode = ",\"icmp_code\":"u8.ToArray();
    private static readonly byte[] LTcpFlags = ",\"tcp_flags\":"u8.ToArray();
    private static readonly byte[] LLength = ",\"length\":"u8.ToArray();
    private static readonly byte[] LFlow = ",\"flow\":"u8.ToArray();
    private static readonly byte[] LDirection = ",\"direction\":"u8.ToArray();
    private static readonly byte[] LVerdict = ",\"verdict\":"u8.ToArray();
    private static readonly byte[] LRule = ",\"rule\":"u8.ToArray();
    private static readonly byte[] LReason = ",\"reason\":"u8.ToArray();
    private static readonly byte[] LHops = ",\"hops\":["u8.ToArray();
    private static readonly byte[] LHopKind = "{\"kind\":"u8.ToArray();
    private static readonly byte[] LHopResult = ",\"result\":"u8.ToArray();
    private static readonly byte[] LHopBasis = ",\"basis\":"u8.ToArray();
    private static readonly byte[] LStatelessVerdict = "],\"stateless_verdict\":"u8.ToArray();
    private static readonly byte[] LStatelessRule = ",\"stateless_rule\":"u8.ToArray();
    private static readonly byte[] LNotes = ",\"notes\":["u8.ToArray();
    private static readonly byte[] LError = "],\"error\":"u8.ToArray();
    private static readonly byte[] Null = "null"u8.ToArray();

    // Strings the writer would escape with its (relaxed) encoder, encoded the same way once.
    private static readonly JsonEncodedText[] ErrorTexts = ErrorNames.Select(n => JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).ToArray();
    private readonly Dictionary<string, JsonEncodedText> _noteTexts = new();

    /// <summary>The most bytes <see cref="WritePacketLine"/> can write for a result with this many hops.</summary>
    public int MaxPacketLineBytes(int hops)
    {
        // Names, punctuation and fixed values stay well under 1 KiB; each rule reference appears at most
        // once per hop and twice more (rule, stateless rule), with its quotes.
        return 1024 + (hops + 2) * (_longestReference + 2) + hops * 128;
    }

    // Kept whole: the per-packet hot path of --format jsonl, one pass over the record's fields in output order
    // through a ref struct appender over the caller's span; parts would pass the appender and its offset by ref.
    /// <summary>One packet's JSON Lines record and its newline; returns the bytes written.</summary>
    public int WritePacketLine(Span<byte> destination, in PacketInfo p, in PacketResult r)
    {
        var o = new Appender(destination);
        Span<char> text = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        o.Add(LFrame);
        o.Number(p.Frame);
        o.Add(LTime);
        if (FieldText.TryFormatTime(p.TimestampNs, text, out var n)) o.Quoted(text[..n]);
        else o.Number(p.TimestampNs);
        o.Add(LProto);
        if (p.IsIp)
        {
            o.Quoted(ProtocolNames[p.Protocol]);
            o.Add(LSrc);
            AddressText(ref o, p.Src, text);
            o.Add(LSport);
            o.NumberOrNull(p.Has(PacketFlags.Ports), p.SrcPort);
            o.Add(LDst);
            AddressText(ref o, p.Dst, text);
            o.Add(LDport);
            o.NumberOrNull(p.Has(PacketFlags.Ports), p.DstPort);
        }
        else
        {
            o.Add(Null);
            o.Add(LSrc);
            o.Add(Null);
            o.Add(LSport);
            o.Add(Null);
            o.Add(LDst);
            o.Add(Null);
            o.Add(LDport);
            o.Add(Null);
        }
        var icmp = p.IsIp && p.Has(PacketFlags.Icmp);
        o.Add(LIcmpType);
        o.NumberOrNull(icmp, p.IcmpType);
        o.Add(LIcmpCode);
        o.NumberOrNull(icmp, p.IcmpCode);
        o.Add(LTcpFlags);
        if (p.IsIp && p.Has(PacketFlags.Tcp)) o.Quoted(TcpFlagNames[p.TcpFlags]);
        else o.Add(Null);
        o.Add(LLength);
        o.Number(p.OriginalLength);
        o.Add(LFlow);
        if (r.FlowId >= 0)
        {
            o.Number(r.FlowId);
            o.Add(LDirection);
            o.Quoted(r.IsReply ? ReplyName : RequestName);
        }
        else
        {
            o.Add(Null);
            o.Add(LDirection);
            o.Add(Null);
        }
        o.Add(LVerdict);
        o.Quoted(VerdictTexts[(int)r.Verdict]);
        o.Add(LRule);
        RuleOrNull(ref o, r.Verdict == Verdict.Undecodable ? -1 : r.RuleId);
        o.Add(LReason);
        if (r.Verdict == Verdict.Deny) o.Quoted(ReasonTexts[(int)r.Reason]);
        else if (p.NotIp != NotIpKind.None) o.Quoted(text[..NotIpText.Format(in p, text)]);
        else o.Add(Null);
        o.Add(LHops);
        for (var h = 0; h < r.HopCount; h++)
        {
            var hop = r.Hops[h];
            if (h > 0) o.Byte((byte)',');
            o.Add(LHopKind);
            o.Quoted(HopTexts[(int)hop.Kind]);
            o.Add(LRule);
            o.Quoted(_references[hop.RuleId]);
            o.Add(LHopResult);
            o.Quoted(hop.Allowed ? AllowName : DenyName);
            o.Add(LHopBasis);
            o.Quoted(BasisTexts[(int)hop.Basis]);
            o.Byte((byte)'}');
        }
        o.Add(LStatelessVerdict);
        o.Quoted(VerdictTexts[(int)r.StatelessVerdict]);
        o.Add(LStatelessRule);
        RuleOrNull(ref o, r.StatelessVerdict == Verdict.Undecodable ? -1 : r.StatelessRuleId);
        o.Add(LNotes);
        var count = FieldText.Notes(in p, in r, _notes);
        for (var i = 0; i < count; i++)
        {
            if (i > 0) o.Byte((byte)',');
            o.Quoted(NoteText(_notes[i]));
        }
        o.Add(LError);
        if (p.Decoded) o.Add(Null);
        else o.Quoted(ErrorTexts[(int)p.Error]);
        o.Byte((byte)'}');
        o.Byte((byte)'\n');
        return o.Written;
    }

    private JsonEncodedText NoteText(string note)
    {
        if (!_noteTexts.TryGetValue(note, out var text))
        {
            _noteTexts[note] = text = JsonEncodedText.Encode(note, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }
        return text;
    }

    private void AddressText(ref Appender o, Engine.Addressing.IpAddr address, scoped Span<char> buffer)
    {
        var text = PacketAddress(address, buffer);
        if (text.IsEmpty) o.Quoted(address.ToString().AsSpan());
        else o.Quoted(text);
    }

    private void RuleOrNull(ref Appender o, int id)
    {
        if (id >= 0) o.Quoted(_references[id]);
        else o.Add(Null);
    }

    /// <summary>Appends to a span sized beforehand (<see cref="MaxPacketLineBytes"/>); overrunning it throws.</summary>
    private ref struct Appender(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void Add(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Written..]);
            Written += bytes.Length;
        }

        public void Byte(byte b) => _destination[Written++] = b;

        public void Quoted(JsonEncodedText text)
        {
            Byte((byte)'"');
            Add(text.EncodedUtf8Bytes);
            Byte((byte)'"');
        }

        public void Quoted(scoped ReadOnlySpan<byte> ascii)
        {
            Byte((byte)'"');
            Add(ascii);
            Byte((byte)'"');
        }

        /// <summary>ASCII text (times, addresses: nothing to escape).</summary>
        public void Quoted(scoped ReadOnlySpan<char> ascii)
        {
            Byte((byte)'"');
            System.Text.Ascii.FromUtf16(ascii, _destination[Written..], out var n);
            Written += n;
            Byte((byte)'"');
        }

        public void Number(long value)
        {
            if (!value.TryFormat(_destination[Written..], out var n, provider: System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new ArgumentException("the record outgrew its buffer");
            }
            Written += n;
        }

        public void NumberOrNull(bool present, int value)
        {
            if (present) Number(value);
            else Add(Null);
        }
    }
}
