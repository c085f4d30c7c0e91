using Firewall.Engine.Addressing;

namespace Firewall.Engine.Model;

/// <summary>
/// A validated ruleset (SPEC §3): names resolved, NACL rules sorted, references checked. Built by a
/// loader (YAML, AWS import) and turned into its evaluation form by <c>RulesetCompiler</c>.
/// </summary>
public sealed record Ruleset(
    string Name,
    string? Description,
    IReadOnlyList<Subnet> Subnets,
    IReadOnlyList<NetworkInterface> Interfaces,
    IReadOnlyList<SecurityGroup> SecurityGroups,
    IReadOnlyList<NetworkAcl> NetworkAcls,
    IReadOnlyList<PrefixList> PrefixLists,
    Cidr? VpcCidr,
    TrackingSettings Tracking)
{
    /// <summary>The file the ruleset came from, for messages; null when built in code.</summary>
    public string? SourcePath { get; init; }

    public SecurityGroup? FindGroup(string name) => SecurityGroups.FirstOrDefault(g => g.Name == name);

    public NetworkAcl? FindAcl(string name) => NetworkAcls.FirstOrDefault(a => a.Name == name);

    public Subnet? FindSubnet(string name) => Subnets.FirstOrDefault(s => s.Name == name);

    public NetworkInterface? FindInterface(string name) => Interfaces.FirstOrDefault(i => i.Name == name);
}

/// <summary>Where a thing was written: file, 1-based line and column. Not part of any hot structure.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new("", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A subnet: an IPv4 CIDR and optionally an IPv6 CIDR, with one network ACL.</summary>
public sealed record Subnet(string Name, Cidr? Cidr, Cidr? Ipv6Cidr, string NetworkAcl)
{
    public bool Contains(IpAddr address) =>
        (Cidr is { } v4 && v4.Contains(address)) || (Ipv6Cidr is { } v6 && v6.Contains(address));
}

/// <summary>A network interface (ENI) with its addresses, subnet and security groups.</summary>
public sealed record NetworkInterface(
    string Name,
    IReadOnlyList<IpAddr> Addresses,
    string? Subnet,
    IReadOnlyList<string> SecurityGroups,
    int? MaxTracked);

public sealed record PrefixList(string Name, IReadOnlyList<Cidr> Cidrs);

public enum Direction : byte
{
    Inbound,
    Outbound,
}

public static class DirectionText
{
    public static string Name(Direction direction) => direction == Direction.Inbound ? "inbound" : "outbound";
}

/// <summary>
/// A rule's protocol: -1 for all, else an IP protocol number. AWS ignores ports and ICMP fields for any
/// protocol other than tcp, udp, icmp and icmpv6 (API IpPermission, CreateNetworkAclEntry).
/// </summary>
public readonly record struct RuleProtocol(short Value)
{
    public static RuleProtocol All { get; } = new(-1);

    public bool IsAll => Value < 0;

    public bool Matches(byte protocol) => Value < 0 || Value == protocol;

    /// <summary>tcp or udp: the only protocols whose rules match a destination port.</summary>
    public bool HasPorts => Value is IpProtocol.Tcp or IpProtocol.Udp;

    /// <summary>icmp or icmpv6: the only protocols whose rules match an ICMP type and code.</summary>
    public bool HasIcmpFields => Value is IpProtocol.Icmp or IpProtocol.IcmpV6;

    public override string ToString() => Value switch
    {
        < 0 => "all",
        _ => IpProtocol.Name((byte)Value),
    };
}

/// <summary>ICMP type and code of a rule; -1 means any (AWS's encoding).</summary>
public readonly record struct IcmpMatch(short Type, short Code)
{
    public static IcmpMatch Any { get; } = new(-1, -1);

    public bool IsAny => Type < 0;

    public bool Matches(byte type, byte code) => Type < 0 || (Type == type && (Code < 0 || Code == code));
}
