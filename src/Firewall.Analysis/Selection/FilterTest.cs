using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Selection;

/// <summary>What one primitive of a filter tests.</summary>
internal enum FilterTestKind : byte
{
    /// <summary><c>ip</c> or <c>ip6</c>: the packet's IP version.</summary>
    Version,

    /// <summary><c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmp6</c>, <c>sctp</c>: the transport protocol.</summary>
    Protocol,

    /// <summary><c>host</c> and <c>net</c>: an address under a mask (a host is a net of all ones).</summary>
    Address,

    /// <summary><c>port</c> and <c>portrange</c>: a TCP or UDP port in a range.</summary>
    Port,
}

/// <summary>Which of a packet's two addresses or ports a primitive looks at (pcap-filter's <c>src</c>, <c>dst</c>, <c>src or dst</c>, <c>src and dst</c>).</summary>
internal enum FilterDirection : byte
{
    SrcOrDst,
    Src,
    Dst,
    SrcAndDst,
}

/// <summary>
/// One primitive, compiled: a flat value the matcher tests against the decoded packet without allocating.
/// Every primitive is false on a frame that carries no decoded IP packet.
/// </summary>
internal readonly record struct FilterTest
{
    /// <summary><see cref="PortProtocols"/> bits.</summary>
    public const byte PortTcp = 1, PortUdp = 2;

    public FilterTestKind Kind { get; init; }

    public FilterDirection Direction { get; init; }

    /// <summary>4 or 6 to match one IP version only, 0 for both.</summary>
    public byte Version { get; init; }

    /// <summary>The IP protocol number of a <see cref="FilterTestKind.Protocol"/> test.</summary>
    public byte Protocol { get; init; }

    /// <summary>The transports a port test accepts (<see cref="PortTcp"/>, <see cref="PortUdp"/>).</summary>
    public byte PortProtocols { get; init; }

    public ushort PortLow { get; init; }

    public ushort PortHigh { get; init; }

    /// <summary>The network of an address test (host bits clear) and its mask.</summary>
    public IpAddr Network { get; init; }

    public ulong MaskHi { get; init; }

    public ulong MaskLo { get; init; }

    /// <summary>The pcap-filter text of this primitive, with every qualifier spelled out.</summary>
    public string Text { get; init; }

    public override string ToString() => Text;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(in PacketInfo p)
    {
        if (!p.IsIp || !p.Decoded || (Version != 0 && p.IpVersion != Version))
        {
            return false;
        }
        return Kind switch
        {
            FilterTestKind.Version => true,
            FilterTestKind.Protocol => p.Protocol == Protocol,
            FilterTestKind.Address => Either(InNetwork(p.Src), InNetwork(p.Dst)),
            _ => CarriesPorts(in p) && Either(InRange(p.SrcPort), InRange(p.DstPort)),
        };
    }

    private bool Either(bool src, bool dst) => Direction switch
    {
        FilterDirection.Src => src,
        FilterDirection.Dst => dst,
        FilterDirection.SrcAndDst => src && dst,
        _ => src || dst,
    };

    private bool InNetwork(IpAddr a) =>
        a.IsV6 == Network.IsV6 && (a.Hi & MaskHi) == Network.Hi && (a.Lo & MaskLo) == Network.Lo;

    private bool InRange(ushort port) => port >= PortLow && port <= PortHigh;

    /// <summary>
    /// As BPF does: a TCP or UDP header (SCTP's ports are not decoded), only in an IPv4 packet's first
    /// fragment, and in IPv6 only when no fragment header comes before it (BPF reads ports at offset 40).
    /// </summary>
    private bool CarriesPorts(in PacketInfo p)
    {
        var transport = p.Protocol switch
        {
            IpProtocol.Tcp => PortTcp,
            IpProtocol.Udp => PortUdp,
            _ => 0,
        };
        return (transport & PortProtocols) != 0
            && p.Has(PacketFlags.Ports)
            && (p.IpVersion == 4 ? !p.IsLaterFragment : !p.Has(PacketFlags.Fragment));
    }
}
