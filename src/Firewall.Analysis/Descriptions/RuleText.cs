using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Descriptions;

/// <summary>
/// A rule in words, by what AWS matches (<c>MatchedPorts</c>, <c>MatchedIcmp</c>), never by fields AWS
/// ignores. Two wordings, each pinned by the outputs that print it: <see cref="Summary(SgRule)"/> for the
/// rule catalog (reports, summaries, replies) and <see cref="Trace(SgRule)"/> for <c>firewall explain</c>.
/// </summary>
public static class RuleText
{
    /// <summary>An SG rule as a report lists it: <c>allow tcp 443 from 0.0.0.0/0 "https"</c>.</summary>
    public static string Summary(SgRule rule)
    {
        var far = rule.Direction == Direction.Inbound ? "from" : "to";
        return $"allow {Match(rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp)} {far} {rule.Peer}{Quote(rule.Description)}";
    }

    /// <summary>A NACL rule as a report lists it: <c>deny udp 53 from 0.0.0.0/0</c>.</summary>
    public static string Summary(NaclRule rule)
    {
        var far = rule.Direction == Direction.Inbound ? "from" : "to";
        var action = rule.Action == NaclAction.Allow ? "allow" : "deny";
        return $"{action} {Match(rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp)} {far} {rule.Cidr}{Quote(rule.Description)}";
    }

    /// <summary>An SG rule as an explanation's hop names it: <c>tcp port 443 from 0.0.0.0/0 (https)</c>.</summary>
    public static string Trace(SgRule r)
    {
        var peer = r.Direction == Direction.Inbound ? $"from {r.Peer}" : $"to {r.Peer}";
        return Join(r.Protocol.ToString(), Fields(r.Protocol, r.MatchedPorts, r.MatchedIcmp), peer, r.Description);
    }

    /// <summary>A NACL rule as an explanation's hop names it: <c>rule 100 allow tcp port 443 from 0.0.0.0/0</c>.</summary>
    public static string Trace(NaclRule r)
    {
        var peer = r.Direction == Direction.Inbound ? $"from {r.Cidr}" : $"to {r.Cidr}";
        return Join($"rule {r.Number} {(r.Action == NaclAction.Allow ? "allow" : "deny")} {r.Protocol}", Fields(r.Protocol, r.MatchedPorts, r.MatchedIcmp), peer, r.Description);
    }

    /// <summary>A NACL's <c>*</c> rule as a report lists it.</summary>
    public const string StarSummary = "deny all: no numbered rule matched";

    /// <summary>A reference the engine names itself (no rule written for it), as a report lists it.</summary>
    public static string Summary(RuleKind kind) => kind switch
    {
        RuleKind.Skip => "out of scope: no hop on the packet's path",
        RuleKind.SgNoMatch => "deny: no security-group rule matched",
        RuleKind.Tracked => "allow: a connection-tracking entry admitted the packet",
        RuleKind.TableFull => "deny: the connection-tracking table was full",
        RuleKind.Midstream => "deny: TCP packet of no tracked connection (--midstream strict)",
        RuleKind.Bypass => "allow: AWS filters this service with neither security groups nor NACLs",
        _ => "",
    };

    /// <summary>A reference with no rule written for it (a NACL's <c>*</c>, the engine's own), as an explanation's hop names it.</summary>
    public static string Trace(RuleKind kind) => kind switch
    {
        RuleKind.NaclDefault => "the implicit * rule: deny everything no numbered rule matched",
        RuleKind.SgNoMatch => "no rule of the interface's security groups matched",
        RuleKind.Tracked => "the interface's connection tracking",
        RuleKind.Bypass => "not filtered by AWS",
        _ => "",
    };

    private static string Match(RuleProtocol protocol, PortRange ports, IcmpMatch icmp)
    {
        if (protocol.IsAll)
        {
            return "all";
        }
        var name = protocol.ToString();
        if (IpProtocol.HasPorts((byte)protocol.Value) && !ports.IsAll)
        {
            return $"{name} {ports}"; // the summary writes a range bare ("tcp 443"), the trace after "port"
        }
        var fields = Fields(protocol, ports, icmp);
        return fields.Length == 0 ? name : $"{name} {fields}";
    }

    private static string Fields(RuleProtocol protocol, PortRange ports, IcmpMatch icmp)
    {
        if (!protocol.IsAll && IpProtocol.HasPorts((byte)protocol.Value))
        {
            return ports.IsAll ? "all ports" : $"port {ports}";
        }
        if (!protocol.IsAll && IpProtocol.IsIcmp((byte)protocol.Value) && !icmp.IsAny)
        {
            return icmp.Code < 0 ? $"type {icmp.Type}" : $"type {icmp.Type} code {icmp.Code}";
        }
        return "";
    }

    private static string Join(string protocol, string fields, string peer, string? description) =>
        string.Join(' ', new[] { protocol, fields, peer }.Where(s => s.Length > 0)) + (description is null ? "" : $" ({description})");

    private static string Quote(string? description) =>
        string.IsNullOrWhiteSpace(description) ? "" : $" \"{description.Trim()}\"";
}
