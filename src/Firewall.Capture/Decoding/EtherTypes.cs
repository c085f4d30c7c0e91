namespace Firewall.Capture.Decoding;

/// <summary>EtherType values the decoder acts on (IEEE 802 numbers; IANA "ieee-802-numbers").</summary>
internal static class EtherTypes
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Ipv6 = 0x86dd;

    /// <summary>IEEE 802.1Q customer VLAN tag.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (QinQ outer tag).</summary>
    public const ushort ServiceVlan = 0x88a8;

    /// <summary>Pre-standard QinQ outer tag used by some switches before 802.1ad.</summary>
    public const ushort LegacyQinQ = 0x9100;

    public static bool IsVlanTag(ushort type) => type is Vlan or ServiceVlan or LegacyQinQ;
}
