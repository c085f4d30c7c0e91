using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>
/// Static analysis of a validated ruleset (<c>firewall lint</c>, docs/lint.md). Pure: reads the model,
/// returns findings ordered by file position. Sources for each check are cited where it is made.
/// </summary>
public static class RulesetLinter
{
    /// <summary>VPC quotas page: rules per security group per direction, counted separately per family.</summary>
    public const int SgRulesQuota = 60;

    public const int GroupsPerInterfaceDefault = 5;
    public const int NaclRulesDefault = 20;
    public const int NaclRulesMax = 40;

    public static IReadOnlyList<LintFinding> Lint(Ruleset ruleset)
    {
        var context = new Context(ruleset);
        var findings = new List<LintFinding>();
        foreach (var acl in ruleset.NetworkAcls)
        {
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                CheckNaclOrder(context, acl, direction, findings);
                CheckNaclQuota(ruleset, acl, direction, findings);
            }
        }
        foreach (var group in ruleset.SecurityGroups)
        {
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                CheckRedundantInGroup(context, group, direction, findings);
                CheckSgQuota(ruleset, group, direction, findings);
            }
        }
        CheckRedundantAcrossGroups(context, findings);
        CheckReplies(context, findings);
        CheckFamilies(context, findings);
        CheckIcmpForIcmpv6(context, findings);
        CheckIgnoredFields(ruleset, findings);
        CheckHostBits(ruleset, findings);
        CheckGroupsPerInterface(ruleset, findings);
        return findings
            .OrderBy(f => f.Location.File, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.Kind, StringComparer.Ordinal)
            .ToList();
    }

    private sealed class Context
    {
        private readonly Dictionary<string, int> _groupSpaces = new(StringComparer.Ordinal);

        public Context(Ruleset ruleset)
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
        /// network ACLs"; SPEC §2 "Not filtered"): the DNS resolver at the VPC base + 2 and 169.254.169.253,
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
                    cidrs = Ruleset.PrefixLists.FirstOrDefault(p => p.Name == r.Peer.Name)?.Cidrs ?? [];
                    break;
                default:
                    if (!membersAsAddresses)
                    {
                        return [Match(r.Protocol, r.MatchedPorts, r.MatchedIcmp, _groupSpaces.GetValueOrDefault(r.Peer.Name!, -1), UInt128.Zero, UInt128.Zero)];
                    }
                    cidrs = Ruleset.Interfaces.Where(i => i.SecurityGroups.Contains(r.Peer.Name!)).SelectMany(i => i.Addresses).Select(Cidr.Host);
                    break;
            }
            return cidrs
                .Where(c => !(c.IsV6 && r.Protocol.Value == IpProtocol.Icmp))
                .Select(c => CidrBox(r.Protocol, r.MatchedPorts, r.MatchedIcmp, c))
                .ToList();
        }
    }

    private static string Numbers(IEnumerable<NaclRule> rules) => string.Join(", ", rules.Select(r => r.Number));

    // ---- network ACL order (VPC "Network ACL rules": lowest number first, first match decides) ----

    private static void CheckNaclOrder(Context context, NetworkAcl acl, Direction direction, List<LintFinding> findings)
    {
        var rules = acl.Rules(direction);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var earlier = rules.Take(i).ToList();
            var remaining = new BoxSet(Context.Boxes(rule));
            var overlapping = earlier.Where(e => remaining.Overlaps(Context.Boxes(e))).ToList();
            if (!remaining.Subtract(overlapping.SelectMany(Context.Boxes)))
            {
                continue;
            }
            if (remaining.IsEmpty)
            {
                var differ = overlapping.Any(e => e.Action != rule.Action);
                findings.Add(new LintFinding(
                    LintKinds.NaclShadowed, LintSeverity.Warning,
                    $"rule {rule.Number} of network ACL '{acl.Name}' ({DirectionText.Name(direction)}) is never reached: {(overlapping.Count == 1 ? "rule" : "rules")} {Numbers(overlapping)} {(overlapping.Count == 1 ? "matches" : "match")} everything it matches"
                    + (differ ? $", and decide differently from its '{(rule.Action == NaclAction.Allow ? "allow" : "deny")}'" : ""),
                    [rule.Reference, .. overlapping.Select(o => o.Reference)], rule.Location));
                continue;
            }
            if (rule.Action != NaclAction.Deny)
            {
                continue;
            }
            // The deny matters only if, without it, some of what reaches it would be allowed by a later rule.
            var effective = false;
            foreach (var later in rules.Skip(i + 1))
            {
                var boxes = Context.Boxes(later);
                if (later.Action == NaclAction.Allow && remaining.Overlaps(boxes))
                {
                    effective = true;
                    break;
                }
                if (!remaining.Subtract(boxes))
                {
                    effective = true; // too complex to decide: say nothing
                    break;
                }
            }
            if (!effective)
            {
                findings.Add(new LintFinding(
                    LintKinds.NaclDenyIneffective, LintSeverity.Note,
                    $"deny rule {rule.Number} of network ACL '{acl.Name}' ({DirectionText.Name(direction)}) changes no outcome: everything it matches that reaches it would be denied anyway by later deny rules or the * rule",
                    [rule.Reference, NetworkAcl.StarReference(acl.Name, direction)], rule.Location));
            }
        }
    }

    // ---- security group redundancy (VPC "Security group rules": all rules are one union) ----

    private static bool IsSubset(Context context, SgRule a, SgRule b)
    {
        var set = new BoxSet(context.Boxes(a));
        return !set.IsEmpty && set.Subtract(context.Boxes(b)) && set.IsEmpty;
    }

    private static void CheckRedundantInGroup(Context context, SecurityGroup group, Direction direction, List<LintFinding> findings)
    {
        var rules = group.Rules(direction);
        for (var i = 0; i < rules.Count; i++)
        {
            for (var j = 0; j < rules.Count; j++)
            {
                if (i == j || !IsSubset(context, rules[i], rules[j]))
                {
                    continue;
                }
                var same = IsSubset(context, rules[j], rules[i]);
                if (same && i < j)
                {
                    continue; // identical rules: report the later one only
                }
                findings.Add(new LintFinding(
                    LintKinds.SgRedundant, LintSeverity.Warning,
                    same
                        ? $"rule {rules[i].Reference} matches exactly what {rules[j].Reference} matches: a duplicate"
                        : $"rule {rules[i].Reference} is implied by {rules[j].Reference}, which matches everything it matches and more",
                    [rules[i].Reference, rules[j].Reference], rules[i].Location));
                break;
            }
        }
    }

    private static void CheckRedundantAcrossGroups(Context context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        foreach (var group in ruleset.SecurityGroups)
        {
            var carriers = ruleset.Interfaces.Where(i => i.SecurityGroups.Contains(group.Name)).ToList();
            if (carriers.Count == 0)
            {
                continue;
            }
            // Groups present on every interface that carries this one: only there is the union fixed.
            var companions = ruleset.SecurityGroups
                .Where(g => g.Name != group.Name && carriers.All(i => i.SecurityGroups.Contains(g.Name)))
                .ToList();
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                foreach (var rule in group.Rules(direction))
                {
                    if (companions.SelectMany(g => g.Rules(direction)).FirstOrDefault(other => IsSubset(context, rule, other)) is not { } wider)
                    {
                        continue;
                    }
                    findings.Add(new LintFinding(
                        LintKinds.SgRedundant, LintSeverity.Note,
                        $"rule {rule.Reference} is implied by {wider.Reference} on every interface that carries group '{group.Name}' ({string.Join(", ", carriers.Select(c => c.Name))})",
                        [rule.Reference, wider.Reference], rule.Location));
                }
            }
        }
    }

    // ---- reply paths (VPC "Network ACLs": stateless, "Ephemeral ports") ----

    /// <summary>
    /// What a network ACL direction does with a set of packets: the part it allows and, for the rest,
    /// the references that deny it (a deny rule or the * rule), in rule order.
    /// </summary>
    private static (BoxSet Allowed, BoxSet Denied, List<string> DeniedBy)? Evaluate(NetworkAcl acl, Direction direction, BoxSet packets)
    {
        var cur = packets.Clone();
        var allowed = new List<Box>();
        var denied = new List<Box>();
        var by = new List<string>();
        foreach (var rule in acl.Rules(direction))
        {
            var boxes = Context.Boxes(rule);
            var hit = cur.Intersect(boxes);
            if (hit.IsEmpty)
            {
                continue;
            }
            (rule.Action == NaclAction.Allow ? allowed : denied).AddRange(hit.Boxes);
            if (rule.Action == NaclAction.Deny)
            {
                by.Add(rule.Reference);
            }
            if (!cur.Subtract(boxes))
            {
                return null;
            }
        }
        if (!cur.IsEmpty)
        {
            denied.AddRange(cur.Boxes);
            by.Add(NetworkAcl.StarReference(acl.Name, direction));
        }
        return (new BoxSet(allowed), new BoxSet(denied), by);
    }

    private static void CheckReplies(Context context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        var seen = new Dictionary<(string Rule, string Acl), (List<string> Interfaces, int Index)>();
        // Paths: each tcp/udp service an interface's groups open, with its subnet's ACL (Replies.ReplyPath,
        // which `firewall replies` also reads to suggest the rules that open a path).
        foreach (var path in Replies.ReplyPath.All(ruleset))
        {
            var (eni, subnet, acl, rule) = (path.Interface, path.Subnet, path.Acl, path.Rule);
            var local = new[] { subnet.Cidr, subnet.Ipv6Cidr }.Where(c => c is not null).Select(c => Context.CidrBox(RuleProtocol.All, PortRange.All, IcmpMatch.Any, c!.Value)).ToList();
            {
                var key = (rule.Reference, acl.Name);
                if (seen.TryGetValue(key, out var earlier))
                {
                    earlier.Interfaces.Add(eni.Name);
                    continue;
                }
                // Inbound rule: this interface serves; replies leave through the subnet's outbound rules.
                // Outbound rule: it is the client; replies arrive through the inbound rules.
                var server = path.Serves;
                var replyDirection = path.ReplyDirection;
                var clients = path.Clients;
                var peers = new BoxSet(context.Boxes(rule, membersAsAddresses: true));
                if (!peers.Subtract(local) || !peers.Subtract(context.Unfiltered) || peers.IsEmpty)
                {
                    continue; // peers inside the subnet: no NACL on the way (VPC "Network ACL basics")
                }
                var any = EphemeralPorts.Covering(EphemeralPorts.OfAnyClient); // every client port: when none passes, every reply is dropped
                var closed = new List<string>();
                var deniedBy = new List<string>();
                var none = false;
                foreach (var (client, range, whole) in clients.Select(c => ($"{c.Text} clients", c.Range, false)).Prepend(("every client", any, true)))
                {
                    var replies = new BoxSet(peers.Boxes.Select(b => b with { ProtoLo = rule.Protocol.Value, ProtoHi = rule.Protocol.Value, SelLo = range.From, SelHi = range.To }));
                    if (Evaluate(acl, replyDirection, replies) is not { } outcome)
                    {
                        closed.Clear();
                        break;
                    }
                    if (outcome.Denied.IsEmpty)
                    {
                        continue;
                    }
                    deniedBy.AddRange(outcome.DeniedBy.Where(d => !deniedBy.Contains(d)));
                    if (whole && outcome.Allowed.IsEmpty)
                    {
                        none = true;
                        break;
                    }
                    if (!whole)
                    {
                        closed.Add($"{client} ({range})");
                    }
                }
                if (!none && closed.Count == 0)
                {
                    continue;
                }
                var service = $"{IpProtocol.Name((byte)rule.Protocol.Value)} {rule.Ports}";
                var what = server ? $"replies of {service} to {rule.Peer}" : $"replies from {rule.Peer} to {service} requests";
                var message = none
                    ? $"network ACL '{acl.Name}' drops every reply ({DirectionText.Name(replyDirection)}): {what}, which {rule.Reference} opens, never get through (denied by {string.Join(", ", deniedBy)})"
                    : $"network ACL '{acl.Name}' drops some replies ({DirectionText.Name(replyDirection)}): {what}, which {rule.Reference} opens, fail for {string.Join(", ", closed)} (denied by {string.Join(", ", deniedBy)})";
                var interfaces = new List<string> { eni.Name };
                seen[key] = (interfaces, findings.Count);
                findings.Add(new LintFinding(
                    LintKinds.NaclClosesReplies, none ? LintSeverity.Error : LintSeverity.Warning,
                    message, [rule.Reference, .. deniedBy], rule.Location));
            }
        }
        foreach (var (_, (interfaces, index)) in seen)
        {
            findings[index] = findings[index] with { Message = $"{findings[index].Message}; interface{(interfaces.Count == 1 ? "" : "s")} {string.Join(", ", interfaces)}" };
        }
    }

    // ---- IPv4 / IPv6 asymmetry ----

    private static void CheckFamilies(Context context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        foreach (var group in ruleset.SecurityGroups)
        {
            var dualStack = ruleset.Interfaces.Any(i => i.SecurityGroups.Contains(group.Name) && i.Addresses.Any(a => a.IsV6))
                || group.Inbound.Concat(group.Outbound).Any(r => r.Peer.Kind == PeerKind.Cidr && r.Peer.Cidr.IsV6);
            if (!dualStack)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var world = group.Rules(direction).Where(r => r.Peer.Kind == PeerKind.Cidr && r.Peer.Cidr.IsAll && !IpProtocol.IsIcmp((byte)Math.Max((short)0, r.Protocol.Value))).ToList();
                Compare(world.Select(r => (r.Reference, r.Location, r.Protocol, r.MatchedPorts, r.MatchedIcmp, r.Peer.Cidr.IsV6)).ToList(), $"security group '{group.Name}' ({DirectionText.Name(direction)})", findings);
            }
        }
        foreach (var acl in ruleset.NetworkAcls)
        {
            var dualStack = ruleset.Subnets.Any(s => s.NetworkAcl == acl.Name && s.Ipv6Cidr is not null)
                || acl.Inbound.Concat(acl.Outbound).Any(r => r.Cidr.IsV6);
            if (!dualStack)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                var world = acl.Rules(direction).Where(r => r.Action == NaclAction.Allow && r.Cidr.IsAll && !IpProtocol.IsIcmp((byte)Math.Max((short)0, r.Protocol.Value))).ToList();
                Compare(world.Select(r => (r.Reference, r.Location, r.Protocol, r.MatchedPorts, r.MatchedIcmp, r.Cidr.IsV6)).ToList(), $"network ACL '{acl.Name}' ({DirectionText.Name(direction)})", findings);
            }
        }
    }

    /// <summary>Each rule open to a whole family whose protocol and ports the other family's whole-family rules do not cover.</summary>
    private static void Compare(List<(string Reference, SourceLocation Location, RuleProtocol Protocol, PortRange Ports, IcmpMatch Icmp, bool V6)> world, string where, List<LintFinding> findings)
    {
        foreach (var rule in world)
        {
            // Family-free boxes: the address dimension is the same for all.
            var set = new BoxSet([Context.Match(rule.Protocol, rule.Ports, rule.Icmp, 0, 0, 0)]);
            var other = world.Where(o => o.V6 != rule.V6).Select(o => Context.Match(o.Protocol, o.Ports, o.Icmp, 0, 0, 0));
            if (!set.Subtract(other) || set.IsEmpty)
            {
                continue;
            }
            var (open, closed) = rule.V6 ? ("::/0", "0.0.0.0/0") : ("0.0.0.0/0", "::/0");
            var ports = rule.Protocol.Value is IpProtocol.Tcp or IpProtocol.Udp ? $" {rule.Ports}" : "";
            findings.Add(new LintFinding(
                LintKinds.FamilyAsymmetry, LintSeverity.Warning,
                $"{where}: {rule.Protocol}{ports} is open to {open} ({rule.Reference}) but not to {closed}",
                [rule.Reference], rule.Location));
        }
    }

    // ---- icmp meant for ICMPv6 (AWS "Security group rules reference": ping6 needs icmpv6) ----

    private static void CheckIcmpForIcmpv6(Context context, List<LintFinding> findings)
    {
        var ruleset = context.Ruleset;
        foreach (var rule in ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)))
        {
            var v6 = rule.Peer.Kind == PeerKind.Cidr ? rule.Peer.Cidr.IsV6
                : rule.Peer.Kind == PeerKind.PrefixList && (ruleset.PrefixLists.FirstOrDefault(p => p.Name == rule.Peer.Name)?.Cidrs.Any(c => c.IsV6) ?? false);
            if (rule.Protocol.Value == IpProtocol.Icmp && v6)
            {
                findings.Add(Icmp(rule.Reference, rule.Location, rule.Peer.ToString()));
            }
        }
        foreach (var rule in ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)))
        {
            if (rule.Protocol.Value == IpProtocol.Icmp && rule.Cidr.IsV6)
            {
                findings.Add(Icmp(rule.Reference, rule.Location, rule.Cidr.ToString()));
            }
        }
    }

    private static LintFinding Icmp(string reference, SourceLocation location, string peer) => new(
        LintKinds.IcmpForIcmpv6, LintSeverity.Warning,
        $"{reference} is an icmp (IPv4, protocol 1) rule with the IPv6 peer {peer}: it never matches ICMPv6 (ping6, packet too big); use protocol icmpv6",
        [reference], location);

    // ---- fields AWS accepts and ignores (EC2 API IpPermission, CreateNetworkAclEntry) ----

    /// <summary>
    /// A rule whose written ports or ICMP fields differ from what AWS matches (<c>MatchedPorts</c>,
    /// <c>MatchedIcmp</c>): AWS accepts the rule and ignores them, so they say something the rule does not do.
    /// </summary>
    private static void CheckIgnoredFields(Ruleset ruleset, List<LintFinding> findings)
    {
        foreach (var rule in ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)))
        {
            if (IgnoredFields(rule.Ports, rule.MatchedPorts, rule.Icmp, rule.MatchedIcmp) is { } fields)
            {
                findings.Add(Ignored(rule.Reference, rule.Location, fields,
                    $"a protocol {rule.Protocol} rule matches every port, ICMP type and code (EC2 API IpPermission); remove {fields.Them}, or name the protocol {fields.They} belong{(fields.Plural ? "" : "s")} to"));
            }
        }
        foreach (var rule in ruleset.NetworkAcls.SelectMany(a => a.Inbound.Concat(a.Outbound)))
        {
            if (IgnoredFields(rule.Ports, rule.MatchedPorts, rule.Icmp, rule.MatchedIcmp) is not { } fields)
            {
                continue;
            }
            var why = rule.Protocol.HasIcmpFields
                ? $"an icmpv6 rule with an IPv4 CIDR matches every ICMP type and code (EC2 API CreateNetworkAclEntry); remove {fields.Them}, or use an IPv6 CIDR to match ICMPv6 by type"
                : $"a protocol {rule.Protocol} rule matches every port, ICMP type and code (EC2 API CreateNetworkAclEntry); remove {fields.Them}, or name the protocol {fields.They} belong{(fields.Plural ? "" : "s")} to";
            findings.Add(Ignored(rule.Reference, rule.Location, fields, why));
        }
    }

    private sealed record IgnoredText(string Names, bool Plural)
    {
        public string Them => Plural ? "them" : "it";

        public string They => Plural ? "they" : "it";
    }

    /// <summary>"ports 22", "icmp_type 128", "ports 22 and icmp_type 8, icmp_code 0": the written fields AWS ignores, or null.</summary>
    private static IgnoredText? IgnoredFields(PortRange ports, PortRange matchedPorts, IcmpMatch icmp, IcmpMatch matchedIcmp)
    {
        var parts = new List<string>();
        if (ports != matchedPorts)
        {
            parts.Add($"ports {ports}");
        }
        if (icmp != matchedIcmp)
        {
            var icmpParts = new List<string>();
            if (icmp.Type >= 0) icmpParts.Add($"icmp_type {icmp.Type}");
            if (icmp.Code >= 0) icmpParts.Add($"icmp_code {icmp.Code}");
            parts.Add(string.Join(", ", icmpParts));
        }
        return parts.Count == 0 ? null : new IgnoredText(string.Join(" and ", parts), parts.Count > 1 || parts[0].Contains(','));
    }

    private static LintFinding Ignored(string reference, SourceLocation location, IgnoredText fields, string why) => new(
        LintKinds.IgnoredField, LintSeverity.Warning,
        $"{reference}: {fields.Names} {(fields.Plural ? "have" : "has")} no effect: {why}",
        [reference], location);

    // ---- CIDRs written with host bits set (EC2 API IpRange, CreateNetworkAclEntry, CreateSubnet, CreateVpc) ----

    /// <summary>
    /// AWS accepts <c>10.0.1.5/24</c> and keeps <c>10.0.1.0/24</c>: the written text looks like one host but
    /// stands for the whole network, which is often not what was meant.
    /// </summary>
    private static void CheckHostBits(Ruleset ruleset, List<LintFinding> findings)
    {
        foreach (var written in ruleset.HostBitsCidrs)
        {
            var slash = written.Written.IndexOf('/');
            var host = slash < 0 ? written.Written : written.Written[..slash];
            var owner = written.Rule is { } rule ? $"{rule}: " : "";
            findings.Add(new LintFinding(
                LintKinds.CidrHostBits, LintSeverity.Warning,
                $"{owner}{written.Field} {written.Written} has host bits set: AWS reads it as {written.Network} (EC2 API {written.AwsPage}); write {written.Network}, or {host}/{(written.Network.IsV6 ? 128 : 32)} for that one address",
                written.Rule is { } r ? [r] : [], written.Location));
        }
    }

    // ---- quotas (VPC "Amazon VPC quotas") ----

    private static void CheckSgQuota(Ruleset ruleset, SecurityGroup group, Direction direction, List<LintFinding> findings)
    {
        var rules = group.Rules(direction);
        foreach (var v6 in new[] { false, true })
        {
            // A CIDR rule counts 1; a prefix list its entries of this family (AWS counts its max entries,
            // which the model does not know, so this is a lower bound); a group reference 1, counted as IPv4.
            var count = rules.Sum(r => r.Peer.Kind switch
            {
                PeerKind.Cidr => r.Peer.Cidr.IsV6 == v6 ? 1 : 0,
                PeerKind.PrefixList => ruleset.PrefixLists.FirstOrDefault(p => p.Name == r.Peer.Name)?.Cidrs.Count(c => c.IsV6 == v6) ?? 0,
                _ => v6 ? 0 : 1,
            });
            if (count > SgRulesQuota)
            {
                findings.Add(new LintFinding(
                    LintKinds.QuotaSgRules, LintSeverity.Error,
                    $"security group '{group.Name}' has {count} {DirectionText.Name(direction)} {(v6 ? "IPv6" : "IPv4")} rules; AWS allows {SgRulesQuota} per direction and family",
                    rules.Take(1).Select(r => r.Reference).ToList(), rules.Count > 0 ? rules[0].Location : new SourceLocation(ruleset.SourcePath ?? "", 0, 0)));
            }
        }
    }

    private static void CheckNaclQuota(Ruleset ruleset, NetworkAcl acl, Direction direction, List<LintFinding> findings)
    {
        var rules = acl.Rules(direction);
        foreach (var v6 in new[] { false, true })
        {
            var family = rules.Where(r => r.Cidr.IsV6 == v6).ToList();
            if (family.Count <= NaclRulesDefault)
            {
                continue;
            }
            var over = family.Count > NaclRulesMax;
            findings.Add(new LintFinding(
                LintKinds.QuotaNaclRules, over ? LintSeverity.Error : LintSeverity.Warning,
                over
                    ? $"network ACL '{acl.Name}' has {family.Count} {DirectionText.Name(direction)} {(v6 ? "IPv6" : "IPv4")} rules; AWS allows at most {NaclRulesMax}"
                    : $"network ACL '{acl.Name}' has {family.Count} {DirectionText.Name(direction)} {(v6 ? "IPv6" : "IPv4")} rules; AWS's default quota is {NaclRulesDefault} (it can be raised to {NaclRulesMax})",
                [family[NaclRulesDefault].Reference], family[over ? NaclRulesMax : NaclRulesDefault].Location));
        }
    }

    private static void CheckGroupsPerInterface(Ruleset ruleset, List<LintFinding> findings)
    {
        foreach (var eni in ruleset.Interfaces.Where(i => i.SecurityGroups.Count > GroupsPerInterfaceDefault))
        {
            findings.Add(new LintFinding(
                LintKinds.QuotaGroupsPerInterface, LintSeverity.Warning,
                $"interface '{eni.Name}' has {eni.SecurityGroups.Count} security groups; AWS's default quota is {GroupsPerInterfaceDefault} per network interface (it can be raised to 16)",
                eni.SecurityGroups.Select(g => $"sg:{g}").ToList(), new SourceLocation(ruleset.SourcePath ?? "", 0, 0)));
        }
    }
}
