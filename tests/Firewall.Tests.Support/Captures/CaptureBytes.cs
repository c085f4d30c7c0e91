using System.Buffers.Binary;
using System.IO.Compression;

namespace Firewall.Tests.Support.Captures;

/// <summary>Builds pcap and pcapng files byte by byte, in either byte order.</summary>
public sealed class CaptureBytes
{
    private readonly List<byte> _bytes = [];
    private bool _bigEndian;

    public byte[] ToArray() => [.. _bytes];

    public int Length => _bytes.Count;

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    // ---- classic pcap ----

    public static CaptureBytes Pcap(bool bigEndian = false, bool nanoseconds = false, uint linkType = 1, uint snapLength = 262144, uint? magic = null)
    {
        var c = new CaptureBytes { _bigEndian = bigEndian };
        c.U32(magic ?? (nanoseconds ? 0xa1b23c4du : 0xa1b2c3d4u));
        c.U16(2);
        c.U16(4);
        c.U32(0);
        c.U32(0);
        c.U32(snapLength);
        c.U32(linkType);
        return c;
    }

    public CaptureBytes Record(uint seconds, uint fraction, byte[] data, uint? originalLength = null, uint? capturedLength = null)
    {
        U32(seconds);
        U32(fraction);
        U32(capturedLength ?? (uint)data.Length);
        U32(originalLength ?? (uint)data.Length);
        _bytes.AddRange(data);
        return this;
    }

    /// <summary>The "modified" pcap of Kuznetsov's patched libpcap: magic a1b2cd34, microseconds.</summary>
    public static CaptureBytes ModifiedPcap(bool bigEndian = false, uint linkType = 1) => Pcap(bigEndian, linkType: linkType, magic: 0xa1b2cd34);

    /// <summary>A modified-pcap record: the standard 16 header bytes, then interface index, protocol, packet type and a pad byte.</summary>
    public CaptureBytes ModifiedRecord(uint seconds, uint microseconds, byte[] data, uint? originalLength = null,
        uint interfaceIndex = 2, ushort protocol = 0x0800, byte packetType = 4)
    {
        U32(seconds);
        U32(microseconds);
        U32((uint)data.Length);
        U32(originalLength ?? (uint)data.Length);
        U32(interfaceIndex);
        U16(protocol);
        _bytes.Add(packetType);
        _bytes.Add(0);
        _bytes.AddRange(data);
        return this;
    }

    // ---- pcapng ----

    public static CaptureBytes Pcapng(bool bigEndian = false) => new CaptureBytes().Section(bigEndian);

    public CaptureBytes Section(bool bigEndian = false, byte[]? options = null)
    {
        _bigEndian = bigEndian;
        byte[] body = [.. Word(0x1a2b3c4d), .. Half(1), .. Half(0), .. Long(-1), .. options ?? []];
        return Block(0x0a0d0d0a, body);
    }

    public CaptureBytes Interface(ushort linkType, uint snapLength = 0, byte? tsresol = null, long? tsoffset = null)
    {
        var body = new List<byte>();
        body.AddRange(Half(linkType));
        body.AddRange(Half(0));
        body.AddRange(Word(snapLength));
        if (tsresol is { } r)
        {
            body.AddRange(Option(9, [r]));
        }
        if (tsoffset is { } o)
        {
            body.AddRange(Option(14, Long(o)));
        }
        if (tsresol is not null || tsoffset is not null)
        {
            body.AddRange(Option(0, []));
        }
        return Block(1, [.. body]);
    }

    public CaptureBytes Enhanced(uint interfaceId, ulong timestamp, byte[] data, uint? originalLength = null, uint? capturedLength = null, byte[]? options = null)
    {
        byte[] body = [.. Word(interfaceId), .. Word((uint)(timestamp >> 32)), .. Word((uint)timestamp),
            .. Word(capturedLength ?? (uint)data.Length), .. Word(originalLength ?? (uint)data.Length), .. Pad(data), .. options ?? []];
        return Block(6, body);
    }

    public CaptureBytes Simple(byte[] data, uint? originalLength = null)
    {
        byte[] body = [.. Word(originalLength ?? (uint)data.Length), .. Pad(data)];
        return Block(3, body);
    }

    public CaptureBytes ObsoletePacket(ushort interfaceId, ulong timestamp, byte[] data)
    {
        byte[] body = [.. Half(interfaceId), .. Half(0), .. Word((uint)(timestamp >> 32)), .. Word((uint)timestamp),
            .. Word((uint)data.Length), .. Word((uint)data.Length), .. Pad(data)];
        return Block(2, body);
    }

    public CaptureBytes Block(uint type, byte[] body, uint? lengthOverride = null, uint? trailerOverride = null)
    {
        var length = (uint)(12 + body.Length);
        U32(type);
        U32(lengthOverride ?? length);
        _bytes.AddRange(body);
        U32(trailerOverride ?? lengthOverride ?? length);
        return this;
    }

    public CaptureBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    private byte[] Option(ushort code, byte[] value) => [.. Half(code), .. Half((ushort)value.Length), .. Pad(value)];

    private static byte[] Pad(byte[] data) => [.. data, .. new byte[(4 - data.Length % 4) % 4]];

    private byte[] Half(ushort v)
    {
        var b = new byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private byte[] Word(uint v)
    {
        var b = new byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private byte[] Long(long v)
    {
        var b = new byte[8];
        if (_bigEndian) BinaryPrimitives.WriteInt64BigEndian(b, v); else BinaryPrimitives.WriteInt64LittleEndian(b, v);
        return b;
    }

    private void U16(ushort v) => _bytes.AddRange(Half(v));

    private void U32(uint v) => _bytes.AddRange(Word(v));
}
