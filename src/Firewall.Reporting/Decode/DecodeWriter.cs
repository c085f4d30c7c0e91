using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Decode;

/// <summary>Supplies the next decoded packet; false at the end (the shape of <c>PacketReader.TryReadNext</c>).</summary>
public delegate bool PacketSupplier(ref PacketInfo info);

/// <summary>
/// Writes decoded packets as CSV or JSONL, one row per frame, with the columns of <see cref="Columns"/>
/// (documented with their tshark equivalents in docs/decode-fields.md). Rows are assembled in one reused
/// character buffer, so writing allocates nothing per packet.
/// </summary>
public sealed class DecodeWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "frame", "time", "linktype", "src", "dst", "proto", "sport", "dport", "icmp_type", "icmp_code", "icmp_id",
        "tcp_flags", "frag_offset", "more_fragments", "frag_id", "inner_src", "inner_dst", "inner_proto",
        "inner_sport", "inner_dport", "vlan", "error",
    ];

    // A row is at most 22 columns with four addresses of 45 characters, short numbers and one error or
    // not-ip text: far below this.
    private const int MaxRowLength = 1024;
    private const int BufferLength = 64 * 1024;

    private static readonly string[] FlagText = Enumerable.Range(0, 256).Select(f => TcpFlag.Format((byte)f)).ToArray();
    private static readonly string[] JsonKeys = Columns.Select((c, i) => (i == 0 ? "{\"" : ",\"") + c + "\":").ToArray();

    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly char[] _buffer = new char[BufferLength];
    private int _length;
    private int _column;

    public DecodeWriter(TextWriter output, DecodeFormat format)
    {
        _output = output;
        _json = format == DecodeFormat.Jsonl;
    }

    public long Rows { get; private set; }

    /// <summary>Writes the header, every packet <paramref name="next"/> supplies, and flushes; returns the row count.</summary>
    public static long Write(PacketSupplier next, TextWriter output, DecodeFormat format)
    {
        var writer = new DecodeWriter(output, format);
        writer.WriteHeader();
        var info = new PacketInfo();
        while (next(ref info))
        {
            writer.Write(info);
        }
        writer.Flush();
        return writer.Rows;
    }

    /// <summary>The CSV header line; JSONL has none.</summary>
    public void WriteHeader()
    {
        if (!_json)
        {
            _output.Write(string.Join(',', Columns));
            _output.Write('\n');
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(in PacketInfo p)
    {
        if (_buffer.Length - _length < MaxRowLength)
        {
            Flush();
        }
        _column = 0;
        var ip = p.IsIp;
        var ipv4 = p.IpVersion == 4;
        var fragmentFields = ipv4 || p.Has(PacketFlags.Fragment);
        var inner = p.Has(PacketFlags.InnerHeader);
        var innerPorts = p.Has(PacketFlags.InnerPorts);

        Field(); Number(p.Frame);
        Field(); Time(p.TimestampNs);
        Field(); Number(p.LinkType);
        Field(); if (ip) Address(p.Src); else Null();
        Field(); if (ip) Address(p.Dst); else Null();
        Field(); if (ip) Number(p.Protocol); else Null();
        Field(); if (p.Has(PacketFlags.Ports)) Number(p.SrcPort); else Null();
        Field(); if (p.Has(PacketFlags.Ports)) Number(p.DstPort); else Null();
        Field(); if (p.Has(PacketFlags.Icmp)) Number(p.IcmpType); else Null();
        Field(); if (p.Has(PacketFlags.Icmp)) Number(p.IcmpCode); else Null();
        Field(); if (p.Has(PacketFlags.IcmpEcho)) Number(p.IcmpId); else Null();
        Field(); if (p.Has(PacketFlags.Tcp)) Text(FlagText[p.TcpFlags]); else Null();
        Field(); if (fragmentFields) Number(p.FragOffset); else Null();
        Field(); if (fragmentFields) Boolean(p.Has(PacketFlags.MoreFragments)); else Null();
        Field(); if (fragmentFields) Number(p.FragId); else Null();
        Field(); if (inner) Address(p.InnerSrc); else Null();
        Field(); if (inner) Address(p.InnerDst); else Null();
        Field(); if (inner) Number(p.InnerProtocol); else Null();
        Field(); if (innerPorts) Number(p.InnerSrcPort); else Null();
        Field(); if (innerPorts) Number(p.InnerDstPort); else Null();
        Field(); if (p.Has(PacketFlags.Vlan)) Number(p.Vlan); else Null();
        Field(); if (p.Error != DecodeError.None) Text(DecodeErrorText.Name(p.Error)); else if (p.NotIp != NotIpKind.None) NotIp(in p); else Null();
        if (_json)
        {
            _buffer[_length++] = '}';
        }
        _buffer[_length++] = '\n';
        Rows++;
    }

    public void Flush()
    {
        _output.Write(_buffer, 0, _length);
        _length = 0;
        _output.Flush();
    }

    private void Field()
    {
        if (_json)
        {
            Raw(JsonKeys[_column]);
        }
        else if (_column > 0)
        {
            _buffer[_length++] = ',';
        }
        _column++;
    }

    private void Raw(string text)
    {
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Null()
    {
        if (_json)
        {
            Raw("null");
        }
    }

    private void Number(long value)
    {
        value.TryFormat(_buffer.AsSpan(_length), out var written);
        _length += written;
    }

    private void Boolean(bool value)
    {
        if (_json)
        {
            Raw(value ? "true" : "false");
        }
        else
        {
            _buffer[_length++] = value ? '1' : '0';
        }
    }

    private void Text(string value)
    {
        // Every text value (flags, error names) is plain ASCII without quotes, commas or backslashes.
        Quote();
        Raw(value);
        Quote();
    }

    /// <summary>Why a decoded frame has no IP columns: <c>not-ip: arp</c> and the like (plain ASCII, nothing to escape).</summary>
    private void NotIp(in PacketInfo p)
    {
        Quote();
        _length += NotIpText.Format(in p, _buffer.AsSpan(_length));
        Quote();
    }

    private void Address(in IpAddr address)
    {
        Quote();
        _length += AddressText.Format(address, _buffer.AsSpan(_length));
        Quote();
    }

    private void Quote()
    {
        if (_json)
        {
            _buffer[_length++] = '"';
        }
    }

    /// <summary>ISO 8601 UTC with nine fractional digits, floor-divided so times before 1970 read correctly too.</summary>
    private void Time(long ns)
    {
        var seconds = Math.DivRem(ns, 1_000_000_000, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000;
        }
        // Int64 nanoseconds span 1677-2262, well inside DateTime's range.
        var t = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
        Quote();
        Digits(t.Year, 4);
        _buffer[_length++] = '-';
        Digits(t.Month, 2);
        _buffer[_length++] = '-';
        Digits(t.Day, 2);
        _buffer[_length++] = 'T';
        Digits(t.Hour, 2);
        _buffer[_length++] = ':';
        Digits(t.Minute, 2);
        _buffer[_length++] = ':';
        Digits(t.Second, 2);
        _buffer[_length++] = '.';
        Digits(fraction, 9);
        _buffer[_length++] = 'Z';
        Quote();
    }

    private void Digits(long value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            _buffer[_length + i] = (char)('0' + value % 10);
            value /= 10;
        }
        _length += count;
    }
}
