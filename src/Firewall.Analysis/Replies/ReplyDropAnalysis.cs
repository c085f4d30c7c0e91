using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Replies;

/// <summary>The client an ephemeral port range points to, from the ranges of <see cref="EphemeralPorts"/> (AWS "Ephemeral ports").</summary>
public enum LikelyClient
{
    /// <summary>Some port below 1024: not an ephemeral range anyone documents.</summary>
    Unknown,

    /// <summary><see cref="EphemeralPorts.Linux"/>.</summary>
    Linux,

    /// <summary><see cref="EphemeralPorts.Windows"/>.</summary>
    Windows,

    /// <summary>Every port in the overlap of the Linux and Windows ranges, which both use.</summary>
    LinuxOrWindows,

    /// <summary><see cref="EphemeralPorts.NatGatewayElbLambda"/>.</summary>
    NatGatewayElbLambda,
}

/// <summary>A flow shown as an example of a group.</summary>
public sealed record ReplyDropExample(int Flow, long FirstFrame, byte Protocol, IpAddr Client, ushort ClientPort, IpAddr Server, ushort ServerPort, bool HasPorts, int RepliesDropped);

/// <summary>
/// The narrowest NACL rules that let a group's replies through: the ports seen, to the peers seen (the
/// subnets they are in, when they are in the ruleset's subnets), in the ACL and direction of the denying
/// rule; and <see cref="Path"/>, the rules that open the whole reply path of the security-group rules that
/// admitted those flows. <see cref="Yaml"/> are the lines to paste, one per peer CIDR.
/// </summary>
public sealed record NaclFix
{
    public required string Acl { get; init; }
    public required Direction Direction { get; init; }

    /// <summary>One number per peer CIDR, each placing its rule before the denying one; null where none is free (renumber).</summary>
    public required IReadOnlyList<int?> RuleNumbers { get; init; }

    public required byte Protocol { get; init; }

    /// <summary>
    /// The rules name every protocol (<c>protocol: all</c>): the classes of a static answer hold many
    /// protocols without ports or ICMP types (every one but tcp, udp and ICMP, say), and a NACL rule names
    /// one protocol or all of them. Never set for a capture's flows.
    /// </summary>
    public bool AnyProtocol { get; init; }

    /// <summary>The protocol as the rules and reports name it: tcp, 47, or all.</summary>
    public string ProtocolName => AnyProtocol ? "all" : IpProtocol.Name(Protocol);

    public required bool IsV6 { get; init; }

    /// <summary>The smallest range covering the reply destination ports seen (TCP/UDP only).</summary>
    public PortRange? PortsSeen { get; init; }

    public int DistinctPorts { get; init; }

    public LikelyClient Client { get; init; }

    /// <summary>The documented ephemeral range of <see cref="Client"/>; null when it does not cover the ports seen.</summary>
    public PortRange? DocumentedPorts { get; init; }

    /// <summary>For ICMP: the reply's type (echo reply).</summary>
    public IcmpMatch? Icmp { get; init; }

    /// <summary>
    /// The far end of the replies at this hop: the CIDRs of the ruleset's subnets that hold the peers when
    /// all of them are in some (see <see cref="PeerSubnets"/>), else the smallest CIDR covering the peers, or
    /// all addresses when they are spread.
    /// </summary>
    public required IReadOnlyList<Cidr> Peers { get; init; }

    /// <summary>The subnets whose CIDRs <see cref="Peers"/> are, by name; empty when the peers are not all in subnets.</summary>
    public IReadOnlyList<string> PeerSubnets { get; init; } = [];

    /// <summary>How many peer addresses: those seen in a capture, or all those of an answer's classes (up to 2^128).</summary>
    public required UInt128 PeerCount { get; init; }

    public required int Flows { get; init; }

