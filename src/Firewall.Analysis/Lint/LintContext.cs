using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>What every check reads: the ruleset, the match space of its rules as boxes, and the addresses AWS does not filter.</summary>
internal sealed class LintContext
{
    private readonly Dictionary<string, int> _groupSpaces = new(StringComparer.Ordinal);

    public LintContext(Ruleset ruleset)
    {
        Ruleset = ruleset;
        foreach (var g in ruleset.SecurityGroups)
        {
            _groupSpaces[g.Name] = Box.V6 + 1 + _groupSpaces.Count;
        }
        var hosts = new[] { "169.254.169.253", "169.254.169.254", "169.254.169.123", "fd00:ec2::254", "fd00:ec2::123" }.Select(IpAddr.Parse).ToList();
        if (ruleset.VpcCidr is { } vpc)
        {
            hosts.Add(IpAddr.FromV4((uint)vpc.Network.Lo + 2));
        }
        Unfiltered.AddRange(hosts.Select(h => CidrBox(RuleProtocol.All, PortRange.All, IcmpMatch.Any, Cidr.Host(h))));
    }

    public Ruleset Ruleset { get; }

    /// <summary>
    /// Addresses AWS filters with neither security groups nor NACLs (VPC "Compare security groups and
    /// network ACLs"): the DNS resolver at the VPC base + 2 and 169.254.169.253,
    /// instance metadata, the Time Sync Service.
    /// </summary>
    public List<Box> Unfiltered { get; } = [];

    public SourceLocation FileLocation => new(Ruleset.SourcePath ?? "", 0, 0);

    public static Box Match(RuleProtocol protocol, PortRange ports, IcmpMatch icmp, int space, UInt128 lo, UInt128 hi)
    {
        var (protoLo, protoHi) = protocol.IsAll ? (0, 255) : (protocol.Value, protocol.Value);
        var (selLo, selHi) = protocol.Value switch
        {
            IpProtocol.Tcp or IpProtocol.Udp => (ports.From, ports.To),
            IpProtocol.Icmp or IpProtocol.IcmpV6 when icmp.Type >= 0 && icmp.Code >= 0 => (icmp.Type * 256 + icmp.Code, icmp.Type * 256 + icmp.Code),
            IpProtocol.Icmp or IpProtocol.IcmpV6 when icmp.Type >= 0 => (icmp.Type * 256, icmp.Type * 256 + 255),
            _ => (0, 65535),
        };
        return new Box(protoLo, protoHi, space, lo, hi, selLo, selHi);
    }

    public static Box CidrBox(RuleProtocol protocol, PortRange ports, IcmpMatch icmp, Cidr cidr)
    {
        var (lo, hi) = Box.Bounds(cidr);
        return Match(protocol, ports, icmp, cidr.IsV6 ? Box.V6 : Box.V4, lo, hi);
    }

    public static List<Box> Boxes(NaclRule r) => [CidrBox(r.Protocol, r.MatchedPorts, r.MatchedIcmp, r.Cidr)];

    /// <summary>
    /// What an SG rule matches. A referenced group is its own address space (its members change with
    /// the interfaces); <paramref name="membersAsAddresses"/> replaces it by the members' addresses
    /// today, for the reply-path check. <c>icmp</c> with an IPv6 CIDR matches nothing (AWS
    /// "Security group rules reference": ping6 needs icmpv6).
    /// </summary>
    public List<Box> Boxes(SgRule r, bool membersAsAddresses = false)
    {
        IEnumerable<Cidr> cidrs;
        switch (r.Peer.Kind)
        {
            case PeerKind.Cidr:
                cidrs = [r.Peer.Cidr];
                break;
            case PeerKind.PrefixList:
                cidrs = Ruleset.FindPrefixList(r.Peer.Name!)?.Cidrs ?? [];
                break;
            default:
                if (!membersAsAddresses)
                {
                    return [Match(r.Protocol, r.MatchedPorts, r.MatchedIcmp, _groupSpaces.GetValueOrDefault(r.Peer.Name!, -1), UInt128.Zero, UInt128.Zero)];
                }
                cidrs = Ruleset.PeerCidrs(r.Peer);
                break;
        }
        return cidrs
            .Where(c => !(c.IsV6 && r.Protocol.Value == IpProtocol.Icmp))
            .Select(c => CidrBox(r.Protocol, r.MatchedPorts, r.MatchedIcmp, c))
            .ToList();
    }
}
