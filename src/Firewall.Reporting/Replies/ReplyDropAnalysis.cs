using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Reporting.Summaries;

namespace Firewall.Reporting.Replies;

/// <summary>The client an ephemeral port range points to, from the ranges AWS documents ("Ephemeral ports", VPC user guide).</summary>
public enum LikelyClient
{
    /// <summary>Some port below 1024: not an ephemeral range anyone documents.</summary>
    Unknown,

    /// <summary>32768-61000: "many Linux kernels (including the Amazon Linux kernel)".</summary>
    Linux,

    /// <summary>49152-65535: Windows Server 2008 and later.</summary>
    Windows,

    /// <summary>Every port in 49152-61000, which both Linux and Windows use.</summary>
    LinuxOrWindows,

    /// <summary>1024-65535: NAT gateways, Elastic Load Balancing, Lambda.</summary>
    NatGatewayElbLambda,
}

/// <summary>A flow shown as an example of a group.</summary>
public sealed record ReplyDropExample(int Flow, long FirstFrame, byte Protocol, IpAddr Client, ushort ClientPort, IpAddr Server, ushort ServerPort, bool HasPorts, int RepliesDropped);

/// <summary>
/// The NACL rule that lets a group's replies through: its number, protocol, ports (tight and documented),
/// far-end CIDR, in the ACL and direction of the denying rule. <see cref="Yaml"/> is the line to paste.
/// </summary>
public sealed record NaclFix
{
    public required string Acl { get; init; }
    public required Direction Direction { get; init; }

    /// <summary>A free rule number that puts the new rule before the denying one; null when none is free (renumber).</summary>
    public required int? RuleNumber { get; init; }

    public required byte Protocol { get; init; }
    public required bool IsV6 { get; init; }

    /// <summary>The smallest range covering the reply destination ports seen (TCP/UDP only).</summary>
    public PortRange? PortsSeen { get; init; }

    public int DistinctPorts { get; init; }

    public LikelyClient Client { get; init; }

    /// <summary>The documented ephemeral range of <see cref="Client"/>; null when it does not cover the ports seen.</summary>
    public PortRange? DocumentedPorts { get; init; }

    /// <summary>For ICMP: the reply's type (echo reply).</summary>
    public IcmpMatch? Icmp { get; init; }

    /// <summary>The far end of the replies at this hop: the smallest CIDR covering the peers, or all addresses when they are spread.</summary>
    public required Cidr Peers { get; init; }

    public required int PeerCount { get; init; }

    public required int Flows { get; init; }

    /// <summary>The rule as a YAML flow mapping, with the tight port range.</summary>
    public string Yaml => Line(PortsSeen);

    /// <summary>The rule with the documented range of the likely client; null when there is none.</summary>
    public string? YamlDocumented => DocumentedPorts is { } ports && ports != PortsSeen ? Line(ports) : null;

