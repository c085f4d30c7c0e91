using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Capture.Decoding;

/// <summary>
/// IPv4 and IPv6 headers, IPv6 extension headers included, down to the transport header. Lengths stated in
/// the headers are checked against the packet's length on the wire, so truncation and malformation are told apart.
/// </summary>
internal static class IpDecoder
{
    internal const int Ipv4MinimumHeaderLength = 20;
    internal const int Ipv6HeaderLength = 40;

    /// <summary>Decodes an IP packet (header and transport header) into <paramref name="info"/>.</summary>
    /// <param name="packet">The bytes captured, from the IP header on.</param>
    /// <param name="wire">The packet's length on the wire from the IP header on, at least <c>packet.Length</c>.</param>
    /// <param name="expectedVersion">4 or 6 when the link layer said which; 0 when the version nibble decides (RAW).</param>
    /// <param name="decapsulate">Unwrap VXLAN (<see cref="DecoderOptions.DecapsulateVxlan"/>).</param>
    /// <param name="info">The descriptor being filled.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DecodeError DecodeIp(ReadOnlySpan<byte> packet, int wire, int expectedVersion, bool decapsulate, ref PacketInfo info)
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
        return TransportDecoder.DecodeTransport(present[headerLength..], totalLength - headerLength, decapsulate, ref info);
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
        return TransportDecoder.DecodeTransport(present[offset..], ipLength - offset, decapsulate, ref info);
    }

    internal readonly record struct Ipv6Fragment(bool Present, int Offset, bool More, uint Id);

    /// <summary>
    /// Follows the IPv6 next-header chain (RFC 8200 §4) from <paramref name="offset"/> to the upper-layer
    /// header. <paramref name="packet"/> holds the captured bytes of the packet, <paramref name="ipLength"/>
    /// its length on the wire: a header past the captured bytes but inside the packet is truncation, past
    /// the packet it is malformation. Stops after a fragment header with a non-zero offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DecodeError WalkExtensionHeaders(ReadOnlySpan<byte> packet, int ipLength, ref byte next, ref int offset, out Ipv6Fragment fragment)
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
            if (count == PacketDecoder.MaxExtensionHeaders)
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

    internal static IpAddr ReadIpv6(ReadOnlySpan<byte> bytes) =>
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