    /// <summary>Why the peers are subnets rather than the addresses seen, as a clause ("; the peers are in subnet…"), or "".</summary>
    public string PeersNote => PeerSubnets.Count == 0 ? ""
        : $"; the peers are in subnet{(PeerSubnets.Count == 1 ? "" : "s")} {string.Join(", ", PeerSubnets)}, so the rule{(Peers.Count == 1 ? " covers it" : "s cover them")} ({string.Join(", ", Peers)}): a NACL names CIDRs, not interfaces or groups";

    /// <summary>The rules to paste, one per peer CIDR, with the ports seen.</summary>
    public IReadOnlyList<string> Yaml => Peers.Select((peer, i) => NaclRuleText.Line(RuleNumbers[i], ProtocolName, PortsSeen, Icmp, Direction, peer)).ToList();

    /// <summary>The rules that open the reply path of the admitting security-group rules; null when none is known (ICMP, no group on the path).</summary>
    public ReplyPathFix? Path { get; init; }
}

/// <summary>
/// The rules that open a reply path (<see cref="ReplyPath"/>) for every peer its security-group rules admit
/// and every client port (<see cref="Ports"/>): pasted into the ruleset, <c>firewall lint</c> finds the path
/// open. One rule per peer CIDR, each before any rule of the ACL that denies part of what it opens.
/// </summary>
public sealed record ReplyPathFix(
    IReadOnlyList<string> SgRules,
    IReadOnlyList<Cidr> Peers,
    PortRange Ports,
    IReadOnlyList<ClientPorts> Clients,
    IReadOnlyList<int?> RuleNumbers,
    byte Protocol,
    Direction Direction)
{
    public IReadOnlyList<string> Yaml => Peers.Select((peer, i) => NaclRuleText.Line(RuleNumbers[i], Protocol, Ports, null, Direction, peer)).ToList();
}

/// <summary>A NACL rule as the YAML flow mapping the ruleset format reads, for pasting.</summary>
public static class NaclRuleText
{
    public static string Line(int? number, byte protocol, PortRange? ports, IcmpMatch? icmp, Direction direction, Cidr peer) =>
        Line(number, IpProtocol.Name(protocol), ports, icmp, direction, peer);

    /// <summary>The rule for <paramref name="protocol"/> as the ruleset names it (tcp, 47, all).</summary>
    public static string Line(int? number, string protocol, PortRange? ports, IcmpMatch? icmp, Direction direction, Cidr peer)
    {
        var parts = new List<string>
        {
            $"rule: {(number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N")}",
            $"protocol: {protocol}",
        };
        if (ports is { } p)
        {
            parts.Add($"ports: {p}");
        }
        if (icmp is { } i && !i.IsAny)
        {
            parts.Add($"icmp_type: {i.Type}");
        }
        var far = direction == Direction.Inbound ? "source" : "destination";
        // IPv6 text starts with or holds "::", which a YAML plain scalar may not; quote it.
        parts.Add(peer.IsV6 ? $"{far}: \"{peer}\"" : $"{far}: {peer}");
        parts.Add("action: allow");
        return "- { " + string.Join(", ", parts) + " }";
    }
}

/// <summary>The flows whose replies one NACL rule (or <c>*</c>) dropped, with how to let them through.</summary>
public sealed record ReplyDropGroup
{
    public required RuleEntry Rule { get; init; }
    public required NaclPosition Position { get; init; }
    public required int Flows { get; init; }
    public required long RepliesDropped { get; init; }
    public required long RequestsAllowed { get; init; }
    public required IReadOnlyList<ReplyDropExample> Examples { get; init; }
    public required IReadOnlyList<NaclFix> Fixes { get; init; }

    /// <summary>Flows of this group that a stateless security group would also drop: the SG passes them only because it tracks them.</summary>
    public required int StatefulOnlyFlows { get; init; }

    /// <summary>The security-group references that would drop those flows if groups kept no state, most flows first.</summary>
    public required IReadOnlyList<string> StatelessDeniedBy { get; init; }
}

