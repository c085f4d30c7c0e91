using System.Buffers.Binary;
using Firewall.Engine.Addressing;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// What a synthesized payload holds. Payloads are real protocol messages for the ports Wireshark dissects
/// (DNS, HTTP, TLS records, SSH banners, NTP), because random bytes on those ports would be reported as
/// malformed packets, and plain text elsewhere.
/// </summary>
public enum PayloadKind : byte
{
    None,
    HttpRequest,
    HttpResponse,
    TlsRecord,
    DnsQuery,
    DnsResponse,
    DnsTcpQuery,
    DnsTcpResponse,
    SshBanner,
    NtpRequest,
    NtpResponse,
    Text,
    EchoData,
}

/// <summary>Chooses payload kinds and lengths and writes payload bytes into spans, without allocating.</summary>
public static class Payloads
{
    /// <summary>The largest TCP data segment written; longer messages are split (a 1500-byte MTU with room for options).</summary>
    public const int MaxSegment = 1400;

    public const int EchoDataLength = 56; // ping's default

    private static ReadOnlySpan<byte> HttpRequestBytes =>
        "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: firewall-synth/1\r\nAccept: */*\r\n\r\n"u8;

    private static ReadOnlySpan<byte> HttpResponseHead =>
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"u8;

    private static ReadOnlySpan<byte> SshClientBanner => "SSH-2.0-OpenSSH_9.6 synth-client\r\n"u8;

    private static ReadOnlySpan<byte> SshServerBanner => "SSH-2.0-OpenSSH_9.6 synth-server\r\n"u8;

    private static ReadOnlySpan<byte> TextPattern => "synthetic payload from firewall synth; "u8;

    // www.example.com as DNS labels (RFC 1035 §3.1).
    private static ReadOnlySpan<byte> QueryName => "\u0003www\u0007example\u0003com\u0000"u8;

    private const int DnsHeader = 12;
    private static int DnsQuestion => QueryName.Length + 4;
    private const int DnsAnswer = 2 + 2 + 2 + 4 + 2 + 4; // name pointer, type, class, ttl, rdlength, IPv4 address

    public static int HttpRequestLength => HttpRequestBytes.Length;

    public static int MinHttpResponseLength => HttpResponseHead.Length;

    /// <summary>The request and response kinds for a flow's protocol and server port.</summary>
    public static (PayloadKind Request, PayloadKind Response) For(byte protocol, ushort serverPort) => protocol switch
    {
        IpProtocol.Tcp => serverPort switch
        {
            53 => (PayloadKind.DnsTcpQuery, PayloadKind.DnsTcpResponse),
            22 => (PayloadKind.SshBanner, PayloadKind.SshBanner),
            443 or 8443 or 465 or 636 or 993 or 995 => (PayloadKind.TlsRecord, PayloadKind.TlsRecord),
            _ => (PayloadKind.HttpRequest, PayloadKind.HttpResponse),
        },
        IpProtocol.Udp => serverPort switch
        {
            53 => (PayloadKind.DnsQuery, PayloadKind.DnsResponse),
            123 => (PayloadKind.NtpRequest, PayloadKind.NtpResponse),
            _ => (PayloadKind.Text, PayloadKind.Text),
        },
        IpProtocol.Icmp or IpProtocol.IcmpV6 => (PayloadKind.EchoData, PayloadKind.EchoData),
        _ => (PayloadKind.Text, PayloadKind.Text),
    };

    /// <summary>
    /// The length of a message of <paramref name="kind"/> given a wanted length: fixed-size messages (DNS,
    /// SSH banner, NTP, the HTTP request) ignore it; the others take it, with a floor where a header is needed.
    /// </summary>
    public static int MessageLength(PayloadKind kind, int wanted) => kind switch
    {
        PayloadKind.None => 0,
        PayloadKind.HttpRequest => HttpRequestBytes.Length,
        PayloadKind.HttpResponse => Math.Max(wanted, HttpResponseHead.Length),
        PayloadKind.TlsRecord => Math.Max(wanted, 6),
        PayloadKind.DnsQuery => DnsHeader + DnsQuestion,
        PayloadKind.DnsResponse => DnsHeader + DnsQuestion + DnsAnswer,
        PayloadKind.DnsTcpQuery => 2 + DnsHeader + DnsQuestion,
        PayloadKind.DnsTcpResponse => 2 + DnsHeader + DnsQuestion + DnsAnswer,
        PayloadKind.SshBanner => SshClientBanner.Length,
        PayloadKind.NtpRequest or PayloadKind.NtpResponse => 48,
        PayloadKind.EchoData => EchoDataLength,
        _ => Math.Max(wanted, 1),
    };

