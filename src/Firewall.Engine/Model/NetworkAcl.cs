using Firewall.Engine.Addressing;

namespace Firewall.Engine.Model;

/// <summary>
/// A network ACL. Each list holds the rules of one direction sorted by rule number; the implicit
/// <c>*</c> deny is not in the lists (the evaluator applies it when nothing matches).
/// </summary>
public sealed record NetworkAcl(string Name, IReadOnlyList<NaclRule> Inbound, IReadOnlyList<NaclRule> Outbound, string? Description = null)
{
    /// <summary>The name AWS gives a subnet's ACL when none is set.</summary>
    public const string DefaultName = "default";

    public IReadOnlyList<NaclRule> Rules(Direction direction) => direction == Direction.Inbound ? Inbound : Outbound;

    /// <summary>The AWS default NACL: rule 100 allows all IPv4 and rule 101 all IPv6, both directions.</summary>
    public static NetworkAcl CreateDefault()
    {
        NaclRule Rule(Direction d, int n, Cidr c) => new(DefaultName, d, n, NaclAction.Allow, RuleProtocol.All, PortRange.All, IcmpMatch.Any, c);
        return new NetworkAcl(
            DefaultName,
            [Rule(Direction.Inbound, 100, Cidr.AllV4), Rule(Direction.Inbound, 101, Cidr.AllV6)],
            [Rule(Direction.Outbound, 100, Cidr.AllV4), Rule(Direction.Outbound, 101, Cidr.AllV6)],
            "AWS default network ACL");
    }

    /// <summary>
    /// <paramref name="acls"/>, then AWS's default ACL when a subnet uses it and <paramref name="acls"/> do not
    /// define it. A subnet with no network ACL of its own uses the VPC's default one (VPC "Network ACLs": every
    /// subnet is associated with one); a ruleset that defines an ACL named <c>default</c> has edited it, as AWS allows.
    /// </summary>
    public static List<NetworkAcl> WithDefault(IEnumerable<NetworkAcl> acls, IEnumerable<Subnet> subnets)
    {
        var all = acls.ToList();
        if (subnets.Any(s => s.NetworkAcl == DefaultName) && all.All(a => a.Name != DefaultName))
        {
            all.Add(CreateDefault());
        }
        return all;
    }

    public static string StarReference(string acl, Direction direction) => $"nacl:{acl}:{DirectionText.Name(direction)}:*";
}

public enum NaclAction : byte
{
    Deny,
    Allow,
}

/// <summary>
/// A numbered NACL rule. The CIDR is the far end: the source for inbound, the destination for outbound.
/// <see cref="Ports"/> and <see cref="Icmp"/> are what the file (or AWS) says, kept for writing the rule
/// back and for lint; <see cref="MatchedPorts"/> and <see cref="MatchedIcmp"/> are what AWS matches, and
/// are what evaluation and every description of the rule use.
/// </summary>
public sealed record NaclRule(
    string Acl,
    Direction Direction,
    int Number,
    NaclAction Action,
    RuleProtocol Protocol,
    PortRange Ports,
    IcmpMatch Icmp,
    Cidr Cidr,
    string? Description = null)
{
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public string Reference => $"nacl:{Acl}:{DirectionText.Name(Direction)}:{Number}";

    /// <summary>
    /// The destination ports AWS matches: <see cref="Ports"/> for tcp and udp; for any other protocol every
    /// port, whatever ports were given (EC2 API CreateNetworkAclEntry, Protocol).
    /// </summary>
    public PortRange MatchedPorts => Protocol.HasPorts ? Ports : PortRange.All;

    /// <summary>
    /// The ICMP type and code AWS matches: <see cref="Icmp"/> for icmp, and for icmpv6 with an IPv6 CIDR.
    /// Every type and code otherwise: other protocols ignore ICMP fields, and protocol 58 with an IPv4 CIDR
    /// allows all ICMP types and codes whatever was given (EC2 API CreateNetworkAclEntry, Protocol).
    /// </summary>
    public IcmpMatch MatchedIcmp =>
        Protocol.HasIcmpFields && !(Protocol.Value == IpProtocol.IcmpV6 && !Cidr.IsV6) ? Icmp : IcmpMatch.Any;
}
