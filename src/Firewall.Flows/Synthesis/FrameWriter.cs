using System.Buffers.Binary;
using Firewall.Engine.Addressing;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// Writes a <see cref="SynthPacket"/> as an Ethernet frame straight into a span, with every checksum
/// computed here (RFC 1071). No allocation: this is the path of <c>synth --random</c>, which writes
/// millions of packets; <see cref="PacketDotNetFrameBuilder"/> builds the same bytes through PacketDotNet
/// for flows files, and the tests check that the two agree byte for byte.
/// </summary>
public static class FrameWriter
{
    public const int EthernetHeaderLength = 14;

    /// <summary>Writes the frame; returns its length (<see cref="SynthPacket.FrameLength"/>).</summary>
    public static int Write(in SynthPacket p, Span<byte> dest)
    {
        var length = p.FrameLength;
        var frame = dest[..length];
        WriteMac(p.Dst, frame);
        WriteMac(p.Src, frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], p.IsV6 ? (ushort)0x86dd : (ushort)0x0800);
        WriteIpPacket(in p, frame[EthernetHeaderLength..]);
        return length;
    }

    /// <summary>A locally administered unicast MAC derived from the address, so hosts keep one MAC across a capture.</summary>
    public static void WriteMac(IpAddr address, Span<byte> dest)
    {
        var h = address.Lo ^ (address.Hi * 0x9E3779B97F4A7C15UL);
        h ^= h >> 29;
        dest[0] = 0x02;
        dest[1] = (byte)(h >> 32);
        BinaryPrimitives.WriteUInt32BigEndian(dest[2..], (uint)h);
    }

    /// <summary>Writes the IP packet (header, transport header, payload); returns <see cref="SynthPacket.IpLength"/>.</summary>
    public static int WriteIpPacket(in SynthPacket p, Span<byte> dest)
    {
        var ipLength = p.IpLength;
        var ip = dest[..ipLength];
        var headerLength = p.IpHeaderLength;
        WriteIpHeader(in p, ip);
        var transport = ip[headerLength..];
        switch (p.Protocol)
        {
            case IpProtocol.Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(transport, p.SrcPort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[2..], p.DstPort);
                BinaryPrimitives.WriteUInt32BigEndian(transport[4..], p.Seq);
                BinaryPrimitives.WriteUInt32BigEndian(transport[8..], p.Ack);
                transport[12] = 5 << 4; // data offset: 20 bytes, no options
                transport[13] = p.TcpFlags;
                BinaryPrimitives.WriteUInt16BigEndian(transport[14..], p.Window);
                BinaryPrimitives.WriteUInt32BigEndian(transport[16..], 0); // checksum, urgent pointer
                Payloads.Write(p.Payload, p.FromServer, p.SegmentIndex, p.MessageId, transport.Slice(20, p.PayloadLength));
                BinaryPrimitives.WriteUInt16BigEndian(transport[16..], TransportChecksum(in p, transport));
                break;
            case IpProtocol.Udp:
                BinaryPrimitives.WriteUInt16BigEndian(transport, p.SrcPort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[2..], p.DstPort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[4..], (ushort)transport.Length);
                BinaryPrimitives.WriteUInt16BigEndian(transport[6..], 0);
                Payloads.Write(p.Payload, p.FromServer, p.SegmentIndex, p.MessageId, transport.Slice(8, p.PayloadLength));
                var udpSum = TransportChecksum(in p, transport);
                // RFC 768: a computed 0 is sent as all ones (0 means "no checksum", forbidden over IPv6).
                BinaryPrimitives.WriteUInt16BigEndian(transport[6..], udpSum == 0 ? (ushort)0xffff : udpSum);
                break;
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                WriteIcmp(in p, transport);
                break;
            default:
                Payloads.Write(p.Payload, p.FromServer, p.SegmentIndex, p.MessageId, transport[..p.PayloadLength]);
                break;
        }
        return ipLength;
    }

    /// <summary>The IPv4 (with its checksum) or IPv6 header, for a packet of <see cref="SynthPacket.IpLength"/> bytes.</summary>
    private static void WriteIpHeader(in SynthPacket p, Span<byte> ip)
    {
        var ipLength = ip.Length;
        if (p.IsV6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(ip, 0x60000000); // version 6, traffic class 0, flow label 0
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ipLength - 40));
            ip[6] = p.Protocol;
            ip[7] = p.Ttl;
            p.Src.WriteBytes(ip[8..]);
            p.Dst.WriteBytes(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            ip[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], p.IpId);
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment, as Linux sends with PMTU discovery
            ip[8] = p.Ttl;
            ip[9] = p.Protocol;
            ip[10] = 0;
            ip[11] = 0;
            p.Src.WriteBytes(ip[12..]);
            p.Dst.WriteBytes(ip[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Finish(Checksum.Add(0, ip[..20])));
        }
    }

    /// <summary>An ICMP message: its header, the echo identifiers or the quoted packet, and its checksum.</summary>
    private static void WriteIcmp(in SynthPacket p, Span<byte> transport)
    {
        transport[0] = p.IcmpType;
        transport[1] = p.IcmpCode;
        BinaryPrimitives.WriteUInt16BigEndian(transport[2..], 0);
        if (p.Quote is { } quote)
        {
            BinaryPrimitives.WriteUInt32BigEndian(transport[4..], p.IcmpRest);
            WriteQuote(quote, transport[8..]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport[4..], p.IcmpId);
            BinaryPrimitives.WriteUInt16BigEndian(transport[6..], p.IcmpSeq);
            Payloads.Write(p.Payload, p.FromServer, p.SegmentIndex, p.MessageId, transport.Slice(8, p.PayloadLength));
        }
        // ICMPv4's checksum covers the message only (RFC 792); ICMPv6's adds the pseudo-header (RFC 4443 §2.3).
        var icmpSum = p.Protocol == IpProtocol.IcmpV6
            ? TransportChecksum(in p, transport)
            : Checksum.Finish(Checksum.Add(0, transport));
        BinaryPrimitives.WriteUInt16BigEndian(transport[2..], icmpSum);
    }

    private static void WriteQuote(QuotedSynth quote, Span<byte> dest)
    {
        var original = quote.Packet;
        Span<byte> full = original.IpLength <= 2048 ? stackalloc byte[original.IpLength] : new byte[original.IpLength];
        WriteIpPacket(in original, full);
        full[..quote.QuotedLength].CopyTo(dest);
    }

    /// <summary>The TCP/UDP/ICMPv6 checksum over the pseudo-header (RFC 793, RFC 768, RFC 8200 §8.1) and the segment.</summary>
    private static ushort TransportChecksum(in SynthPacket p, ReadOnlySpan<byte> segment) =>
        PseudoHeaderChecksum(p.Src, p.Dst, p.Protocol, segment);

    public static ushort PseudoHeaderChecksum(IpAddr src, IpAddr dst, byte protocol, ReadOnlySpan<byte> segment)
    {
        Span<byte> addresses = stackalloc byte[32];
        var n = src.WriteBytes(addresses);
        n += dst.WriteBytes(addresses[n..]);
        var sum = Checksum.Add(0, addresses[..n]);
        sum += protocol;
        sum += (uint)segment.Length; // fits: segments are far below 64 KiB
        sum = Checksum.Add(sum, segment);
        return Checksum.Finish(sum);
    }
}

/// <summary>The Internet checksum (RFC 1071): a one's-complement sum of 16-bit words.</summary>
public static class Checksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit sum (an odd final byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var v = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            acc += (v >> 48) + ((v >> 32) & 0xffff) + ((v >> 16) & 0xffff) + (v & 0xffff);
        }
        for (; i + 2 <= data.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            acc += (uint)data[i] << 8;
        }
        while (acc >> 16 != 0)
        {
            acc = (acc & 0xffff) + (acc >> 16);
        }
        return (uint)acc; // folded to 16 bits, so callers may add small values without overflow
    }

    public static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