    /// <summary>
    /// Writes one segment's payload. <paramref name="segmentIndex"/> is the segment's position within its
    /// message (a TLS record header starts every segment, so each is a whole record; HTTP headers only the first).
    /// </summary>
    public static void Write(PayloadKind kind, bool fromServer, int segmentIndex, ushort messageId, Span<byte> dest)
    {
        switch (kind)
        {
            case PayloadKind.None:
                return;
            case PayloadKind.HttpRequest:
                Fill(HttpRequestBytes, dest);
                return;
            case PayloadKind.HttpResponse:
                WriteHttpResponse(segmentIndex, dest);
                return;
            case PayloadKind.TlsRecord:
                WriteTls(messageId, segmentIndex, dest);
                return;
            case PayloadKind.DnsQuery or PayloadKind.DnsResponse:
                WriteDns(kind == PayloadKind.DnsResponse, messageId, dest);
                return;
            case PayloadKind.DnsTcpQuery or PayloadKind.DnsTcpResponse:
                // RFC 1035 §4.2.2: over TCP a two-byte length precedes the message.
                BinaryPrimitives.WriteUInt16BigEndian(dest, (ushort)(dest.Length - 2));
                WriteDns(kind == PayloadKind.DnsTcpResponse, messageId, dest[2..]);
                return;
            case PayloadKind.SshBanner:
                Fill(fromServer ? SshServerBanner : SshClientBanner, dest);
                return;
            case PayloadKind.NtpRequest or PayloadKind.NtpResponse:
                WriteNtp(kind == PayloadKind.NtpResponse, dest);
                return;
            case PayloadKind.EchoData:
                for (var i = 0; i < dest.Length; i++)
                {
                    dest[i] = (byte)(0x10 + i); // ping's incrementing pattern
                }
                return;
            default:
                FillText(dest, segmentIndex);
                return;
        }
    }

    /// <summary>The status line and headers in the first segment of a response, text after them and in the others.</summary>
    private static void WriteHttpResponse(int segmentIndex, Span<byte> dest)
    {
        if (segmentIndex != 0)
        {
            FillText(dest, segmentIndex);
            return;
        }
        var head = HttpResponseHead;
        var n = Math.Min(head.Length, dest.Length);
        head[..n].CopyTo(dest);
        FillText(dest[n..], 0);
    }

    /// <summary>A TLS 1.2/1.3 application_data record (RFC 8446 §5.1: type 23, legacy version 0x0303, length).</summary>
    private static void WriteTls(ushort messageId, int segmentIndex, Span<byte> dest)
    {
        dest[0] = 23;
        dest[1] = 3;
        dest[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(dest[3..], (ushort)(dest.Length - 5));
        FillOpaque(dest[5..], messageId, segmentIndex);
    }

    /// <summary>RFC 5905 §7.3: LI 0, version 4, mode 3 (client) or 4 (server); the rest zero (no timestamps needed).</summary>
    private static void WriteNtp(bool response, Span<byte> dest)
    {
        dest.Clear();
        dest[0] = (byte)(0 << 6 | 4 << 3 | (response ? 4 : 3));
        if (response)
        {
            dest[1] = 2; // stratum 2
        }
    }

    private static void WriteDns(bool response, ushort id, Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dest, id);
        // QR=response, RD=1, RA=1 on a response; RFC 1035 §4.1.1.
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], response ? (ushort)0x8180 : (ushort)0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(dest[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(dest[6..], response ? (ushort)1 : (ushort)0);
        BinaryPrimitives.WriteUInt16BigEndian(dest[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(dest[10..], 0);
        var at = DnsHeader;
        QueryName.CopyTo(dest[at..]);
        at += QueryName.Length;
        BinaryPrimitives.WriteUInt16BigEndian(dest[at..], 1); // A
        BinaryPrimitives.WriteUInt16BigEndian(dest[(at + 2)..], 1); // IN
        at += 4;
        if (!response)
        {
            return;
        }
        BinaryPrimitives.WriteUInt16BigEndian(dest[at..], 0xc000 | DnsHeader); // pointer to the question name
        BinaryPrimitives.WriteUInt16BigEndian(dest[(at + 2)..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(dest[(at + 4)..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(dest[(at + 6)..], 300);
        BinaryPrimitives.WriteUInt16BigEndian(dest[(at + 10)..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(dest[(at + 12)..], 0xc0000222); // 192.0.2.34 (RFC 5737 documentation range)
    }

    private static void Fill(ReadOnlySpan<byte> source, Span<byte> dest)
    {
        var n = Math.Min(source.Length, dest.Length);
        source[..n].CopyTo(dest);
        FillText(dest[n..], 0);
    }

    private static void FillText(Span<byte> dest, int offset)
    {
        // Block copies of the pattern: this runs for every byte synth --random writes.
        var pattern = TextPattern;
        var start = (offset * 7) % pattern.Length;
        var first = Math.Min(pattern.Length - start, dest.Length);
        pattern.Slice(start, first).CopyTo(dest);
        for (var at = first; at < dest.Length; at += pattern.Length)
        {
            var n = Math.Min(pattern.Length, dest.Length - at);
            pattern[..n].CopyTo(dest[at..]);
        }
    }

    /// <summary>Deterministic, non-repeating-looking bytes for encrypted record bodies.</summary>
    private static void FillOpaque(Span<byte> dest, ushort seed, int segment)
    {
        // xorshift64, eight bytes per step.
        var x = (seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)segment * 0xBF58476D1CE4E5B9UL) ^ 0x2545F4914F6CDD1DUL;
        var i = 0;
        for (; i + 8 <= dest.Length; i += 8)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            BinaryPrimitives.WriteUInt64LittleEndian(dest[i..], x);
        }
        for (; i < dest.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            dest[i] = (byte)x;
        }
    }
}
