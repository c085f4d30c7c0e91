using Firewall.Engine.Addressing;

namespace Firewall.Engine.Model;

/// <summary>
/// A validated ruleset (docs/ruleset-format.md): names resolved, NACL rules sorted, references checked. Built by a
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

    /// <summary>CIDRs that were written with host bits set and read as their network, as AWS reads them.</summary>
    public IReadOnlyList<HostBitsCidr> HostBitsCidrs { get; init; } = [];

    public SecurityGroup? FindGroup(string name) => SecurityGroups.FirstOrDefault(g => g.Name == name);

    public NetworkAcl? FindAcl(string name) => NetworkAcls.FirstOrDefault(a => a.Name == name);

    /// <summary>
    /// The ACL a subnet naming <paramref name="name"/> uses: the ruleset's, or AWS's default for <c>default</c>
    /// when the ruleset (one built in code) does not hold it (<see cref="NetworkAcl.WithDefault"/>).
    /// </summary>
    public NetworkAcl? FindAclOrDefault(string name) =>
        FindAcl(name) ?? (name == NetworkAcl.DefaultName ? NetworkAcl.CreateDefault() : null);

    public PrefixList? FindPrefixList(string name) => PrefixLists.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The CIDRs a security-group peer stands for: its CIDR; a prefix list's entries; for <c>sg:NAME</c> every
    /// address of every interface carrying NAME (AWS: a referenced group stands for its members' private addresses).
    /// </summary>
    public IEnumerable<Cidr> PeerCidrs(SgPeer peer) => peer.Kind switch
    {
        PeerKind.Cidr => [peer.Cidr],
        PeerKind.PrefixList => FindPrefixList(peer.Name!)?.Cidrs ?? [],
        PeerKind.Group => Interfaces
            .Where(i => i.SecurityGroups.Contains(peer.Name!))
            .SelectMany(i => i.Addresses)
            .Select(Cidr.Host),
        _ => [],
    };

    public Subnet? FindSubnet(string name) => Subnets.FirstOrDefault(s => s.Name == name);

    public NetworkInterface? FindInterface(string name) => Interfaces.FirstOrDefault(i => i.Name == name);
}

/// <summary>
/// A CIDR written with host bits set (<c>10.0.1.5/24</c>) in a field where AWS accepts that and keeps the network
/// (<c>10.0.1.0/24</c>): EC2 API IpRange and Ipv6Range (security group rules), CreateNetworkAclEntry (an IPv4
/// CidrBlock), CreateSubnet and CreateVpc (an IPv4 CidrBlock). The model holds <see cref="Network"/>; this
/// keeps what was written, where, and which API page says so, for lint.
/// </summary>
/// <param name="Written">The text as written, host bits and all.</param>
/// <param name="Network">The network AWS keeps: the written CIDR with its host bits cleared.</param>
/// <param name="Field">The key it was written under: source, destination, cidr, vpc_cidr.</param>
/// <param name="AwsPage">The EC2 API page that documents the reading, such as "IpRange".</param>
/// <param name="Location">Where it was written.</param>
/// <param name="Rule">The reference of the rule it belongs to, if any.</param>
public sealed record HostBitsCidr(string Written, Cidr Network, string Field, string AwsPage, SourceLocation Location, string? Rule = null);

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

    /// <summary>
    /// The one reading of protocol text, as the EC2 API writes it (IpPermission IpProtocol, NetworkAclEntry
    /// Protocol) and as ruleset files do: <c>all</c> or <c>-1</c>, <c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmpv6</c>,
    /// or a protocol number 0-255 in decimal digits. Callers say in their own words what it refuses.
    /// </summary>
    public static bool TryParse(string text, out RuleProtocol protocol)
    {
        switch (text)
        {
            case "all" or "-1":
                protocol = All;
                return true;
            case "tcp":
                protocol = new RuleProtocol(IpProtocol.Tcp);
                return true;
            case "udp":
                protocol = new RuleProtocol(IpProtocol.Udp);
                return true;
            case "icmp":
                protocol = new RuleProtocol(IpProtocol.Icmp);
                return true;
            case "icmpv6":
                protocol = new RuleProtocol(IpProtocol.IcmpV6);
                return true;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= 255)
        {
            protocol = new RuleProtocol((short)number);
            return true;
        }
        protocol = default;
        return false;
    }

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
