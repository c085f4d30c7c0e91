using Firewall.Engine.Addressing;

namespace Firewall.Engine.Packets;

/// <summary>
/// One frame decoded once into a flat descriptor (pf's <c>pf_pdesc</c>): everything after decoding reads
/// only this. The decoder fills it in place, so the hot path allocates nothing per packet.
/// Fields that do not apply are zero and the matching <see cref="PacketFlags"/> bit is clear.
/// </summary>
public struct PacketInfo
{
    /// <summary>Frame number, counting from 1 as Wireshark does.</summary>
    public long Frame;

    /// <summary>Capture timestamp in nanoseconds since the Unix epoch (UTC).</summary>
    public long TimestampNs;

    /// <summary>The link type of the interface the frame was captured on (LINKTYPE_* value).</summary>
    public ushort LinkType;

    /// <summary>Bytes present in the capture record.</summary>
    public int CapturedLength;

    /// <summary>Length of the frame on the wire.</summary>
    public int OriginalLength;

    /// <summary>Why the frame could not be decoded; <see cref="DecodeError.None"/> when it was.</summary>
    public DecodeError Error;

    /// <summary>For a decoded frame without an IP packet, what it carries instead; <see cref="NotIpKind.None"/> otherwise.</summary>
    public NotIpKind NotIp;

    public PacketFlags Flags;

    /// <summary>Outermost 802.1Q/802.1ad VLAN id, when <see cref="PacketFlags.Vlan"/> is set.</summary>
    public ushort Vlan;

    /// <summary>4 or 6; 0 for a frame that carries no IP packet (ARP, LLDP, ...: see <see cref="NotIp"/>).</summary>
    public byte IpVersion;

    /// <summary>
    /// The EtherType (<see cref="NotIpKind.EtherType"/>, and the named kinds' EtherType or 802.3 length) or
    /// the NULL/LOOP address family (<see cref="NotIpKind.Family"/>) of a frame without an IP packet.
    /// </summary>
    public uint NotIpType;

    public IpAddr Src;
    public IpAddr Dst;

    /// <summary>IP protocol of the transport header, after IPv6 extension headers.</summary>
    public byte Protocol;

    public byte Ttl;

    /// <summary>IPv4 total length, or IPv6 payload length plus its 40-byte header.</summary>
    public int IpLength;

    public ushort SrcPort;
    public ushort DstPort;

    public byte TcpFlags;
    public uint Seq;
    public uint Ack;

    /// <summary>Transport payload bytes as the IP header states them (not limited by snaplen).</summary>
    public int PayloadLength;

    public byte IcmpType;
    public byte IcmpCode;

    /// <summary>Echo identifier of ICMP/ICMPv6 echo request and reply.</summary>
    public ushort IcmpId;

    /// <summary>Fragment offset in bytes (tshark 4.0 prints ip.frag_offset in 8-byte units).</summary>
    public int FragOffset;

    /// <summary>IPv4 identification or IPv6 fragment-header identification.</summary>
    public uint FragId;

    /// <summary>The header quoted inside an ICMP/ICMPv6 error, when <see cref="PacketFlags.InnerHeader"/> is set.</summary>
    public IpAddr InnerSrc;
    public IpAddr InnerDst;
    public byte InnerProtocol;
    public ushort InnerSrcPort;
    public ushort InnerDstPort;

    public readonly bool Decoded => Error == DecodeError.None;

    public readonly bool IsIp => IpVersion != 0;

    public readonly bool Has(PacketFlags flag) => (Flags & flag) != 0;

    /// <summary>A fragment other than the first: it carries no transport header.</summary>
    public readonly bool IsLaterFragment => Has(PacketFlags.Fragment) && FragOffset != 0;

    public readonly bool IsIcmpError => Has(PacketFlags.Icmp) && IcmpKind.IsError(Protocol, IcmpType);

    public void Reset() => this = default;
}

[Flags]
public enum PacketFlags : ushort
{
    None = 0,

    /// <summary><see cref="PacketInfo.SrcPort"/> and <see cref="PacketInfo.DstPort"/> are set (TCP, UDP).</summary>
    Ports = 1 << 0,

    /// <summary>ICMP or ICMPv6 type and code are set.</summary>
    Icmp = 1 << 1,

