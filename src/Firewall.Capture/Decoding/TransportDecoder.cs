using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Capture.Decoding;

/// <summary>
/// The TCP, UDP and ICMP fields the engine needs, the packet an ICMP error quotes, and VXLAN's inner frame
/// when asked to decapsulate.
/// </summary>
internal static class TransportDecoder
{
    private const int TcpFieldsLength = 14;        // ports, seq, ack, data offset and flags: bytes 0..13
    private const int TcpMinimumHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const int IcmpHeaderLength = 8;
    private const int VxlanHeaderLength = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DecodeError DecodeTransport(ReadOnlySpan<byte> payload, int payloadWire, bool decapsulate, ref PacketInfo info) =>
        info.Protocol switch
        {
            IpProtocol.Tcp => DecodeTcp(payload, payloadWire, ref info),
            IpProtocol.Udp => DecodeUdp(payload, payloadWire, decapsulate, ref info),
            IpProtocol.Icmp or IpProtocol.IcmpV6 => DecodeIcmp(payload, payloadWire, ref info),
            _ => DecodeError.None,
        };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeError DecodeTcp(ReadOnlySpan<byte> payload, int payloadWire, ref PacketInfo info)
    {
        if (payload.Length < TcpFieldsLength)
        {
            return DecodeError.TruncatedTransportHeader;
        }
        info.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(payload);
        info.DstPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        info.Seq = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        info.Ack = BinaryPrimitives.ReadUInt32BigEndian(payload[8..]);
        info.TcpFlags = payload[13];
        info.Flags |= PacketFlags.Ports | PacketFlags.Tcp;
        var headerLength = (payload[12] >> 4) * 4;
        if (headerLength < TcpMinimumHeaderLength || headerLength > payloadWire)
        {
            return DecodeError.BadTcpHeaderLength;
        }
        info.PayloadLength = payloadWire - headerLength;
        return DecodeError.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeError DecodeUdp(ReadOnlySpan<byte> payload, int payloadWire, bool decapsulate, ref PacketInfo info)
    {
        if (payload.Length < 4)
        {
            return DecodeError.TruncatedTransportHeader;
        }
        info.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(payload);
        info.DstPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        info.Flags |= PacketFlags.Ports;
        info.PayloadLength = Math.Max(0, payloadWire - UdpHeaderLength);
        return decapsulate && info.DstPort == PacketDecoder.VxlanPort
            ? DecodeVxlan(payload, payloadWire, ref info)
            : DecodeError.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeError DecodeIcmp(ReadOnlySpan<byte> payload, int payloadWire, ref PacketInfo info)
    {
        if (payload.Length < 2)
        {
            return DecodeError.TruncatedTransportHeader;
        }
        info.IcmpType = payload[0];
        info.IcmpCode = payload[1];
        info.Flags |= PacketFlags.Icmp;
        info.PayloadLength = Math.Max(0, payloadWire - IcmpHeaderLength);
        if (IcmpKind.IsEchoRequest(info.Protocol, info.IcmpType) || IcmpKind.IsEchoReply(info.Protocol, info.IcmpType))
        {
            // RFC 792 / RFC 4443 §4.1: identifier in bytes 4-5.
            if (payload.Length < 6)
            {
                return DecodeError.TruncatedTransportHeader;
            }
            info.IcmpId = BinaryPrimitives.ReadUInt16BigEndian(payload[4..]);
            info.Flags |= PacketFlags.IcmpEcho;
        }
        else if (IcmpKind.IsError(info.Protocol, info.IcmpType) && payload.Length > IcmpHeaderLength)
        {
            DecodeQuoted(payload[IcmpHeaderLength..], ref info);
        }
        return DecodeError.None;
    }

    /// <summary>
    /// The packet quoted by an ICMP error (RFC 792: IP header + 8 bytes; RFC 4443 §2.4: as much as fits).
    /// Quotes are routinely cut short, so a missing part is no error: the Inner* fields are set as far as present.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeQuoted(ReadOnlySpan<byte> quoted, ref PacketInfo info)
    {
        var version = quoted[0] >> 4;
        int transportOffset;
        if (version == 4)
        {
            var headerLength = (quoted[0] & 0x0f) * 4;
            if (quoted.Length < IpDecoder.Ipv4MinimumHeaderLength || headerLength < IpDecoder.Ipv4MinimumHeaderLength)
            {
                return;
            }
            info.InnerProtocol = quoted[9];
            info.InnerSrc = IpAddr.FromV4(BinaryPrimitives.ReadUInt32BigEndian(quoted[12..]));
            info.InnerDst = IpAddr.FromV4(BinaryPrimitives.ReadUInt32BigEndian(quoted[16..]));
            info.Flags |= PacketFlags.InnerHeader;
            if ((BinaryPrimitives.ReadUInt16BigEndian(quoted[6..]) & 0x1fff) != 0)
            {
                return;
            }
            transportOffset = headerLength;
        }
        else if (version == 6)
        {
            if (quoted.Length < IpDecoder.Ipv6HeaderLength)
            {
                return;
            }
            info.InnerSrc = IpDecoder.ReadIpv6(quoted[8..]);
            info.InnerDst = IpDecoder.ReadIpv6(quoted[24..]);
            var next = quoted[6];
            transportOffset = IpDecoder.Ipv6HeaderLength;
            var error = IpDecoder.WalkExtensionHeaders(quoted, quoted.Length, ref next, ref transportOffset, out var fragment);
            info.InnerProtocol = next;
            info.Flags |= PacketFlags.InnerHeader;
            if (error != DecodeError.None || fragment.Offset != 0)
            {
                return;
            }
        }
        else
        {
            return;
        }
        if (IpProtocol.HasPorts(info.InnerProtocol) && quoted.Length >= transportOffset + 4)
        {
            info.InnerSrcPort = BinaryPrimitives.ReadUInt16BigEndian(quoted[transportOffset..]);
            info.InnerDstPort = BinaryPrimitives.ReadUInt16BigEndian(quoted[(transportOffset + 2)..]);
            info.Flags |= PacketFlags.InnerPorts;
        }
    }

    /// <summary>
    /// RFC 7348 §5: UDP payload = 8-byte VXLAN header + inner Ethernet frame. The inner frame replaces the
    /// outer packet in <paramref name="info"/>; frame number, timestamp and lengths stay the outer record's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeVxlan(ReadOnlySpan<byte> udp, int udpWire, ref PacketInfo info)
    {
        const int needed = UdpHeaderLength + VxlanHeaderLength + LinkLayerDecoder.EthernetHeaderLength;
        if (udp.Length < needed || udpWire < needed)
        {
            return DecodeError.BadVxlan;
        }
        var frameNumber = info.Frame;
        var timestamp = info.TimestampNs;
        var linkType = info.LinkType;
        var captured = info.CapturedLength;
        var original = info.OriginalLength;
        var truncated = info.Flags & PacketFlags.Truncated;
        info = default;
        info.Frame = frameNumber;
        info.TimestampNs = timestamp;
        info.LinkType = linkType;
        info.CapturedLength = captured;
        info.OriginalLength = original;
        info.Flags = truncated | PacketFlags.Decapsulated;
        const int innerStart = UdpHeaderLength + VxlanHeaderLength;
        // One level only: a VXLAN packet inside the mirrored traffic is reported as the UDP it is.
        return LinkLayerDecoder.DecodeEthernet(udp[innerStart..], udpWire - innerStart, decapsulate: false, ref info);
    }
}