    private string Line(PortRange? ports)
    {
        var parts = new List<string>();
        parts.Add($"rule: {(RuleNumber is { } n ? n.ToString() : "N")}");
        parts.Add($"protocol: {IpProtocol.Name(Protocol)}");
        if (ports is { } p)
        {
            parts.Add($"ports: {p}");
        }
        if (Icmp is { } icmp && !icmp.IsAny)
        {
            parts.Add($"icmp_type: {icmp.Type}");
        }
        var far = Direction == Direction.Inbound ? "source" : "destination";
        // IPv6 text starts with or holds "::", which a YAML plain scalar may not; quote it.
        parts.Add(IsV6 ? $"{far}: \"{Peers}\"" : $"{far}: {Peers}");
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

        // Rule numbers already taken, per ACL and direction, grown as fixes claim numbers.
        var taken = new Dictionary<(string, Direction), HashSet<int>>();
        HashSet<int> Taken(NaclPosition position)
        {
            var key = (position.Acl.Name, position.Direction);
            if (!taken.TryGetValue(key, out var set))
            {
                taken[key] = set = position.Acl.Rules(position.Direction).Select(r => r.Number).ToHashSet();
            }
            return set;
        }

        var groups = new List<ReplyDropGroup>();
        foreach (var (ruleId, members) in byRule.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key))
        {
            var entry = catalog[ruleId];
            var position = entry.Nacl!;
            var fixes = new List<NaclFix>();
            foreach (var part in members.GroupBy(m => (m.Flow.Key.Protocol, m.Flow.Key.IsV6)).OrderBy(g => g.Key.IsV6).ThenBy(g => g.Key.Protocol))
            {
                fixes.Add(Fix(position, part.Key.Protocol, part.Key.IsV6, part.Select(m => m.Flow).ToList(), Taken(position)));
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

    private static NaclFix Fix(NaclPosition position, byte protocol, bool v6, List<FlowRecord> flows, HashSet<int> taken)
    {
        // A reply travels server → client. Leaving the server's subnet (outbound) its far end is the
        // client; entering the client's subnet (inbound) it is the server. Its destination port is the
        // client's port either way, which is what a NACL rule's port range matches.
        var peers = flows
            .Select(f => position.Direction == Direction.Outbound ? f.Client : f.Server)
            .Distinct()
            .ToList();
        var number = ChooseRuleNumber(position.Number, taken);
        if (number is { } n)
        {
            taken.Add(n);
        }
        var fix = new NaclFix
        {
            Acl = position.Acl.Name,
            Direction = position.Direction,
            RuleNumber = number,
            Protocol = protocol,
            IsV6 = v6,
            Peers = CoveringCidr(peers),
            PeerCount = peers.Count,
            Flows = flows.Count,
        };
        if (IpProtocol.HasPorts(protocol))
        {
            var ports = flows.Select(f => f.ClientPort).Distinct().ToList();
            var seen = new PortRange(ports.Min(), ports.Max());
            var client = Classify(seen);
            return fix with
            {
                PortsSeen = seen,
                DistinctPorts = ports.Count,
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

    /// <summary>The client the seen ports point to: the narrowest documented range that holds them all.</summary>
    public static LikelyClient Classify(PortRange seen) => seen switch
    {
        { From: >= 49152, To: <= 61000 } => LikelyClient.LinuxOrWindows,
        { From: >= 32768, To: <= 61000 } => LikelyClient.Linux,
        { From: >= 49152 } => LikelyClient.Windows,
        { From: >= 1024 } => LikelyClient.NatGatewayElbLambda,
        _ => LikelyClient.Unknown,
    };

    /// <summary>AWS "Ephemeral ports": Linux 32768-61000, Windows 49152-65535, NAT gateway/ELB/Lambda 1024-65535.</summary>
    public static PortRange? DocumentedRange(LikelyClient client) => client switch
    {
        LikelyClient.Linux => new PortRange(32768, 61000),
        LikelyClient.Windows => new PortRange(49152, 65535),
        LikelyClient.LinuxOrWindows => new PortRange(32768, 65535),
        LikelyClient.NatGatewayElbLambda => new PortRange(1024, 65535),
        _ => null,
    };

    public static string Describe(LikelyClient client) => client switch
    {
        LikelyClient.Linux => "Linux (32768-61000)",
        LikelyClient.Windows => "Windows (49152-65535)",
        LikelyClient.LinuxOrWindows => "Linux (32768-61000) or Windows (49152-65535)",
        LikelyClient.NatGatewayElbLambda => "a NAT gateway, load balancer or Lambda (1024-65535)",
        _ => "unknown: ports below 1024 are no documented ephemeral range",
    };

    public static string Name(LikelyClient client) => client switch
    {
        LikelyClient.Linux => "linux",
        LikelyClient.Windows => "windows",
        LikelyClient.LinuxOrWindows => "linux-or-windows",
        LikelyClient.NatGatewayElbLambda => "nat-gateway-elb-lambda",
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