    /// <summary>An ICMP echo request or reply: <see cref="PacketInfo.IcmpId"/> is set.</summary>
    IcmpEcho = 1 << 2,

    /// <summary>TCP flags, sequence and acknowledgement numbers are set.</summary>
    Tcp = 1 << 3,

    /// <summary>The packet is a fragment (more-fragments set or a non-zero offset, or an IPv6 fragment header).</summary>
    Fragment = 1 << 4,

    /// <summary>The IPv4 more-fragments bit or the IPv6 M flag.</summary>
    MoreFragments = 1 << 5,

    /// <summary>An ICMP error quoted an IP header: the Inner* fields are set.</summary>
    InnerHeader = 1 << 6,

    /// <summary>The quoted header included the transport ports.</summary>
    InnerPorts = 1 << 7,

    Vlan = 1 << 8,

    /// <summary>The frame was unwrapped from VXLAN (--decap vxlan).</summary>
    Decapsulated = 1 << 9,

    /// <summary>The capture holds fewer bytes than the frame had (snaplen); decoding used what was there.</summary>
    Truncated = 1 << 10,

    /// <summary>The IPv4 don't-fragment bit.</summary>
    DontFragment = 1 << 11,

    /// <summary>
    /// A LINKTYPE_IPV4 frame held IPv6, or a LINKTYPE_IPV6 frame IPv4: decoded by its version nibble, as
    /// tcpdump does (and Wireshark for LINKTYPE_IPV4), and counted as a warning.
    /// </summary>
    IpVersionMismatch = 1 << 12,
}

/// <summary>TCP header flag bits as they appear in the header's 13th byte.</summary>
public static class TcpFlag
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte Ack = 0x10;
    public const byte Urg = 0x20;
    public const byte Ece = 0x40;
    public const byte Cwr = 0x80;

    /// <summary>Flags as tcpdump prints them: S, S., F., R, R., P., "." for a bare ACK, "none" for none.</summary>
    public static string Format(byte flags)
    {
        if (flags == 0)
        {
            return "none";
        }
        Span<char> buffer = stackalloc char[9];
        var n = 0;
        if ((flags & Fin) != 0) buffer[n++] = 'F';
        if ((flags & Syn) != 0) buffer[n++] = 'S';
        if ((flags & Rst) != 0) buffer[n++] = 'R';
        if ((flags & Psh) != 0) buffer[n++] = 'P';
        if ((flags & Urg) != 0) buffer[n++] = 'U';
        if ((flags & Ece) != 0) buffer[n++] = 'E';
        if ((flags & Cwr) != 0) buffer[n++] = 'W';
        if ((flags & Ack) != 0) buffer[n++] = '.';
        return new string(buffer[..n]);
    }
}

/// <summary>ICMP and ICMPv6 message classes (RFC 792, RFC 4443).</summary>
public static class IcmpKind
{
    public const byte V4EchoReply = 0;
    public const byte V4DestinationUnreachable = 3;
    public const byte V4SourceQuench = 4;
    public const byte V4Redirect = 5;
    public const byte V4EchoRequest = 8;
    public const byte V4TimeExceeded = 11;
    public const byte V4ParameterProblem = 12;

    public const byte V6DestinationUnreachable = 1;
    public const byte V6PacketTooBig = 2;
    public const byte V6TimeExceeded = 3;
    public const byte V6ParameterProblem = 4;
    public const byte V6EchoRequest = 128;
    public const byte V6EchoReply = 129;

    /// <summary>Error messages that quote the offending packet's header.</summary>
    public static bool IsError(byte protocol, byte type) => protocol switch
    {
        Addressing.IpProtocol.Icmp => type is V4DestinationUnreachable or V4SourceQuench or V4Redirect or V4TimeExceeded or V4ParameterProblem,
        Addressing.IpProtocol.IcmpV6 => type < 128,
        _ => false,
    };

    public static bool IsEchoRequest(byte protocol, byte type) =>
        protocol == Addressing.IpProtocol.Icmp ? type == V4EchoRequest : type == V6EchoRequest;

    public static bool IsEchoReply(byte protocol, byte type) =>
        protocol == Addressing.IpProtocol.Icmp ? type == V4EchoReply : type == V6EchoReply;
}
