namespace Firewall.Engine.Packets;

/// <summary>
/// What a well-formed frame that carries no IP packet carries instead: a closed set, so that every such
/// frame says why it has no addresses. Such a frame is out of scope (verdict skip), not undecodable: it
/// is counted as skipped, never under a <see cref="DecodeError"/>. The number that goes with
/// <see cref="EtherType"/> and <see cref="Family"/> is in <see cref="PacketInfo.NotIpType"/>.
/// </summary>
public enum NotIpKind : byte
{
    /// <summary>The frame carries an IP packet, or could not be decoded.</summary>
    None = 0,

    /// <summary>ARP (EtherType 0x0806, RFC 826).</summary>
    Arp,

    /// <summary>Novell IPX (EtherType 0x8137).</summary>
    Ipx,

    /// <summary>
    /// IEEE 802.3 framing: the type field is a length (at most 1500) and an 802.2 LLC header follows
    /// (spanning tree, NetBIOS, ...). On LINUX_SLL/SLL2, Linux's protocol numbers below 0x0600
    /// (ETH_P_802_2 4, ETH_P_802_3 1, ...) land here too.
    /// </summary>
    Llc,

    /// <summary>
    /// An MPLS label stack (EtherType 0x8847/0x8848) whose payload starts with neither 4 (IPv4), 6 (IPv6)
    /// nor 0 (a pseudowire control word before an Ethernet frame): e.g. a G-ACh packet (RFC 5586).
    /// </summary>
    Mpls,

    /// <summary>Any other EtherType (LLDP 0x88cc, PPPoE 0x8863/0x8864, ...): the number is kept.</summary>
    EtherType,

    /// <summary>A NULL/LOOP header naming an address family other than IPv4/IPv6: the number is kept.</summary>
    Family,
}

/// <summary>The one place that turns a <see cref="NotIpKind"/> into the text every output prints.</summary>
public static class NotIpText
{
    /// <summary>Longest text: "not-ip: family 4294967295".</summary>
    public const int MaxLength = 25;

    private const string Prefix = "not-ip: ";

    /// <summary>
    /// Writes <c>not-ip: arp</c>, <c>not-ip: ipx</c>, <c>not-ip: llc</c>, <c>not-ip: mpls</c>,
    /// <c>not-ip: ethertype 0x88cc</c> or <c>not-ip: family 7</c> into <paramref name="destination"/>
    /// (at least <see cref="MaxLength"/> long) and returns its length; 0 for <see cref="NotIpKind.None"/>.
    /// Allocates nothing: it runs once per non-IP packet in every writer.
    /// </summary>
    public static int Format(NotIpKind kind, uint type, Span<char> destination)
    {
        var name = kind switch
        {
            NotIpKind.None => "",
            NotIpKind.Arp => "arp",
            NotIpKind.Ipx => "ipx",
            NotIpKind.Llc => "llc",
            NotIpKind.Mpls => "mpls",
            NotIpKind.EtherType => "ethertype 0x",
            NotIpKind.Family => "family ",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        if (name.Length == 0)
        {
            return 0;
        }
        Prefix.CopyTo(destination);
        name.CopyTo(destination[Prefix.Length..]);
        var n = Prefix.Length + name.Length;
        int written;
        if (kind == NotIpKind.EtherType)
        {
            // Four hex digits, as Wireshark prints EtherTypes (eth.type 0x88cc).
            ((ushort)type).TryFormat(destination[n..], out written, "x4");
            n += written;
        }
        else if (kind == NotIpKind.Family)
        {
            type.TryFormat(destination[n..], out written, provider: System.Globalization.CultureInfo.InvariantCulture);
            n += written;
        }
        return n;
    }

    /// <summary>The text of a packet's <see cref="PacketInfo.NotIp"/>, into <paramref name="destination"/>; 0 when it carries IP or is undecodable.</summary>
    public static int Format(in PacketInfo p, Span<char> destination) => Format(p.NotIp, p.NotIpType, destination);

    /// <summary>The same text as a string, for tests and for what is not per packet.</summary>
    public static string Name(NotIpKind kind, uint type = 0)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Format(kind, type, buffer)]);
    }
}
