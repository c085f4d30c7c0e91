using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Summaries;

/// <summary>One reference a verdict can name, with what it stands for in words.</summary>
public sealed record RuleEntry(int Id, string Reference, RuleKind Kind, string Description)
{
    /// <summary>A rule written in the ruleset (security-group rule, numbered NACL rule) or a NACL's <c>*</c>.</summary>
    public bool IsRulesetRule => Kind is RuleKind.SgRule or RuleKind.NaclRule or RuleKind.NaclDefault;

    /// <summary>Everything this reference decides is a drop.</summary>
    public bool Denies { get; init; }

    /// <summary>The ACL and direction of a NACL rule or <c>*</c>; null otherwise.</summary>
    public NaclPosition? Nacl { get; init; }
}

/// <summary>Where a NACL rule sits: its ACL, direction and number (null for <c>*</c>).</summary>
public sealed record NaclPosition(NetworkAcl Acl, Direction Direction, int? Number);

/// <summary>
/// Every reference of a compiled ruleset in ruleset order (security groups as written, inbound then
/// outbound; then each network ACL by rule number, inbound then outbound, each ending in <c>*</c>),
/// followed by the references the engine itself names (no match, conntrack, bypass, skip).
/// </summary>
public sealed class RuleCatalog
{
    private readonly RuleEntry?[] _byId;

    private RuleCatalog(IReadOnlyList<RuleEntry> rulesetRules, IReadOnlyList<RuleEntry> engineReferences, int count)
    {
        RulesetRules = rulesetRules;
        EngineReferences = engineReferences;
        _byId = new RuleEntry?[count];
        foreach (var e in rulesetRules.Concat(engineReferences))
        {
            _byId[e.Id] = e;
        }
    }

    /// <summary>Rules written in the ruleset plus each NACL's <c>*</c>, in ruleset order.</summary>
    public IReadOnlyList<RuleEntry> RulesetRules { get; }

    /// <summary>References the engine names itself, in interning order.</summary>
    public IReadOnlyList<RuleEntry> EngineReferences { get; }

    public RuleEntry this[int id] => _byId[id] ?? throw new ArgumentOutOfRangeException(nameof(id), id, "unknown rule id");

    public static RuleCatalog For(CompiledRuleset compiled)
    {
        var table = compiled.Rules;
        var seen = new HashSet<int>();
        var ordered = new List<RuleEntry>();
        foreach (var group in compiled.Model.SecurityGroups)
        {
            foreach (var rule in group.Inbound.Concat(group.Outbound))
            {
                if (table.TryFind(rule.Reference, out var id) && seen.Add(id))
                {
                    ordered.Add(new RuleEntry(id, rule.Reference, RuleKind.SgRule, Describe(rule)));
                }
            }
        }
        foreach (var compiledAcl in compiled.Acls)
        {
            var acl = compiled.Model.FindAclOrDefault(compiledAcl.Name);
            if (acl is null)
            {
                continue;
            }
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                foreach (var rule in acl.Rules(direction).OrderBy(r => r.Number))
                {
                    if (table.TryFind(rule.Reference, out var id) && seen.Add(id))
                    {
                        ordered.Add(new RuleEntry(id, rule.Reference, RuleKind.NaclRule, Describe(rule))
                        {
                            Denies = rule.Action == NaclAction.Deny,
                            Nacl = new NaclPosition(acl, direction, rule.Number),
                        });
                    }
                }
                var star = compiledAcl.StarIds[(int)direction];
                if (seen.Add(star))
                {
                    ordered.Add(new RuleEntry(star, table.Reference(star), RuleKind.NaclDefault, "deny all: no numbered rule matched")
                    {
                        Denies = true,
                        Nacl = new NaclPosition(acl, direction, null),
                    });
                }
            }
        }
        var engine = new List<RuleEntry>();
        for (var id = 0; id < table.Count; id++)
        {
            if (seen.Add(id))
            {
                var kind = table.Kind(id);
                engine.Add(new RuleEntry(id, table.Reference(id), kind, DescribeEngine(kind))
                {
                    Denies = kind is RuleKind.SgNoMatch or RuleKind.TableFull or RuleKind.Midstream or RuleKind.NaclDefault,
                });
            }
        }
        return new RuleCatalog(ordered, engine, table.Count);
    }

    private static string DescribeEngine(RuleKind kind) => kind switch
    {
        RuleKind.Skip => "out of scope: no hop on the packet's path",
        RuleKind.SgNoMatch => "deny: no security-group rule matched",
        RuleKind.Tracked => "allow: a connection-tracking entry admitted the packet",
        RuleKind.TableFull => "deny: the connection-tracking table was full",
        RuleKind.Midstream => "deny: TCP packet of no tracked connection (--midstream strict)",
        RuleKind.Bypass => "allow: AWS filters this service with neither security groups nor NACLs",
        _ => "",
    };

    /// <summary>An SG rule as a person reads it: <c>allow tcp 443 from 0.0.0.0/0 "https"</c>.</summary>
    public static string Describe(SgRule rule)
    {
        var far = rule.Direction == Direction.Inbound ? "from" : "to";
        return $"allow {Match(rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp)} {far} {rule.Peer}{Quote(rule.Description)}";
    }

    /// <summary>A NACL rule as a person reads it: <c>deny udp 53 from 0.0.0.0/0</c>.</summary>
    public static string Describe(NaclRule rule)
    {
        var far = rule.Direction == Direction.Inbound ? "from" : "to";
        var action = rule.Action == NaclAction.Allow ? "allow" : "deny";
        return $"{action} {Match(rule.Protocol, rule.MatchedPorts, rule.MatchedIcmp)} {far} {rule.Cidr}{Quote(rule.Description)}";
    }

    private static string Match(RuleProtocol protocol, PortRange ports, IcmpMatch icmp)
    {
        if (protocol.IsAll)
        {
            return "all";
        }
        var p = (byte)protocol.Value;
        var name = protocol.ToString();
        if (IpProtocol.HasPorts(p))
        {
            return ports.IsAll ? $"{name} all ports" : $"{name} {ports}";
        }
        if (IpProtocol.IsIcmp(p) && !icmp.IsAny)
        {
            return icmp.Code < 0 ? $"{name} type {icmp.Type}" : $"{name} type {icmp.Type} code {icmp.Code}";
        }
        return name;
    }

    private static string Quote(string? description) =>
        string.IsNullOrWhiteSpace(description) ? "" : $" \"{description.Trim()}\"";
}
