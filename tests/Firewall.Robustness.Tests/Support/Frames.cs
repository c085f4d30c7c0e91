using System.Buffers.Binary;

namespace Firewall.Robustness.Tests.Support;

/// <summary>Hand-built frames and captures for the bounds tests (no checksums: the decoder does not verify them).</summary>
internal static class Frames
{
    public static readonly byte[] Web1 = [10, 0, 1, 10];

    /// <summary>A classic little-endian microsecond pcap: 24-byte header, then one record per frame.</summary>
    public static byte[] Pcap(ushort linkType, params byte[][] frames)
    {
        var s = new MemoryStream();
        s.Write(PcapHeader(linkType));
        uint t = 0;
        foreach (var f in frames)
        {
            s.Write(PcapRecordHeader(t++, (uint)f.Length, (uint)f.Length));
            s.Write(f);
        }
        return s.ToArray();
    }

    public static byte[] PcapHeader(ushort linkType, uint snapLength = 262144)
    {
        var h = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(20), linkType);
        return h;
    }

    public static byte[] PcapRecordHeader(uint seconds, uint captured, uint original)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), captured);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), original);
        return h;
    }

    /// <summary>A pcapng block: type, total length, body padded to 4 bytes, total length again.</summary>
    public static byte[] PcapngBlock(uint type, ReadOnlySpan<byte> body)
    {
        var padded = (body.Length + 3) & ~3;
        var total = 12 + padded;
        var b = new byte[total];
        BinaryPrimitives.WriteUInt32LittleEndian(b, type);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)total);
        body.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(total - 4), (uint)total);
        return b;
    }

    public static byte[] SectionHeader()
    {
        var body = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1a2b3c4d);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1); // section length unknown
        return PcapngBlock(0x0a0d0d0a, body);
    }

    public static byte[] InterfaceDescription(ushort linkType, uint snapLength = 0)
    {
        var body = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(body, linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), snapLength);
        return PcapngBlock(1, body);
    }

    public static byte[] EnhancedPacket(ReadOnlySpan<byte> frame)
    {
        var body = new byte[20 + frame.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), (uint)frame.Length);
        frame.CopyTo(body.AsSpan(20));
        return PcapngBlock(6, body);
    }

    /// <summary>An Ethernet frame: zero MACs, <paramref name="etherType"/>, then <paramref name="payload"/>.</summary>
    public static byte[] Ethernet(ushort etherType, ReadOnlySpan<byte> payload)
    {
        var f = new byte[14 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), etherType);
        payload.CopyTo(f.AsSpan(14));
        return f;
    }

    /// <summary>IPv4 header (20 bytes) + a TCP SYN (20 bytes) from <paramref name="src"/>:<paramref name="sport"/> to <paramref name="dst"/>:<paramref name="dport"/>.</summary>
    public static void WriteIpv4TcpSyn(Span<byte> p, uint src, ReadOnlySpan<byte> dst, ushort sport, ushort dport)
    {
        p[..40].Clear();
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 40);
        p[8] = 64;
        p[9] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], src);
        dst.CopyTo(p[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(p[20..], sport);
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], dport);
        BinaryPrimitives.WriteUInt32BigEndian(p[24..], 1);
        p[32] = 0x50; // data offset 5
        p[33] = 0x02; // SYN
        BinaryPrimitives.WriteUInt16BigEndian(p[34..], 64240);
    }
}
