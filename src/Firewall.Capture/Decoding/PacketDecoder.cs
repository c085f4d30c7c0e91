using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Firewall.Capture.Reading;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Capture.Decoding;

/// <summary>
/// Decodes one frame into a <see cref="PacketInfo"/> in place: link layer, IPv4/IPv6 (options and extension
/// headers walked), then the TCP/UDP/ICMP fields the engine needs. Never throws and never allocates; a
/// frame it cannot decode gets exactly one <see cref="DecodeError"/> and keeps the fields read before it.
/// Every read is bounded by the captured bytes; lengths stated in headers are checked against the frame's
/// length on the wire, so snaplen truncation and malformation are told apart.
/// The per-packet methods here, in the reader and in the writers are marked AggressiveOptimization: a
/// replay of a million packets is over before tiered compilation would promote them from tier 0, which
/// measured 2.2 times slower for a whole read+decode run.
/// </summary>
public static class PacketDecoder
{
    /// <summary>VLAN tags accepted in a row; deeper stacks are hostile or broken (802.1ad QinQ uses two).</summary>
    public const int MaxVlanTags = 8;

    /// <summary>
    /// MPLS label stack entries accepted in one frame, pseudowires' inner stacks included. Linux pushes at
    /// most 30 labels per route (MAX_NEW_LABELS, net/mpls/internal.h); segment-routing stacks in use are about a
    /// dozen deep. A deeper stack is hostile or broken.
    /// </summary>
    public const int MaxMplsLabels = 32;

    /// <summary>IPv6 extension headers walked before giving up (RFC 8200 §4.1 lists at most 8 in practice).</summary>
    public const int MaxExtensionHeaders = 16;

    /// <summary>IANA-assigned VXLAN port (RFC 7348 §5).</summary>
    public const ushort VxlanPort = 4789;

    private const int EthernetHeaderLength = 14;
    private const int VlanTagLength = 4;
    private const int MplsLabelLength = 4;

    /// <summary>The pseudowire control word (RFC 4385): first nibble 0, flags, length and sequence number.</summary>
    private const int ControlWordLength = 4;

    private const int PseudowireHeaderLength = ControlWordLength + EthernetHeaderLength;
    private const int LinuxSllHeaderLength = 16;
    private const int LinuxSll2HeaderLength = 20;
    private const int NullHeaderLength = 4;
    private const int Ipv4MinimumHeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int TcpFieldsLength = 14;        // ports, seq, ack, data offset and flags: bytes 0..13
    private const int TcpMinimumHeaderLength = 20;
    private const int UdpHeaderLength = 8;
    private const int IcmpHeaderLength = 8;
    private const int VxlanHeaderLength = 8;

    /// <summary>
    /// Decodes a capture record; frame number, timestamp and lengths come from the record.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode(in CaptureRecord record, in DecoderOptions options, ref PacketInfo info)
    {
        info.Frame = record.Frame;
        info.TimestampNs = record.TimestampNs;
        info.OriginalLength = record.OriginalLength;
        Decode(record.Data, record.LinkType, options, ref info);
    }

