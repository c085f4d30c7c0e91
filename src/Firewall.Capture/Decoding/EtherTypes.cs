using Firewall.Engine.Packets;

namespace Firewall.Capture.Decoding;

/// <summary>EtherType values the decoder acts on (IEEE 802 numbers; IANA "ieee-802-numbers").</summary>
internal static class EtherTypes
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86dd;
    public const ushort Arp = 0x0806;

    /// <summary>MPLS unicast (RFC 3032 section 5).</summary>
    public const ushort Mpls = 0x8847;

    /// <summary>MPLS multicast (RFC 3032 section 5; RFC 5332 gives it the same meaning as 0x8847).</summary>
    public const ushort MplsMulticast = 0x8848;

    /// <summary>Novell IPX.</summary>
    public const ushort Ipx = 0x8137;

    /// <summary>IEEE 802.3: a type field of at most this is the frame's length, and 802.2 LLC follows.</summary>
    public const ushort MaxLength = 1500;

    /// <summary>IEEE 802.1Q customer VLAN tag.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (QinQ outer tag).</summary>
    public const ushort ServiceVlan = 0x88a8;

    /// <summary>Pre-standard QinQ outer tag used by some switches before 802.1ad.</summary>
    public const ushort LegacyQinQ = 0x9100;

    public static bool IsVlanTag(ushort type) => type is Vlan or ServiceVlan or LegacyQinQ;

    /// <summary>What a frame of this (non-IP) type carries, as the outputs name it.</summary>
    public static NotIpKind NotIpKindOf(ushort type) => type switch
    {
        Arp => NotIpKind.Arp,
        Ipx => NotIpKind.Ipx,
        <= MaxLength => NotIpKind.Llc,
        _ => NotIpKind.EtherType,
    };
}
