namespace Firewall.Capture.Reading;

/// <summary>
/// LINKTYPE_* values as stored in pcap and pcapng files (https://www.tcpdump.org/linktypes.html).
/// </summary>
public static class LinkTypes
{
    /// <summary>BSD loopback: a 4-byte address family (or, from some tools, an EtherType) in the capturing host's byte order.</summary>
    public const ushort Null = 0;

    public const ushort Ethernet = 1;

    /// <summary>DLT_RAW as some old BSD captures stored it (libpcap maps both to LINKTYPE_RAW; Wireshark reads them as raw IP).</summary>
    public const ushort RawBsd12 = 12;

    /// <summary>DLT_RAW on OpenBSD, found in old captures.</summary>
    public const ushort RawBsd14 = 14;

    /// <summary>Raw IP; the version nibble says IPv4 or IPv6.</summary>
    public const ushort Raw = 101;

    /// <summary>Cisco HDLC, as routers' serial links are captured: address, control, then a protocol that takes EtherType values.</summary>
    public const ushort CHdlc = 104;

    /// <summary>OpenBSD loopback: like <see cref="Null"/> but the family is in network byte order.</summary>
    public const ushort Loop = 108;

    /// <summary>Linux "cooked" capture v1 (16-byte header), e.g. tcpdump -i any.</summary>
    public const ushort LinuxSll = 113;

    public const ushort Ipv4 = 228;
    public const ushort Ipv6 = 229;

    /// <summary>Linux "cooked" capture v2 (20-byte header), tcpdump -i any since libpcap 1.10.</summary>
    public const ushort LinuxSll2 = 276;

    /// <summary>
    /// Not a LINKTYPE: marks a pcapng packet whose interface id names no Interface Description Block
    /// (65535 is unassigned in the registry). The decoder reports it as unsupported.
    /// </summary>
    public const ushort Unknown = 0xFFFF;

    /// <summary>The link types the decoder reads, in registry order.</summary>
    public static readonly IReadOnlyList<ushort> Supported = [Null, Ethernet, RawBsd12, RawBsd14, Raw, CHdlc, Loop, LinuxSll, Ipv4, Ipv6, LinuxSll2];

    // Kept whole: a table, one registry entry a line (tcpdump.org "Link-Layer Header Types").
    /// <summary>
    /// Registry names (without the LINKTYPE_ prefix) of the supported link types and of those seen most
    /// often in captures that are not IP traffic (Wi-Fi monitor mode, USB, Bluetooth, netlink, vsock), so
    /// that a message can say what a capture holds. Each was checked against the encapsulation capinfos
    /// reports for a file of that link type. USER0-15 are 147-162.
    /// </summary>
    private static readonly Dictionary<ushort, string> Names = new()
    {
        [0] = "NULL",
        [1] = "ETHERNET",
        [6] = "IEEE802_5",
        [8] = "SLIP",
        [9] = "PPP",
        [10] = "FDDI",
        [12] = "RAW",
        [14] = "RAW",
        [50] = "PPP_HDLC",
        [51] = "PPP_ETHER",
        [100] = "ATM_RFC1483",
        [101] = "RAW",
        [104] = "C_HDLC",
        [105] = "IEEE802_11",
        [107] = "FRELAY",
        [108] = "LOOP",
        [113] = "LINUX_SLL",
        [114] = "LTALK",
        [117] = "PFLOG",
        [119] = "IEEE802_11_PRISM",
        [127] = "IEEE802_11_RADIOTAP",
        [138] = "APPLE_IP_OVER_IEEE1394",
        [163] = "IEEE802_11_AVS",
        [187] = "BLUETOOTH_HCI_H4",
        [189] = "USB_LINUX",
        [192] = "PPI",
        [195] = "IEEE802_15_4_WITHFCS",
        [201] = "BLUETOOTH_HCI_H4_WITH_PHDR",
        [204] = "PPP_WITH_DIR",
        [215] = "IEEE802_15_4_NONASK_PHY",
        [220] = "USB_LINUX_MMAPPED",
        [227] = "CAN_SOCKETCAN",
        [228] = "IPV4",
        [229] = "IPV6",
        [230] = "IEEE802_15_4_NOFCS",
        [231] = "DBUS",
        [235] = "DVB_CI",
        [239] = "NFLOG",
        [240] = "NETANALYZER",
        [249] = "USBPCAP",
        [251] = "BLUETOOTH_LE_LL",
        [252] = "WIRESHARK_UPPER_PDU",
        [253] = "NETLINK",
        [254] = "BLUETOOTH_LINUX_MONITOR",
        [255] = "BLUETOOTH_BREDR_BB",
        [256] = "BLUETOOTH_LE_LL_WITH_PHDR",
        [258] = "PKTAP",
        [264] = "ISO_14443",
        [270] = "LORATAP",
        [271] = "VSOCK",
        [272] = "NORDIC_BLE",
        [273] = "DOCSIS31_XRA31",
        [274] = "ETHERNET_MPACKET",
        [275] = "DISPLAYPORT_AUX",
        [276] = "LINUX_SLL2",
        [279] = "EBHSCR",
        [280] = "VPP_DISPATCH",
        [283] = "IEEE802_15_4_TAP",
        [287] = "ZWAVE_SERIAL",
        [288] = "USB_2_0",
        [290] = "ETW",
        [292] = "ZBOSS_NCP",
        [293] = "USB_2_0_LOW_SPEED",
    };

    /// <summary>"ETHERNET", "VSOCK", "USER3"…; null for a number this table does not name.</summary>
    public static string? Name(ushort linkType) =>
        Names.TryGetValue(linkType, out var name) ? name : linkType is >= 147 and <= 162 ? $"USER{linkType - 147}" : null;

    /// <summary>"271 (LINKTYPE_VSOCK)", or the number alone when unnamed.</summary>
    public static string Describe(ushort linkType) =>
        Name(linkType) is { } name ? $"{linkType} (LINKTYPE_{name})" : linkType == Unknown ? "unknown (a pcapng packet of an undeclared interface)" : $"{linkType}";
}