public sealed record ReplyDropReport(IReadOnlyList<ReplyDropGroup> Groups, int Flows, int OtherReplyDeniedFlows)
{
    /// <summary>Flows whose requests passed and whose replies a NACL dropped.</summary>
    public int NaclReplyDeniedFlows => Groups.Sum(g => g.Flows);
}

/// <summary>
/// SPEC §6 <c>firewall replies</c>: the flows whose requests passed but whose replies a network ACL dropped,
/// grouped by ACL, direction and deciding rule, each with the rule to add. A pure function of the
/// compiled ruleset and the flows of a finished run.
/// </summary>
public static class ReplyDropAnalysis
{
    public const int MaxExamples = 3;

    /// <summary>
    /// Covering CIDRs broader than this (IPv4 /16, IPv6 /48) are "spread": the suggestion names every
    /// address instead, since a /9 that happens to cover three internet clients is not a meaningful peer.
    /// </summary>
    public const int WidestV4Prefix = 16;
    public const int WidestV6Prefix = 48;

    public static ReplyDropReport Analyze(CompiledRuleset rules, RuleCatalog catalog, FlowRecords flows)
    {
        var byRule = new Dictionary<int, List<(int Id, FlowRecord Flow)>>();
        var other = 0;
        for (var i = 0; i < flows.Length; i++)
        {
            ref readonly var f = ref flows[i];
            if (RunSummary.IsNaclReplyDrop(in f, catalog))
            {
                if (!byRule.TryGetValue(f.DeniedBy, out var list))
                {
                    byRule[f.DeniedBy] = list = [];
                }
                list.Add((i, f));
            }
            else if (f.Outcome == FlowOutcome.ReplyDenied)
            {
                other++;
            }
        }

        // Rule numbers already taken, per ACL and direction, grown as fixes claim numbers: one set for the
        // narrowest fixes and one for the path fixes, since a person pastes one kind or the other.
        var taken = new Dictionary<(string, Direction, bool), HashSet<int>>();
        HashSet<int> Taken(NaclPosition position, bool path)
        {
            var key = (position.Acl.Name, position.Direction, path);
            if (!taken.TryGetValue(key, out var set))
            {
                taken[key] = set = position.Acl.Rules(position.Direction).Select(r => r.Number).ToHashSet();
            }
            return set;
        }
        var paths = ReplyPath.All(rules.Model).ToLookup(p => (p.Rule.Reference, p.Interface.Name));

        var groups = new List<ReplyDropGroup>();
        foreach (var (ruleId, members) in byRule.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key))
        {
            var entry = catalog[ruleId];
            var position = entry.Nacl!;
            var fixes = new List<NaclFix>();
            foreach (var part in members.GroupBy(m => (m.Flow.Key.Protocol, m.Flow.Key.IsV6)).OrderBy(g => g.Key.IsV6).ThenBy(g => g.Key.Protocol))
            {
                var flowsOfPart = part.Select(m => m.Flow).ToList();
                var fix = Fix(rules.Model, position, part.Key.Protocol, part.Key.IsV6, flowsOfPart, Taken(position, path: false));
                var pathsOfPart = part.Select(m => PathOf(rules, catalog, paths, position, in m.Flow)).OfType<ReplyPath>().Distinct().ToList();
                fixes.Add(fix with { Path = PathFix(rules.Model, position, part.Key.Protocol, part.Key.IsV6, fix.PortsSeen, pathsOfPart, Taken(position, path: true)) });
            }
            var statelessBy = members
                .Select(m => StatelessReplyCheck.DeniedBy(rules, in m.Flow))
                .OfType<string>()
                .GroupBy(reference => reference)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            groups.Add(new ReplyDropGroup
            {
                Rule = entry,
                Position = position,
                Flows = members.Count,
                RepliesDropped = members.Sum(m => (long)m.Flow.ReplyDenied),
                RequestsAllowed = members.Sum(m => (long)m.Flow.RequestAllowed),
                Examples = members.Take(MaxExamples).Select(m => Example(m.Id, in m.Flow)).ToList(),
                Fixes = fixes,
                StatefulOnlyFlows = statelessBy.Sum(g => g.Count()),
                StatelessDeniedBy = statelessBy.Select(g => g.Key).ToList(),
            });
        }
        return new ReplyDropReport(groups, flows.Length, other);
    }

    private static ReplyDropExample Example(int id, in FlowRecord f) =>
        new(id, f.FirstFrame, f.Key.Protocol, f.Client, f.ClientPort, f.Server, f.ServerPort, IpProtocol.HasPorts(f.Key.Protocol), f.ReplyDenied);

    private static NaclFix Fix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6, List<FlowRecord> flows, HashSet<int> taken)
    {
        // A reply travels server → client. Leaving the server's subnet (outbound) its far end is the
        // client; entering the client's subnet (inbound) it is the server. Its destination port is the
        // client's port either way, which is what a NACL rule's port range matches.
        var peers = flows
            .Select(f => position.Direction == Direction.Outbound ? f.Client : f.Server)
            .Distinct()
            .Select(a => (a, a))
            .ToList();
        var ports = flows.Select(f => f.ClientPort).Distinct().Select(p => (p, p)).ToList();
        return Fix(ruleset, position, protocol, v6, peers, ports, flows.Count, taken);
    }

    /// <summary>
    /// The narrowest rules for replies to <paramref name="peers"/> (ranges of far-end addresses) on
    /// <paramref name="clientPorts"/> (ranges of the clients' ports), as seen in a capture or as the classes
    /// of an answer hold them.
    /// </summary>
    internal static NaclFix Fix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6,
        List<(IpAddr Lo, IpAddr Hi)> peers, List<(ushort Lo, ushort Hi)> clientPorts, int flows, HashSet<int> taken)
    {
        // Peers that are all in the ruleset's subnets (a group's interfaces, a subnet's hosts) are named by
        // their subnets: a NACL rule names CIDRs only, and the subnet keeps the rule right as addresses change.
        Subnet? SubnetOf(IpAddr a) => ruleset.Subnets.FirstOrDefault(s => (a.IsV6 ? s.Ipv6Cidr : s.Cidr) is { } c && c.Contains(a));
        var subnets = peers.Select(p => SubnetOf(p.Lo) is { } s && SubnetOf(p.Hi) == s ? s : null).ToList();
        var inSubnets = subnets.All(s => s is not null);
        var cidrs = inSubnets
            ? ReplyPath.Minimal(subnets.Select(s => (v6 ? s!.Ipv6Cidr : s!.Cidr)!.Value))
            : [CoveringCidr(peers.SelectMany(p => new[] { p.Lo, p.Hi }).ToList())];
        var numbers = new List<int?>();
        foreach (var _ in cidrs)
        {
            var number = ChooseRuleNumber(position.Number, taken);
            if (number is { } n)
            {
                taken.Add(n);
            }
            numbers.Add(number);
        }
        var addresses = UInt128.Zero;
        foreach (var (lo, hi) in peers)
        {
            // The whole IPv6 space is 2^128 addresses, one more than UInt128 holds: it saturates.
            var n = hi.Value - lo.Value;
            addresses = n == UInt128.MaxValue || UInt128.MaxValue - addresses <= n ? UInt128.MaxValue : addresses + n + 1;
        }
        var fix = new NaclFix
        {
            Acl = position.Acl.Name,
            Direction = position.Direction,
            RuleNumbers = numbers,
            Protocol = protocol,
            IsV6 = v6,
            Peers = cidrs,
            PeerSubnets = inSubnets ? subnets.Select(s => s!.Name).Distinct().Order(StringComparer.Ordinal).ToList() : [],
            PeerCount = addresses,
            Flows = flows,
        };
        if (IpProtocol.HasPorts(protocol))
        {
            var seen = new PortRange(clientPorts.Min(p => p.Lo), clientPorts.Max(p => p.Hi));
            var client = Classify(seen);
            return fix with
            {
                PortsSeen = seen,
                DistinctPorts = clientPorts.Sum(p => p.Hi - p.Lo + 1),
                Client = client,
                DocumentedPorts = DocumentedRange(client),
            };
        }
        if (IpProtocol.IsIcmp(protocol))
        {
            // Echo flows are the ICMP flows with replies; their reply is an echo reply (RFC 792 type 0, RFC 4443 type 129).
            var reply = protocol == IpProtocol.Icmp ? IcmpKind.V4EchoReply : IcmpKind.V6EchoReply;
            return fix with { Icmp = new IcmpMatch(reply, -1) };
        }
        return fix;
    }


    /// <summary>
    /// The reply path a flow's replies took at the denying NACL: the interface on this side of it (the
    /// server when the replies leave its subnet, the client when they enter it) and the security-group rule
    /// that admitted the request there, as the evaluation named it. Null when there is none in this ACL.
    /// </summary>
    internal static ReplyPath? PathOf(CompiledRuleset rules, RuleCatalog catalog, ILookup<(string, string), ReplyPath> paths, NaclPosition position, in FlowRecord flow)
    {
        var near = position.Direction == Direction.Outbound ? flow.Server : flow.Client;
        var eni = rules.Model.Interfaces.FirstOrDefault(i => i.Addresses.Contains(near));
        if (eni is null)
        {
            return null;
        }
        for (var i = 0; i < Math.Min((int)flow.RuleCount, FlowRecord.InlineRules); i++)
        {
            var entry = catalog[flow.Rules[i]];
            if (entry.Kind != RuleKind.SgRule)
            {
                continue;
            }
            foreach (var path in paths[(entry.Reference, eni.Name)])
            {
                if (path.Acl.Name == position.Acl.Name && path.ReplyDirection == position.Direction)
                {
                    return path;
                }
            }
        }
        return null;
    }

    /// <summary>The rules that open <paramref name="paths"/> for all their peers and client ports (and the ports seen); null without a path.</summary>
    internal static ReplyPathFix? PathFix(Ruleset ruleset, NaclPosition position, byte protocol, bool v6, PortRange? seen, List<ReplyPath> paths, HashSet<int> taken)
    {
        if (paths.Count == 0)
        {
            return null;
        }
        var peers = ReplyPath.Minimal(paths.SelectMany(p => p.PeerCidrs(ruleset, v6)));
        if (peers.Count == 0)
        {
            return null;
        }
        var clients = paths.SelectMany(p => p.Clients).Distinct().ToList();
        var ports = EphemeralPorts.Covering(clients);
        if (seen is { } s)
        {
            ports = new PortRange(Math.Min(ports.From, s.From), Math.Max(ports.To, s.To));
        }
        var numbers = ReplyPath.RuleNumbers(position.Acl, position.Direction, protocol, peers, ports, peers.Count, taken);
        return new ReplyPathFix(paths.Select(p => p.Rule.Reference).Distinct().ToList(), peers, ports, clients, numbers, protocol, position.Direction);
    }

    /// <summary>The client the seen ports point to: the narrowest documented range that holds them all.</summary>
    public static LikelyClient Classify(PortRange seen)
    {
        var (linux, windows, other) = (EphemeralPorts.Linux.Range, EphemeralPorts.Windows.Range, EphemeralPorts.NatGatewayElbLambda.Range);
        return seen switch
        {
            _ when seen.From >= windows.From && seen.To <= linux.To => LikelyClient.LinuxOrWindows,
            _ when seen.From >= linux.From && seen.To <= linux.To => LikelyClient.Linux,
            _ when seen.From >= windows.From && seen.To <= windows.To => LikelyClient.Windows,
            _ when seen.From >= other.From && seen.To <= other.To => LikelyClient.NatGatewayElbLambda,
            _ => LikelyClient.Unknown,
        };
    }

    /// <summary>The documented ephemeral range of <paramref name="client"/> (<see cref="EphemeralPorts"/>); both ranges for Linux or Windows.</summary>
    public static PortRange? DocumentedRange(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.Range,
        LikelyClient.Windows => EphemeralPorts.Windows.Range,
        LikelyClient.LinuxOrWindows => EphemeralPorts.Covering([EphemeralPorts.Linux, EphemeralPorts.Windows]),
        LikelyClient.NatGatewayElbLambda => EphemeralPorts.NatGatewayElbLambda.Range,
        _ => null,
    };

    public static string Describe(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.ToString(),
        LikelyClient.Windows => EphemeralPorts.Windows.ToString(),
        LikelyClient.LinuxOrWindows => $"{EphemeralPorts.Linux} or {EphemeralPorts.Windows}",
        LikelyClient.NatGatewayElbLambda => $"a {EphemeralPorts.NatGatewayElbLambda}",
        _ => "unknown: ports below 1024 are no documented ephemeral range",
    };

    public static string Name(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.Name,
        LikelyClient.Windows => EphemeralPorts.Windows.Name,
        LikelyClient.LinuxOrWindows => "linux-or-windows",
        LikelyClient.NatGatewayElbLambda => EphemeralPorts.NatGatewayElbLambda.Name,
        _ => "unknown",
    };

    /// <summary>
    /// A free number for a rule that must be evaluated before <paramref name="denyingNumber"/>: the highest
    /// free multiple of 10 below it, else of 5, else any free number below it (the closest to the denying
    /// rule, so the new rule precedes as few other rules as possible). The replies met no rule below the
    /// denying one, so any of these lets them through. For <c>*</c> (null) every free number works; the
    /// first multiple of 10 above the highest rule changes no other rule's reach. Null when nothing is free.
    /// </summary>
    public static int? ChooseRuleNumber(int? denyingNumber, IReadOnlySet<int> taken)
    {
        const int Max = 32766;
        if (denyingNumber is not { } limit)
        {
            var highest = taken.Count == 0 ? 0 : taken.Max();
            var above = taken.Count == 0 ? 100 : (highest / 10 + 1) * 10; // AWS consoles start at 100
            if (above <= Max)
            {
                return above;
            }
            limit = Max + 1;
        }
        foreach (var step in new[] { 10, 5, 1 })
        {
            for (var n = (limit - 1) / step * step; n >= 1; n -= step)
            {
                if (!taken.Contains(n))
                {
                    return n;
                }
            }
        }
        return null;
    }

    /// <summary>The smallest CIDR holding every address, or all addresses of the family when that CIDR is wider than /16 (IPv4) or /48 (IPv6).</summary>
    public static Cidr CoveringCidr(IReadOnlyList<IpAddr> addresses)
    {
        var first = addresses[0];
        var bits = first.BitLength;
        var prefix = bits;
        foreach (var a in addresses)
        {
            prefix = Math.Min(prefix, CommonPrefix(first, a));
        }
        var widest = first.IsV6 ? WidestV6Prefix : WidestV4Prefix;
        return prefix < widest ? (first.IsV6 ? Cidr.AllV6 : Cidr.AllV4) : Cidr.Create(first, prefix);
    }

    private static int CommonPrefix(IpAddr a, IpAddr b)
    {
        if (!a.IsV6)
        {
            var x = a.V4 ^ b.V4;
            return x == 0 ? 32 : System.Numerics.BitOperations.LeadingZeroCount(x);
        }
        var hi = a.Hi ^ b.Hi;
        if (hi != 0)
        {
            return System.Numerics.BitOperations.LeadingZeroCount(hi);
        }
        var lo = a.Lo ^ b.Lo;
        return lo == 0 ? 128 : 64 + System.Numerics.BitOperations.LeadingZeroCount(lo);
    }
}
