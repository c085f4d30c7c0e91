using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Reachability;

/// <summary>The header fields of a request packet that the answers about all packets range over.</summary>
public enum Dim
{
    Protocol,
    Source,
    Destination,
    SourcePort,
    DestinationPort,
    IcmpType,
    IcmpCode,
}

/// <summary>
/// A predicate the evaluator may consult about a request or its reply, as the set of request headers for
/// which it holds: a product of one value set per dimension (null: every value). A rule gives two boxes,
/// one for the request it may judge and one, mirrored, for the reply (the reply's destination port is the
/// request's source port; its far end is the request's near end).
/// </summary>
internal sealed class HeaderBox
{
    public readonly IntervalSet?[] Sets = new IntervalSet?[Dims];

    public const int Dims = 7;

    /// <summary>
    /// The rules one hop reads in order for one packet (a NACL list, or an interface's group rules in one
    /// direction), for the request or for the reply; -1 for the boxes of no rule. Within a group a lower
    /// box index is read first.
    /// </summary>
    public int Group = -1;

    /// <summary>A security-group rule whose peer is 0.0.0.0/0 or ::/0: whether one matches decides tracking, so it counts even after the first match.</summary>
    public bool AllPeer;

    /// <summary>A security-group rule's box (its group reads on for 0.0.0.0/0 rules); else a NACL rule's.</summary>
    public bool SecurityGroup;

    /// <summary>
    /// What the box is beyond its sets, for telling two rulesets' boxes apart: the rule's reference and action
    /// and whether it judges the request or the reply; null for the boxes of no rule.
    /// </summary>
    public string? Identity;

