namespace Firewall.Analysis.Reachability;

/// <summary>
/// One product of a packet set, within one address family: protocols × sources × destinations ×
/// (source ports × destination ports for tcp/udp, ICMP types × codes for icmp/icmpv6). Addresses are
/// 32-bit (IPv4) or 128-bit (IPv6) values; port sets never hold 0.
/// </summary>
public sealed record SetPart(
    bool V6,
    IntervalSet Protocols,
    IntervalSet Sources,
    IntervalSet Destinations,
    IntervalSet SourcePorts,
    IntervalSet DestinationPorts,
    IntervalSet IcmpTypes,
    IntervalSet IcmpCodes)
{
    public bool IsEmpty => Protocols.IsEmpty || Sources.IsEmpty || Destinations.IsEmpty;
}

/// <summary>A set of packets written like a flow line whose endpoints may be sets: the union of its parts.</summary>
public sealed record PacketSet(string Text, IReadOnlyList<SetPart> Parts)
{
    public bool IsEmpty => Parts.All(p => p.IsEmpty);

    /// <summary>Whether the text names the source ports (<c>SOURCES:PORTS</c>); without them a set holds every source port.</summary>
    public bool SourcePortsGiven { get; init; }
}

/// <summary>An error in a packet set: <see cref="Offset"/> is the 0-based character where it was found.</summary>
public readonly record struct PacketSetError(int Offset, string Message)
{
    public override string ToString() => $"column {Offset + 1}: {Message}";
}
