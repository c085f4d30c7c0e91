namespace Firewall.Capture.Reading;

/// <summary>
/// LINKTYPE_* values as stored in pcap and pcapng files (https://www.tcpdump.org/linktypes.html).
/// </summary>
public static class LinkTypes
{
    /// <summary>BSD loopback: a 4-byte address family in the capturing host's byte order.</summary>
    public const ushort Null = 0;

    public const ushort Ethernet = 1;

    /// <summary>DLT_RAW as some old BSD captures stored it (libpcap maps both to LINKTYPE_RAW; Wireshark reads them as raw IP).</summary>
    public const ushort RawBsd12 = 12;

    /// <summary>DLT_RAW on OpenBSD, found in old captures.</summary>
    public const ushort RawBsd14 = 14;

    /// <summary>Raw IP; the version nibble says IPv4 or IPv6.</summary>
    public const ushort Raw = 101;

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
}