    /// <summary>Whether <paramref name="other"/>, of a ruleset whose groups are numbered from <paramref name="offset"/>, is the same predicate with the same meaning.</summary>
    public bool SameAs(HeaderBox other, int offset)
    {
        if (Identity != other.Identity || Group != (other.Group < 0 ? -1 : other.Group - offset) || AllPeer != other.AllPeer)
        {
            return false;
        }
        for (var d = 0; d < Dims; d++)
        {
            if (!Equals(Sets[d], other.Sets[d]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A hash of what <see cref="SameAs"/> compares, the group counted from <paramref name="offset"/>.</summary>
    public int ContentHash(int offset)
    {
        var h = new HashCode();
        h.Add(Identity);
        h.Add(Group < 0 ? -1 : Group - offset);
        foreach (var set in Sets)
        {
            h.Add(set);
        }
        return h.ToHashCode();
    }

    public HeaderBox With(Dim dim, IntervalSet? set)
    {
        Sets[(int)dim] = set;
        return this;
    }
}

/// <summary>
/// Every predicate of a compiled ruleset that can tell two request packets of one family apart in what
/// <c>check</c> does with their exchanges: where each address sits (an interface's address, a subnet), what
/// AWS does not filter, the protocol kinds the evaluator treats apart (TCP, UDP, ICMP echo and its other
/// messages, neighbour discovery), and each NACL and security-group rule as it may judge the request and the
/// reply. Cutting the header space at these boxes' edges leaves regions on which every predicate is constant,
/// so one exchange decides each region: the regions refine the atomic predicates of the ruleset (Yang and
/// Lam), and the rules are read from the compiled ruleset the evaluator runs, not from a copy.
/// </summary>
internal static class HeaderBoxes
{
    /// <summary>The boxes of one family; rule groups are numbered from <paramref name="firstGroup"/> (a diff numbers the second ruleset's after the first's).</summary>
    public static List<HeaderBox> Of(CompiledRuleset rules, bool v6, int firstGroup = 0)
    {
        var boxes = new List<HeaderBox>();
        var groups = firstGroup;
        var (interfaceAddresses, subnetRanges) = AddressCuts(boxes, rules, v6);
        EvaluatorCuts(boxes, v6);
        NaclBoxes(boxes, rules, v6, subnetRanges, ref groups);
        SgBoxes(boxes, rules, v6, interfaceAddresses, ref groups);
        return boxes;
    }

    /// <summary>The cuts where addresses sit; returns each interface's addresses and each subnet's range in this family.</summary>
    private static (IntervalSet[] Interfaces, IntervalSet[] Subnets) AddressCuts(List<HeaderBox> boxes, CompiledRuleset rules, bool v6)
    {
        var model = rules.Model;
        // Where addresses sit: interfaces (exact) and subnets (containment) decide the hops and whether a
        // NACL is crossed at all (not within one subnet).
        var interfaceAddresses = new IntervalSet[model.Interfaces.Count];
        for (var i = 0; i < interfaceAddresses.Length; i++)
        {
            var points = model.Interfaces[i].Addresses.Where(a => a.IsV6 == v6).Select(a => PacketSetParser.Range(Cidr.Host(a)));
            interfaceAddresses[i] = IntervalSet.Of(points);
            foreach (var p in interfaceAddresses[i].Intervals)
            {
                AddressCut(boxes, IntervalSet.Of(p));
            }
        }
        var subnetRanges = new IntervalSet[model.Subnets.Count];
        for (var s = 0; s < model.Subnets.Count; s++)
        {
            var cidr = v6 ? model.Subnets[s].Ipv6Cidr : model.Subnets[s].Cidr;
            subnetRanges[s] = cidr is { } c ? IntervalSet.Of(PacketSetParser.Range(c)) : IntervalSet.Empty;
            if (!subnetRanges[s].IsEmpty)
            {
                AddressCut(boxes, subnetRanges[s]);
            }
        }

        // What AWS does not filter (the engine's Bypass): its addresses, and DHCP's port pairs.
        foreach (var address in rules.Bypass.Addresses.Where(a => a.IsV6 == v6))
        {
            AddressCut(boxes, IntervalSet.Of(PacketSetParser.Range(Cidr.Host(address))));
        }
        return (interfaceAddresses, subnetRanges);
    }

    /// <summary>The cuts of what the evaluator treats apart by ports, protocol or ICMP type.</summary>
    private static void EvaluatorCuts(List<HeaderBox> boxes, bool v6)
    {
        foreach (var (client, server) in Bypass.DhcpPorts)
        {
            var udp = Point(IpProtocol.Udp);
            boxes.Add(new HeaderBox().With(Dim.Protocol, udp).With(Dim.SourcePort, Point(client)).With(Dim.DestinationPort, Point(server)));
            boxes.Add(new HeaderBox().With(Dim.Protocol, udp).With(Dim.SourcePort, Point(server)).With(Dim.DestinationPort, Point(client)));
        }

        // Protocols the evaluator treats apart, and the ICMP types it treats apart: echo requests and
        // replies (tracked by identifier), errors, neighbour discovery and MLD (out of scope over IPv6).
        foreach (var p in new byte[] { IpProtocol.Icmp, IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.IcmpV6 })
        {
            boxes.Add(new HeaderBox().With(Dim.Protocol, Point(p)));
        }
        var icmp = v6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp;
        for (var type = 0; type < 256; type++)
        {
            var b = (byte)type;
            if (IcmpKind.IsEchoRequest(icmp, b) || IcmpKind.IsEchoReply(icmp, b) || IcmpKind.IsError(icmp, b)
                || (v6 && type is (>= 130 and <= 137) or 143))
            {
                boxes.Add(new HeaderBox().With(Dim.Protocol, Point(icmp)).With(Dim.IcmpType, Point(b)));
            }
        }
    }

    private static void NaclBoxes(List<HeaderBox> boxes, CompiledRuleset rules, bool v6, IntervalSet[] subnetRanges, ref int groups)
    {
        var icmp = v6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp;
        // Network ACLs: a rule judges requests crossing its subnets' boundary in its direction, and the
        // replies crossing it the other way (far end mirrored, the reply's destination port the request's source port).
        for (var a = 0; a < rules.Acls.Length; a++)
        {
            var subnets = IntervalSet.Empty;
            for (var s = 0; s < subnetRanges.Length; s++)
            {
                if (rules.SubnetAcl[s] == a)
                {
                    subnets = subnets.Union(subnetRanges[s]);
                }
            }
            if (subnets.IsEmpty)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var (requests, replies) = (groups++, groups++);
                foreach (var rule in rules.Acls[a].Lists[CompiledNacl.Slot(direction, v6)])
                {
                    var far = IntervalSet.Of(PacketSetParser.Range(rule.Cidr));
                    AddRule(boxes, rule.Protocol, rule.Ports, rule.Icmp, icmp, v6, direction, subnets, far, requests, replies, securityGroup: false, allPeer: false,
                        $"{rules.Rules.Reference(rule.RuleId)} {(rule.Allow ? "allow" : "deny")}");
                }
            }
        }
    }

    private static void SgBoxes(List<HeaderBox> boxes, CompiledRuleset rules, bool v6, IntervalSet[] interfaceAddresses, ref int groups)
    {
        var icmp = v6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp;
        // Security groups: each interface's union of rules per direction, as the evaluator holds it.
        for (var i = 0; i < rules.Interfaces.Length; i++)
        {
            if (interfaceAddresses[i].IsEmpty)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var set = rules.Interfaces[i].Rules[CompiledNacl.Slot(direction, v6)];
                var (requests, replies) = (groups++, groups++);
                foreach (var rule in set.Rules)
                {
                    var peers = IntervalSet.Of(set.Peers.AsSpan(rule.PeerStart, rule.PeerCount).ToArray().Select(PacketSetParser.Range));
                    AddRule(boxes, rule.Protocol, rule.Ports, rule.Icmp, icmp, v6, direction, interfaceAddresses[i], peers, requests, replies, securityGroup: true, rule.PeerIsAll,
                        rules.Rules.Reference(rule.RuleId));
                }
            }
        }
    }

    private static void AddressCut(List<HeaderBox> boxes, IntervalSet range)
    {
        boxes.Add(new HeaderBox().With(Dim.Source, range));
        boxes.Add(new HeaderBox().With(Dim.Destination, range));
    }

    /// <summary>
    /// A rule of an interface's groups or of a subnet's ACL (<paramref name="near"/>: the interface's or the
    /// subnets' addresses) with far end <paramref name="far"/>: the request it judges, and the reply.
    /// </summary>
    private static void AddRule(List<HeaderBox> boxes, short protocol, PortRange ports, IcmpMatch icmp, byte icmpProtocol, bool v6,
        Direction direction, IntervalSet near, IntervalSet far, int requestGroup, int replyGroup, bool securityGroup, bool allPeer, string reference)
    {
        if (far.IsEmpty)
        {
            return; // a group reference with no member: the rule matches nothing
        }
        var protocols = protocol < 0 ? null : Point((byte)protocol);
        var portSet = ports.IsAll ? null : IntervalSet.Of(ports.From, (UInt128)ports.To);
        var inbound = direction == Direction.Inbound;

        // The request: inbound, it arrives at the near side from the far end; outbound, it leaves the near side for it.
        var request = new HeaderBox { Group = requestGroup, SecurityGroup = securityGroup, AllPeer = allPeer, Identity = reference + " request" }.With(Dim.Protocol, protocols)
            .With(inbound ? Dim.Destination : Dim.Source, near)
            .With(inbound ? Dim.Source : Dim.Destination, far)
            .With(Dim.DestinationPort, portSet);
        // The reply crosses the same hop the other way round: inbound, it arrives at the near side, which
        // sent the request; outbound, it leaves the near side, which received it.
        var reply = new HeaderBox { Group = replyGroup, SecurityGroup = securityGroup, AllPeer = allPeer, Identity = reference + " reply" }.With(Dim.Protocol, protocols)
            .With(inbound ? Dim.Source : Dim.Destination, near)
            .With(inbound ? Dim.Destination : Dim.Source, far)
            .With(Dim.SourcePort, portSet);
        if (!icmp.IsAny)
        {
            request.With(Dim.IcmpType, Point((byte)icmp.Type));
            if (icmp.Code >= 0)
            {
                request.With(Dim.IcmpCode, Point((byte)icmp.Code));
            }
            // Only an echo request has a reply (an echo reply, of the same code): the rule meets it when its
            // type is that echo reply's; a rule for any other type never judges a reply.
            var requestType = icmp.Type == (v6 ? IcmpKind.V6EchoReply : IcmpKind.V4EchoReply)
                ? (v6 ? IcmpKind.V6EchoRequest : IcmpKind.V4EchoRequest)
                : -1;
            if (requestType >= 0 && (protocol < 0 || protocol == icmpProtocol))
            {
                reply.With(Dim.IcmpType, Point((byte)requestType));
                if (icmp.Code >= 0)
                {
                    reply.With(Dim.IcmpCode, Point((byte)icmp.Code));
                }
                boxes.Add(reply);
            }
            boxes.Add(request);
            return;
        }
        boxes.Add(request);
        boxes.Add(reply);
    }

    private static IntervalSet Point(UInt128 value) => IntervalSet.Of(Interval.Point(value));
}
