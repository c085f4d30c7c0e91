using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;

namespace Firewall.Capture.Decoding;

/// <summary>
/// The link layer of a frame, down to the IP packet: the link types' headers, then EtherTypes through VLAN
/// tags, MPLS label stacks and Ethernet pseudowires. A well-formed frame that carries no IP says what it
/// carries instead (<see cref="PacketInfo.NotIp"/>).
/// </summary>
internal static class LinkLayerDecoder
{
    internal const int EthernetHeaderLength = 14;
    private const int VlanTagLength = 4;
    private const int MplsLabelLength = 4;

    /// <summary>The pseudowire control word (RFC 4385): first nibble 0, flags, length and sequence number.</summary>
    private const int ControlWordLength = 4;

    private const int PseudowireHeaderLength = ControlWordLength + EthernetHeaderLength;
    private const int LinuxSllHeaderLength = 16;
    private const int LinuxSll2HeaderLength = 20;
    private const int NullHeaderLength = 4;
    private const int CHdlcHeaderLength = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DecodeError DecodeLink(ReadOnlySpan<byte> frame, int wire, ushort linkType, bool decapsulate, ref PacketInfo info)
    {
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                return DecodeEthernet(frame, wire, decapsulate, ref info);
            case LinkTypes.Null or LinkTypes.Loop:
                return DecodeNullOrLoop(frame, wire, linkType == LinkTypes.Loop, decapsulate, ref info);
            case LinkTypes.Raw or LinkTypes.RawBsd12 or LinkTypes.RawBsd14:
                return IpDecoder.DecodeIp(frame, wire, 0, decapsulate, ref info);
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
                return IpDecoder.DecodeIp(frame, wire, 0, decapsulate, ref info);
            }
            case LinkTypes.CHdlc:
                // address (0x0f unicast, 0x8f broadcast), control (0x00), protocol: EtherType values for IP
                // (Wireshark's chdlc dissector, packet-chdlc.c); SLARP 0x8035 and CDP 0x2000 are not IP.
                return frame.Length < CHdlcHeaderLength
                    ? DecodeError.TruncatedLinkHeader
                    : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[2..]), frame[CHdlcHeaderLength..],
                        wire - CHdlcHeaderLength, decapsulate, ref info);
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

    /// <summary>BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or in network order (LOOP).</summary>
    private static DecodeError DecodeNullOrLoop(ReadOnlySpan<byte> frame, int wire, bool loop, bool decapsulate, ref PacketInfo info)
    {
        if (frame.Length < NullHeaderLength)
        {
            return DecodeError.TruncatedLinkHeader;
        }
        var payload = frame[NullHeaderLength..];
        var payloadWire = wire - NullHeaderLength;
        if (loop)
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
            2 => IpDecoder.DecodeIp(payload, wire, 4, decapsulate, ref info),
            24 or 28 or 30 => IpDecoder.DecodeIp(payload, wire, 6, decapsulate, ref info),
            _ => NotIp(NotIpKind.Family, family, ref info),
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DecodeError DecodeEthernet(ReadOnlySpan<byte> frame, int wire, bool decapsulate, ref PacketInfo info) =>
        frame.Length < EthernetHeaderLength
            ? DecodeError.TruncatedLinkHeader
            : DecodeEtherType(BinaryPrimitives.ReadUInt16BigEndian(frame[12..]), frame[EthernetHeaderLength..],
                wire - EthernetHeaderLength, decapsulate, ref info);

    /// <summary>
    /// The payload of an EtherType (of Ethernet, LINUX_SLL/SLL2, a VLAN tag or a pseudowire's inner frame),
    /// followed through VLAN tags, MPLS label stacks and Ethernet pseudowires to what they carry. One loop
    /// over those headers: every turn consumes at least 4 bytes and counts a tag or a label, and both
    /// counts are bounded, so hostile nesting ends at <see cref="PacketDecoder.MaxVlanTags"/> + <see cref="PacketDecoder.MaxMplsLabels"/> turns.
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
                if (SkipVlanTag(ref type, ref rest, ref wire, ref tags, ref info) is var tagError and not DecodeError.None)
                {
                    return tagError;
                }
                continue;
            }
            switch (type)
            {
                case EtherTypes.Ipv4:
                    return IpDecoder.DecodeIp(rest, wire, 4, decapsulate, ref info);
                case EtherTypes.Ipv6:
                    return IpDecoder.DecodeIp(rest, wire, 6, decapsulate, ref info);
                case EtherTypes.Mpls or EtherTypes.MplsMulticast:
                    break;
                default:
                    // ARP, LLDP, 802.3 length fields ...: a well-formed frame that carries no IP packet.
                    return NotIp(EtherTypes.NotIpKindOf(type), type, ref info);
            }

            if (SkipLabelStack(ref rest, ref wire, ref labels) is var labelError and not DecodeError.None)
            {
                return labelError;
            }

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
                    return IpDecoder.DecodeIp(rest, wire, 4, decapsulate, ref info);
                case 6:
                    return IpDecoder.DecodeIp(rest, wire, 6, decapsulate, ref info);
                case 0 when rest.Length < PseudowireHeaderLength:
                    return wire >= PseudowireHeaderLength ? DecodeError.TruncatedLinkHeader : NotIp(NotIpKind.Mpls, type, ref info);
                case 0:
                    type = BinaryPrimitives.ReadUInt16BigEndian(rest[(ControlWordLength + 12)..]);
                    rest = rest[PseudowireHeaderLength..];
                    wire -= PseudowireHeaderLength;
                    continue;
                default:
                    return NotIp(NotIpKind.Mpls, type, ref info);
            }
        }
    }

    /// <summary>Steps over one VLAN tag to the EtherType it precedes; the outermost tag's id is the frame's VLAN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeError SkipVlanTag(ref ushort type, ref ReadOnlySpan<byte> rest, ref int wire, ref int tags, ref PacketInfo info)
    {
        if (++tags > PacketDecoder.MaxVlanTags)
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
        return DecodeError.None;
    }

    /// <summary>
    /// RFC 3032 §2.1: 4-byte label stack entries (label 20 bits, traffic class 3, bottom of stack 1, TTL 8),
    /// down to the one with the bottom-of-stack bit; <paramref name="labels"/> counts them across the frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecodeError SkipLabelStack(ref ReadOnlySpan<byte> rest, ref int wire, ref int labels)
    {
        bool bottom;
        do
        {
            if (++labels > PacketDecoder.MaxMplsLabels)
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
        return DecodeError.None;
    }

    /// <summary>A well-formed frame without an IP packet: says what it carries instead, and is no error.</summary>
    private static DecodeError NotIp(NotIpKind kind, uint type, ref PacketInfo info)
    {
        info.NotIp = kind;
        info.NotIpType = type;
        return DecodeError.None;
    }
}