    /// <summary>
    /// Decodes <paramref name="frame"/> of link type <paramref name="linkType"/>. Keeps the caller's
    /// <see cref="PacketInfo.Frame"/>, <see cref="PacketInfo.TimestampNs"/> and
    /// <see cref="PacketInfo.OriginalLength"/> (the wire length; 0 means "as captured") and resets the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode(ReadOnlySpan<byte> frame, ushort linkType, in DecoderOptions options, ref PacketInfo info)
    {
        var frameNumber = info.Frame;
        var timestamp = info.TimestampNs;
        var wire = Math.Max(info.OriginalLength, frame.Length);
        info = default;
        info.Frame = frameNumber;
        info.TimestampNs = timestamp;
        info.LinkType = linkType;
        info.CapturedLength = frame.Length;
        info.OriginalLength = wire;
        if (frame.Length < wire)
        {
            info.Flags |= PacketFlags.Truncated;
        }
        info.Error = DecodeLink(frame, wire, linkType, options.DecapsulateVxlan, ref info);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeLink(ReadOnlySpan<byte> frame, int wire, ushort linkType, bool decapsulate, ref PacketInfo info)
    {
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                return DecodeEthernet(frame, wire, decapsulate, ref info);
            case LinkTypes.Null or LinkTypes.Loop:
            {
                if (frame.Length < NullHeaderLength)
                {
                    return DecodeError.TruncatedLinkHeader;
                }
                var payload = frame[NullHeaderLength..];
                var payloadWire = wire - NullHeaderLength;
                if (linkType == LinkTypes.Loop)
                {
                    // LOOP: the family in network byte order, and nothing but a family (Wireshark's dissect_loop).
                    return DecodeFamily(BinaryPrimitives.ReadUInt32BigEndian(frame), payload, payloadWire, decapsulate, ref info);
                }
                var value = NullHeaderValue(frame);
                // NULL: a value above 802.3's largest length is an EtherType, which some capture tools write
                // where the family goes; Wireshark's null dissector reads it so (packet-null.c), in either byte order.
                return value > EtherTypes.MaxLength
                    ? DecodeEtherType((ushort)value, payload, payloadWire, decapsulate, ref info)
                    : DecodeFamily(value, payload, payloadWire, decapsulate, ref info);
            }
            case LinkTypes.Raw or LinkTypes.RawBsd12 or LinkTypes.RawBsd14:
                return DecodeIp(frame, wire, 0, decapsulate, ref info);
            case LinkTypes.Ipv4 or LinkTypes.Ipv6:
            {
                // The link type names one version, but what the packet says wins: tcpdump decodes both link
                // types by the version nibble, and Wireshark's IPv4 dissector hands a version-6 packet to
                // IPv6 (its IPv6 dissector stops at version 4: "Bogus IPv6 version"). Flagged, and counted
                // as a warning, since the capture's writer mislabelled it.
                var named = linkType == LinkTypes.Ipv4 ? 4 : 6;
                if (!frame.IsEmpty && (frame[0] >> 4) is var version && version == 10 - named)
                {
                    info.Flags |= PacketFlags.IpVersionMismatch;
                }
                return DecodeIp(frame, wire, 0, decapsulate, ref info);
            }
            case LinkTypes.LinuxSll:
                // packet type, ARPHRD type, address length, 8 address bytes, protocol (an EtherType for IP).
                return frame.Length < LinuxSllHeaderLength
                    ? DecodeError.TruncatedLinkHeader
                    : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[14..]), frame[LinuxSllHeaderLength..],
                        wire - LinuxSllHeaderLength, decapsulate, ref info);
            case LinkTypes.LinuxSll2:
                // protocol first, then reserved, interface index, ARPHRD type, packet type, address length, address.
                return frame.Length < LinuxSll2HeaderLength
                    ? DecodeError.TruncatedLinkHeader
                    : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame), frame[LinuxSll2HeaderLength..],
                        wire - LinuxSll2HeaderLength, decapsulate, ref info);
            default:
                return DecodeError.UnsupportedLinkType;
        }
    }

    /// <summary>
    /// The 4-byte NULL header's value as Wireshark's null dissector (packet-null.c) reads it on a little-endian
    /// host. The header is in the capturing host's byte order, and families and EtherTypes fit in 16 bits, so
    /// high bits set mean the other byte order; IRIX and UNICOS/mp snoop write a 16-bit big-endian family
    /// followed by two zero bytes instead, told apart by a small value in the second byte.
    /// </summary>
    private static uint NullHeaderValue(ReadOnlySpan<byte> header)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if ((value & 0xffff0000) != 0)
        {
            return (value & 0xff000000) == 0 && (value & 0x00ff0000) < 0x00060000
                ? value >> 16
                : BinaryPrimitives.ReverseEndianness(value);
        }
        return (value & 0xff) == 0 && (value & 0xff00) < 0x0600
            ? BinaryPrimitives.ReverseEndianness((ushort)value)
            : value;
    }

    /// <summary>A BSD address family (NULL, LOOP): AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (macOS).</summary>
    private static DecodeError DecodeFamily(uint family, ReadOnlySpan<byte> payload, int wire, bool decapsulate, ref PacketInfo info) =>
        family switch
        {
            2 => DecodeIp(payload, wire, 4, decapsulate, ref info),
            24 or 28 or 30 => DecodeIp(payload, wire, 6, decapsulate, ref info),
            _ => NotIp(NotIpKind.Family, family, ref info),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeEthernet(ReadOnlySpan<byte> frame, int wire, bool decapsulate, ref PacketInfo info) =>
        frame.Length < EthernetHeaderLength
            ? DecodeError.TruncatedLinkHeader
            : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[12..]), frame[EthernetHeaderLength..],
                wire - EthernetHeaderLength, decapsulate, ref info);

    /// <summary>
    /// The payload of an EtherType (of Ethernet, LINUX_SLL/SLL2, a VLAN tag or a pseudowire's inner frame),
    /// followed through VLAN tags, MPLS label stacks and Ethernet pseudowires to what they carry. One loop
    /// over those headers: every turn consumes at least 4 bytes and counts a tag or a label, and both
    /// counts are bounded, so hostile nesting ends at <see cref="MaxVlanTags"/> + <see cref="MaxMplsLabels"/> turns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeEtherType(ushort type, ReadOnlySpan<byte> rest, int wire, bool decapsulate, ref PacketInfo info)
    {
        var tags = 0;
        var labels = 0;
        while (true)
        {
            if (EtherTypes.IsVlanTag(type))
            {
                if (++tags > MaxVlanTags)
                {
                    return DecodeError.TooManyVlanTags;
                }
                if (rest.Length < VlanTagLength)
                {
                    return DecodeError.TruncatedLinkHeader;
                }
                if (!info.Has(PacketFlags.Vlan))
                {
                    // The outermost tag names the VLAN (the service VLAN under 802.1ad; the provider's, not the
                    // pseudowire customer's); the id is the TCI's low 12 bits.
                    info.Vlan = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(rest) & 0x0fff);
                    info.Flags |= PacketFlags.Vlan;
                }
                type = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
                rest = rest[VlanTagLength..];
                wire -= VlanTagLength;
                continue;
            }
            switch (type)
            {
                case EtherTypes.Ipv4:
                    return DecodeIp(rest, wire, 4, decapsulate, ref info);
                case EtherTypes.Ipv6:
                    return DecodeIp(rest, wire, 6, decapsulate, ref info);
                case EtherTypes.Mpls or EtherTypes.MplsMulticast:
                    break;
                default:
                    // ARP, LLDP, 802.3 length fields ...: a well-formed frame that carries no IP packet.
                    return NotIp(EtherTypes.NotIpKindOf(type), type, ref info);
            }

            // RFC 3032 §2.1: 4-byte label stack entries (label 20 bits, traffic class 3, bottom of
            // stack 1, TTL 8), down to the one with the bottom-of-stack bit.
            bool bottom;
            do
            {
                if (++labels > MaxMplsLabels)
                {
                    return DecodeError.TooManyMplsLabels;
                }
                if (rest.Length < MplsLabelLength)
                {
                    return DecodeError.TruncatedLinkHeader;
                }
                bottom = (rest[2] & 1) != 0;
                rest = rest[MplsLabelLength..];
                wire -= MplsLabelLength;
            }
            while (!bottom);

            // Nothing names what the bottom label carries; by its first nibble (RFC 4928, RFC 4385), as
            // Wireshark's MPLS dissector does: 4 IPv4, 6 IPv6, 0 the control word of a pseudowire, which an
            // Ethernet frame follows (RFC 4448; RFC 8469 makes the control word the rule, so a pseudowire
            // without one is not guessed at), 1 an associated channel (RFC 5586 G-ACh: OAM, no IP),
            // anything else unknown.
            if (rest.IsEmpty)
            {
                return wire > 0 ? DecodeError.TruncatedLinkHeader : NotIp(NotIpKind.Mpls, type, ref info);
            }
            switch (rest[0] >> 4)
            {
                case 4:
                    return DecodeIp(rest, wire, 4, decapsulate, ref info);
                case 6:
                    return DecodeIp(rest, wire, 6, decapsulate, ref info);
                case 0:
                    if (rest.Length < PseudowireHeaderLength)
                    {
                        return wire >= PseudowireHeaderLength ? DecodeError.TruncatedLinkHeader : NotIp(NotIpKind.Mpls, type, ref info);
                    }
                    type = BinaryPrimitives.ReadUInt16BigEndian(rest[(ControlWordLength + 12)..]);
                    rest = rest[PseudowireHeaderLength..];
                    wire -= PseudowireHeaderLength;
                    continue;
                default:
                    return NotIp(NotIpKind.Mpls, type, ref info);
            }
        }
    }

    /// <summary>A well-formed frame without an IP packet: says what it carries instead, and is no error.</summary>
    private static DecodeError NotIp(NotIpKind kind, uint type, ref PacketInfo info)
    {
        info.NotIp = kind;
        info.NotIpType = type;
        return DecodeError.None;
    }

    /// <param name="expectedVersion">4 or 6 when the link layer said which; 0 when the version nibble decides (RAW).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeIp(ReadOnlySpan<byte> packet, int wire, int expectedVersion, bool decapsulate, ref PacketInfo info)
    {
        if (packet.IsEmpty)
        {
            return DecodeError.TruncatedIpHeader;
        }
        var version = packet[0] >> 4;
        if (version is not (4 or 6) || (expectedVersion != 0 && version != expectedVersion))
        {
            return DecodeError.BadIpVersion;
        }
        return version == 4 ? DecodeIpv4(packet, wire, decapsulate, ref info) : DecodeIpv6(packet, wire, decapsulate, ref info);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeIpv4(ReadOnlySpan<byte> packet, int wire, bool decapsulate, ref PacketInfo info)
    {
        if (packet.Length < Ipv4MinimumHeaderLength)
        {
            return DecodeError.TruncatedIpHeader;
        }
        info.IpVersion = 4;
        info.Ttl = packet[8];
        info.Protocol = packet[9];
        info.Src = IpAddr.FromV4(BinaryPrimitives.ReadUInt32BigEndian(packet[12..]));
        info.Dst = IpAddr.FromV4(BinaryPrimitives.ReadUInt32BigEndian(packet[16..]));
        info.FragId = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        if ((fragment & 0x4000) != 0)
        {
            info.Flags |= PacketFlags.DontFragment;
        }
        if ((fragment & 0x2000) != 0)
        {
            info.Flags |= PacketFlags.MoreFragments | PacketFlags.Fragment;
        }
        info.FragOffset = (fragment & 0x1fff) * 8;
        if (info.FragOffset != 0)
        {
            info.Flags |= PacketFlags.Fragment;
        }

        var headerLength = (packet[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (totalLength == 0)
        {
            // Linux captures segmentation-offloaded packets before the NIC splits them, with total length 0;
            // Wireshark (packet-ip.c) then takes the frame's length, and so do we.
            totalLength = wire;
        }
        if (headerLength < Ipv4MinimumHeaderLength || totalLength < headerLength || totalLength > wire)
        {
            return DecodeError.BadIpHeaderLength;
        }
        info.IpLength = totalLength;
        if (headerLength > packet.Length)
        {
            return DecodeError.TruncatedIpHeader;
        }
        // Bytes past the total length are link-layer padding (Ethernet's 60-byte minimum) or a trailer, not payload.
        var present = packet[..Math.Min(totalLength, packet.Length)];
        info.PayloadLength = totalLength - headerLength;
        if (info.FragOffset != 0)
        {
            // A later fragment carries the middle of the original payload, no transport header.
            return DecodeError.None;
        }
        return DecodeTransport(present[headerLength..], totalLength - headerLength, decapsulate, ref info);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeIpv6(ReadOnlySpan<byte> packet, int wire, bool decapsulate, ref PacketInfo info)
    {
        if (packet.Length < Ipv6HeaderLength)
        {
            return DecodeError.TruncatedIpHeader;
        }
        info.IpVersion = 6;
        info.Ttl = packet[7];
        info.Src = ReadIpv6(packet[8..]);
        info.Dst = ReadIpv6(packet[24..]);
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        // 0 means a jumbogram (RFC 2675) or, again, a segmentation-offloaded packet: the frame's length decides.
        var ipLength = payloadLength == 0 ? wire : Ipv6HeaderLength + payloadLength;
        info.Protocol = packet[6];
        if (ipLength > wire)
        {
            return DecodeError.BadIpHeaderLength;
        }
        info.IpLength = ipLength;
        var present = packet[..Math.Min(ipLength, packet.Length)];
        var next = packet[6];
        var offset = Ipv6HeaderLength;
        var error = WalkExtensionHeaders(present, ipLength, ref next, ref offset, out var fragment);
        info.Protocol = next;
        if (fragment.Present)
        {
            info.Flags |= PacketFlags.Fragment | (fragment.More ? PacketFlags.MoreFragments : 0);
            info.FragOffset = fragment.Offset;
            info.FragId = fragment.Id;
        }
        if (error != DecodeError.None)
        {
            return error;
        }
        info.PayloadLength = ipLength - offset;
        if (fragment.Offset != 0)
        {
            return DecodeError.None;
        }
        return DecodeTransport(present[offset..], ipLength - offset, decapsulate, ref info);
    }

    private readonly record struct Ipv6Fragment(bool Present, int Offset, bool More, uint Id);

    /// <summary>
    /// Follows the IPv6 next-header chain (RFC 8200 §4) from <paramref name="offset"/> to the upper-layer
    /// header. <paramref name="packet"/> holds the captured bytes of the packet, <paramref name="ipLength"/>
    /// its length on the wire: a header past the captured bytes but inside the packet is truncation, past
    /// the packet it is malformation. Stops after a fragment header with a non-zero offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError WalkExtensionHeaders(ReadOnlySpan<byte> packet, int ipLength, ref byte next, ref int offset, out Ipv6Fragment fragment)
    {
        fragment = default;
        for (var count = 0; ; count++)
        {
            var isFragment = next == ExtensionHeader.Fragment;
            if (!isFragment && !ExtensionHeader.HasLengthField(next))
            {
                // An upper-layer protocol, or ESP / No Next Header, after which nothing can be walked.
                return DecodeError.None;
            }
            if (count == MaxExtensionHeaders)
            {
                return DecodeError.TooManyExtensionHeaders;
            }
            var fixedPart = isFragment ? 8 : 2;
            if (offset + fixedPart > packet.Length)
            {
                return offset + fixedPart > ipLength ? DecodeError.BadExtensionHeader : DecodeError.TruncatedIpHeader;
            }
            var length = isFragment
                ? 8
                : next == ExtensionHeader.Authentication
                    ? (packet[offset + 1] + 2) * 4     // AH counts 4-byte words, minus 2 (RFC 4302 §2.2)
                    : (packet[offset + 1] + 1) * 8;    // the others count 8-byte units, minus 1
            if (offset + length > ipLength)
            {
                return DecodeError.BadExtensionHeader;
            }
            if (offset + length > packet.Length)
            {
                return DecodeError.TruncatedIpHeader;
            }
            var header = packet.Slice(offset, length);
            if (isFragment)
            {
                // RFC 8200 §4.5: 13-bit offset in 8-byte units, then 2 reserved bits and the M flag.
                var field = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
                fragment = new Ipv6Fragment(true, field & 0xfff8, (field & 1) != 0, BinaryPrimitives.ReadUInt32BigEndian(header[4..]));
            }
            next = header[0];
            offset += length;
            if (fragment.Offset != 0)
            {
                return DecodeError.None;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecodeError DecodeTransport(ReadOnlySpan<byte> payload, int payloadWire, bool decapsulate, ref PacketInfo info)
    {
        switch (info.Protocol)
        {
            case IpProtocol.Tcp:
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
            case IpProtocol.Udp:
            {
                if (payload.Length < 4)
                {
                    return DecodeError.TruncatedTransportHeader;
                }
                info.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(payload);
                info.DstPort = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
                info.Flags |= PacketFlags.Ports;
                info.PayloadLength = Math.Max(0, payloadWire - UdpHeaderLength);
                return decapsulate && info.DstPort == VxlanPort
                    ? DecodeVxlan(payload, payloadWire, ref info)
                    : DecodeError.None;
            }
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
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
            default:
                return DecodeError.None;
        }
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
            if (quoted.Length < Ipv4MinimumHeaderLength || headerLength < Ipv4MinimumHeaderLength)
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
            if (quoted.Length < Ipv6HeaderLength)
            {
                return;
            }
            info.InnerSrc = ReadIpv6(quoted[8..]);
            info.InnerDst = ReadIpv6(quoted[24..]);
            var next = quoted[6];
            transportOffset = Ipv6HeaderLength;
            var error = WalkExtensionHeaders(quoted, quoted.Length, ref next, ref transportOffset, out var fragment);
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
        const int needed = UdpHeaderLength + VxlanHeaderLength + EthernetHeaderLength;
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
        return DecodeEthernet(udp[innerStart..], udpWire - innerStart, decapsulate: false, ref info);
    }

    private static IpAddr ReadIpv6(ReadOnlySpan<byte> bytes) =>
        IpAddr.FromV6(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    /// <summary>IPv6 extension header protocol numbers (IANA "IPv6 Extension Header Types").</summary>
    private static class ExtensionHeader
    {
        public const byte Fragment = 44;
        public const byte Authentication = 51;

        /// <summary>Headers that carry a next-header byte and a length byte and can be stepped over.</summary>
        public static bool HasLengthField(byte next) => next is
            0      // hop-by-hop options
            or 43  // routing
            or 60  // destination options
            or Authentication
            or 135 // mobility
            or 139 // HIP
            or 140; // shim6
    }
}
