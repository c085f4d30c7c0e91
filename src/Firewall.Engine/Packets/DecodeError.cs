namespace Firewall.Engine.Packets;

/// <summary>
/// Why a frame could not be decoded: a closed set, one counter each (pf's PFRES_*). A frame with any
/// of these is counted as undecodable and the run goes on.
/// </summary>
public enum DecodeError : byte
{
    None = 0,

    /// <summary>The link type of the frame's interface is not one the decoder knows.</summary>
    UnsupportedLinkType,

    /// <summary>The capture record ends inside the link-layer header: a VLAN tag, an MPLS label stack, a pseudowire's control word and Ethernet header included.</summary>
    TruncatedLinkHeader,

    /// <summary>More VLAN tags than <c>PacketDecoder.MaxVlanTags</c>.</summary>
    TooManyVlanTags,

    /// <summary>The capture record (cut by snaplen or a short frame) ends inside the IP header.</summary>
    TruncatedIpHeader,

    /// <summary>The IP version nibble disagrees with the link layer's protocol.</summary>
    BadIpVersion,

    /// <summary>IPv4 IHL below 5, or IHL/total length beyond the packet; an IPv6 payload length beyond the frame.</summary>
    BadIpHeaderLength,

    /// <summary>An IPv6 extension header runs past the packet or the chain exceeds its bound.</summary>
    BadExtensionHeader,

    /// <summary>More IPv6 extension headers than <c>PacketDecoder.MaxExtensionHeaders</c>.</summary>
    TooManyExtensionHeaders,

    /// <summary>The record ends inside the TCP/UDP/ICMP header fields the engine needs.</summary>
    TruncatedTransportHeader,

    /// <summary>TCP data offset below 5, or beyond the segment.</summary>
    BadTcpHeaderLength,

    /// <summary>The VXLAN header or its inner Ethernet frame is truncated (--decap vxlan).</summary>
    BadVxlan,

    /// <summary>More MPLS label stack entries than <c>PacketDecoder.MaxMplsLabels</c>.</summary>
    TooManyMplsLabels,
}

public static class DecodeErrorText
{
    /// <summary>The stable kebab-case name used in every output.</summary>
    public static string Name(DecodeError error) => error switch
    {
        DecodeError.None => "",
        DecodeError.UnsupportedLinkType => "unsupported-link-type",
        DecodeError.TruncatedLinkHeader => "truncated-link-header",
        DecodeError.TooManyVlanTags => "too-many-vlan-tags",
        DecodeError.TruncatedIpHeader => "truncated-ip-header",
        DecodeError.BadIpVersion => "bad-ip-version",
        DecodeError.BadIpHeaderLength => "bad-ip-header-length",
        DecodeError.BadExtensionHeader => "bad-extension-header",
        DecodeError.TooManyExtensionHeaders => "too-many-extension-headers",
        DecodeError.TruncatedTransportHeader => "truncated-transport-header",
        DecodeError.BadTcpHeaderLength => "bad-tcp-header-length",
        DecodeError.BadVxlan => "bad-vxlan",
        DecodeError.TooManyMplsLabels => "too-many-mpls-labels",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    public static IEnumerable<DecodeError> All => Enum.GetValues<DecodeError>().Where(e => e != DecodeError.None);
}
