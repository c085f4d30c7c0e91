using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>
/// A service a security-group rule opens on an interface, and the network ACL its replies cross: the
/// interface's subnet's ACL, outbound when the interface serves (an inbound rule), inbound when it calls
/// out (an outbound rule). The replies go to the client's ephemeral ports (AWS "Ephemeral ports"), which
/// the ACL must pass for every peer the rule admits. <c>firewall lint</c> checks each path of a ruleset,
/// and <c>firewall replies</c> suggests the rules that open one; both read this definition, so a
/// suggestion pasted into the ruleset is what lint then finds open.
/// </summary>
public sealed record ReplyPath(NetworkInterface Interface, Subnet Subnet, NetworkAcl Acl, SgRule Rule)
{
    /// <summary>The interface is the server: the rule is inbound, the replies leave its subnet.</summary>
    public bool Serves => Rule.Direction == Direction.Inbound;

    /// <summary>The NACL direction the replies cross.</summary>
    public Direction ReplyDirection => Serves ? Direction.Outbound : Direction.Inbound;

    /// <summary>
    /// Whose ports the replies go to: any kind of client when the interface serves, the interface's own
    /// (Linux or Windows) when it calls out. NAT gateways, load balancers and Lambda call servers; they
    /// are not what an instance's own outbound rule speaks for.
    /// </summary>
    public IReadOnlyList<ClientPorts> Clients => Serves ? EphemeralPorts.OfAnyClient : EphemeralPorts.OfAnInstance;

    /// <summary>One range holding every client range of <see cref="Clients"/>.</summary>
    public PortRange ClientPorts => EphemeralPorts.Covering(Clients);

    /// <summary>
    /// Every path of a ruleset: each tcp/udp rule of each group of each interface that sits in a subnet.
    /// Rules of protocol <c>all</c> or another number open no particular service, so they have no path.
    /// </summary>
    public static IEnumerable<ReplyPath> All(Ruleset ruleset)
    {
        foreach (var eni in ruleset.Interfaces)
        {
            if (eni.Subnet is null || ruleset.FindSubnet(eni.Subnet) is not { } subnet || ruleset.FindAcl(subnet.NetworkAcl) is not { } acl)
            {
                continue;
            }
            foreach (var group in eni.SecurityGroups.Select(ruleset.FindGroup).OfType<SecurityGroup>())
            {
                foreach (var rule in group.Inbound.Concat(group.Outbound))
                {
                    if (rule.Protocol.Value is IpProtocol.Tcp or IpProtocol.Udp)
                    {
                        yield return new ReplyPath(eni, subnet, acl, rule);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The far end of the replies as CIDRs a NACL rule can name, in <paramref name="v6"/>'s family: the
    /// rule's CIDR, its prefix list's CIDRs, or for <c>sg:GROUP</c> the subnets of the interfaces that
    /// carry GROUP (a NACL names no groups; an interface in no subnet gives its own address). Peers inside
    /// this path's own subnet are left out: traffic within a subnet never meets its NACL.
    /// </summary>
    public IReadOnlyList<Cidr> PeerCidrs(Ruleset ruleset, bool v6)
    {
        IEnumerable<Cidr> cidrs = Rule.Peer.Kind switch
        {
            PeerKind.Cidr => [Rule.Peer.Cidr],
            PeerKind.PrefixList => ruleset.FindPrefixList(Rule.Peer.Name!)?.Cidrs ?? [],
            _ => ruleset.Interfaces
                .Where(i => i.SecurityGroups.Contains(Rule.Peer.Name!))
                .SelectMany(i => i.Addresses.Select(a => SubnetCidrOf(ruleset, i, a))),
        };
        var own = v6 ? Subnet.Ipv6Cidr : Subnet.Cidr;
        return Minimal(cidrs.Where(c => c.IsV6 == v6 && !(own is { } o && Covers(o, c))));
    }

    /// <summary>The CIDR of the subnet that holds <paramref name="address"/> of interface <paramref name="eni"/>, else the address alone.</summary>
    private static Cidr SubnetCidrOf(Ruleset ruleset, NetworkInterface eni, IpAddr address)
    {
        var subnet = eni.Subnet is { } name ? ruleset.FindSubnet(name) : null;
        var cidr = address.IsV6 ? subnet?.Ipv6Cidr : subnet?.Cidr;
        return cidr is { } c && c.Contains(address) ? c : Cidr.Host(address);
    }

    /// <summary>Whether <paramref name="outer"/> holds every address of <paramref name="inner"/>.</summary>
    public static bool Covers(Cidr outer, Cidr inner) =>
        outer.IsV6 == inner.IsV6 && outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.Network);

    /// <summary>Distinct CIDRs, none inside another, in address order.</summary>
    public static IReadOnlyList<Cidr> Minimal(IEnumerable<Cidr> cidrs)
    {
        var sorted = cidrs.Distinct().OrderBy(c => c.PrefixLength).ToList();
        var kept = new List<Cidr>();
        foreach (var c in sorted)
        {
            if (!kept.Any(k => Covers(k, c)))
            {
                kept.Add(c);
            }
        }
        return kept.OrderBy(c => c.Network.Hi).ThenBy(c => c.Network.Lo).ThenBy(c => c.PrefixLength).ToList();
    }

    /// <summary>
    /// Numbers for <paramref name="count"/> new allow rules that must come before every rule of the ACL's
    /// reply direction that denies part of <paramref name="space"/> (protocol, the CIDRs, the ports): below
    /// the first such numbered deny, or after the existing rules when only <c>*</c> denies. Null entries
    /// when no number is free (the ACL must be renumbered).
    /// </summary>
    public static IReadOnlyList<int?> RuleNumbers(NetworkAcl acl, Direction direction, byte protocol, IReadOnlyList<Cidr> space, PortRange ports, int count, HashSet<int> taken)
    {
        int? limit = null;
        foreach (var rule in acl.Rules(direction).OrderBy(r => r.Number))
        {
            if (rule.Action == NaclAction.Deny
                && rule.Protocol.Matches(protocol)
                && rule.MatchedPorts.From <= ports.To && ports.From <= rule.MatchedPorts.To
                && space.Any(c => c.IsV6 == rule.Cidr.IsV6 && (Covers(rule.Cidr, c) || Covers(c, rule.Cidr))))
            {
                limit = rule.Number;
                break;
            }
        }
        var numbers = new List<int?>();
        for (var i = 0; i < count; i++)
        {
            var n = ReplyDropAnalysis.ChooseRuleNumber(limit, taken);
            if (n is { } free)
            {
                taken.Add(free);
            }
            numbers.Add(n);
        }
        return numbers;
    }
}
