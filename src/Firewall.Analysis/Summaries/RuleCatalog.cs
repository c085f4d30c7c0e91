using Firewall.Analysis.Descriptions;
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
                    ordered.Add(new RuleEntry(id, rule.Reference, RuleKind.SgRule, RuleText.Summary(rule)));
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
                        ordered.Add(new RuleEntry(id, rule.Reference, RuleKind.NaclRule, RuleText.Summary(rule))
                        {
                            Denies = rule.Action == NaclAction.Deny,
                            Nacl = new NaclPosition(acl, direction, rule.Number),
                        });
                    }
                }
                var star = compiledAcl.StarIds[(int)direction];
                if (seen.Add(star))
                {
                    ordered.Add(new RuleEntry(star, table.Reference(star), RuleKind.NaclDefault, RuleText.StarSummary)
                    {
                        Denies = true,
                        Nacl = new NaclPosition(acl, direction, null),
                    });
                }
            }
        }
        return new RuleCatalog(ordered, EngineEntries(table, seen), table.Count);
    }

    /// <summary>The references no ruleset rule stands for (not in <paramref name="seen"/>), in interning order.</summary>
    private static List<RuleEntry> EngineEntries(RuleTable table, HashSet<int> seen)
    {
        var engine = new List<RuleEntry>();
        for (var id = 0; id < table.Count; id++)
        {
            if (seen.Add(id))
            {
                var kind = table.Kind(id);
                engine.Add(new RuleEntry(id, table.Reference(id), kind, RuleText.Summary(kind))
                {
                    Denies = kind is RuleKind.SgNoMatch or RuleKind.TableFull or RuleKind.Midstream or RuleKind.NaclDefault,
                });
            }
        }
        return engine;
    }
}
