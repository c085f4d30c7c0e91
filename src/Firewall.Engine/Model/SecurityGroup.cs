using Firewall.Engine.Addressing;

namespace Firewall.Engine.Model;

public sealed record SecurityGroup(string Name, IReadOnlyList<SgRule> Inbound, IReadOnlyList<SgRule> Outbound, string? Description = null)
{
    public IReadOnlyList<SgRule> Rules(Direction direction) => direction == Direction.Inbound ? Inbound : Outbound;
}

public enum PeerKind : byte
{
    Cidr,
    Group,
    PrefixList,
}

/// <summary>The far end of a security-group rule: a CIDR, <c>sg:NAME</c> or <c>pl:NAME</c>.</summary>
public readonly record struct SgPeer(PeerKind Kind, Cidr Cidr, string? Name)
{
    public static SgPeer ForCidr(Cidr cidr) => new(PeerKind.Cidr, cidr, null);

    public static SgPeer ForGroup(string name) => new(PeerKind.Group, default, name);

    public static SgPeer ForPrefixList(string name) => new(PeerKind.PrefixList, default, name);

    public override string ToString() => Kind switch
    {
        PeerKind.Cidr => Cidr.ToString(),
        PeerKind.Group => $"sg:{Name}",
        _ => $"pl:{Name}",
    };
}

/// <summary>
/// A security-group rule. <see cref="Reference"/> is its stable name, <c>sg:GROUP:DIRECTION:N</c> with N the
/// rule's <c>id</c> or its 1-based position in the list (docs/ruleset-format.md). <see cref="Ports"/> and
/// <see cref="Icmp"/> are what was written; <see cref="MatchedPorts"/> and <see cref="MatchedIcmp"/> what AWS
/// matches.
/// </summary>
public sealed record SgRule(
    string Group,
    Direction Direction,
    string Id,
    RuleProtocol Protocol,
    PortRange Ports,
    IcmpMatch Icmp,
    SgPeer Peer,
    string? Description = null)
{
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public string Reference => $"sg:{Group}:{DirectionText.Name(Direction)}:{Id}";

    /// <summary>
    /// The destination ports AWS matches: <see cref="Ports"/> for tcp and udp; for -1 or any other protocol
    /// number every port, regardless of any port range given (EC2 API IpPermission, IpProtocol).
    /// </summary>
    public PortRange MatchedPorts => Protocol.HasPorts ? Ports : PortRange.All;

    /// <summary>The ICMP type and code AWS matches: <see cref="Icmp"/> for icmp and icmpv6, every type and code otherwise.</summary>
    public IcmpMatch MatchedIcmp => Protocol.HasIcmpFields ? Icmp : IcmpMatch.Any;
}
