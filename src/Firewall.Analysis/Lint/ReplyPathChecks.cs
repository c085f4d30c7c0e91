using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Network ACLs that drop the replies of what security groups admit (VPC "Network ACLs": stateless, "Ephemeral ports").</summary>
internal static class ReplyPathChecks
{
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
            var boxes = LintContext.Boxes(rule);
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

    public static void Check(LintContext context, List<LintFinding> findings)
    {
        var seen = new Dictionary<(string Rule, string Acl), (List<string> Interfaces, int Index)>();
        // Paths: each tcp/udp service an interface's groups open, with its subnet's ACL (Replies.ReplyPath,
        // which `firewall replies` also reads to suggest the rules that open a path).
        foreach (var path in Replies.ReplyPath.All(context.Ruleset))
        {
            var (eni, subnet, acl, rule) = (path.Interface, path.Subnet, path.Acl, path.Rule);
            var local = new[] { subnet.Cidr, subnet.Ipv6Cidr }.Where(c => c is not null).Select(c => LintContext.CidrBox(RuleProtocol.All, PortRange.All, IcmpMatch.Any, c!.Value)).ToList();
            var key = (rule.Reference, acl.Name);
            if (seen.TryGetValue(key, out var earlier))
            {
                earlier.Interfaces.Add(eni.Name);
                continue;
            }
            // Inbound rule: this interface serves; replies leave through the subnet's outbound rules.
            // Outbound rule: it is the client; replies arrive through the inbound rules.
            var peers = new BoxSet(context.Boxes(rule, membersAsAddresses: true));
            if (!peers.Subtract(local) || !peers.Subtract(context.Unfiltered) || peers.IsEmpty)
            {
                continue; // peers inside the subnet: no NACL on the way (VPC "Network ACL basics")
            }
            var (none, closed, deniedBy) = Gaps(acl, path.ReplyDirection, rule, peers, path.Clients);
            if (!none && closed.Count == 0)
            {
                continue;
            }
            seen[key] = ([eni.Name], findings.Count);
            findings.Add(new LintFinding(
                LintKinds.NaclClosesReplies, none ? LintSeverity.Error : LintSeverity.Warning,
                Message(path, none, closed, deniedBy), [rule.Reference, .. deniedBy], rule.Location));
        }
        foreach (var (_, (interfaces, index)) in seen)
        {
            findings[index] = findings[index] with { Message = $"{findings[index].Message}; interface{(interfaces.Count == 1 ? "" : "s")} {string.Join(", ", interfaces)}" };
        }
    }

    /// <summary>
    /// Which replies to <paramref name="peers"/> the ACL drops: none passes for any client port
    /// (<c>None</c>), or the client kinds some of whose replies are dropped (<c>Closed</c>); empty when the
    /// ACL is too complex to decide. <c>DeniedBy</c> are the references that drop them, in rule order.
    /// </summary>
    private static (bool None, List<string> Closed, List<string> DeniedBy) Gaps(NetworkAcl acl, Direction replyDirection, SgRule rule, BoxSet peers, IReadOnlyList<ClientPorts> clients)
    {
        var any = EphemeralPorts.Covering(EphemeralPorts.OfAnyClient); // every client port: when none passes, every reply is dropped
        var closed = new List<string>();
        var deniedBy = new List<string>();
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
                return (true, closed, deniedBy);
            }
            if (!whole)
            {
                closed.Add($"{client} ({range})");
            }
        }
        return (false, closed, deniedBy);
    }

    private static string Message(Replies.ReplyPath path, bool none, List<string> closed, List<string> deniedBy)
    {
        var (acl, rule) = (path.Acl, path.Rule);
        var service = $"{IpProtocol.Name((byte)rule.Protocol.Value)} {rule.Ports}";
        var what = path.Serves ? $"replies of {service} to {rule.Peer}" : $"replies from {rule.Peer} to {service} requests";
        return none
            ? $"network ACL '{acl.Name}' drops every reply ({DirectionText.Name(path.ReplyDirection)}): {what}, which {rule.Reference} opens, never get through (denied by {string.Join(", ", deniedBy)})"
            : $"network ACL '{acl.Name}' drops some replies ({DirectionText.Name(path.ReplyDirection)}): {what}, which {rule.Reference} opens, fail for {string.Join(", ", closed)} (denied by {string.Join(", ", deniedBy)})";
    }
}
