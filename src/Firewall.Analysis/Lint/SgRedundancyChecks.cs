using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Security-group rules implied by another rule of the group, or of a group on every interface that carries it (VPC "Security group rules": all rules are one union).</summary>
internal static class SgRedundancyChecks
{
    private static bool IsSubset(LintContext context, SgRule a, SgRule b)
    {
        var set = new BoxSet(context.Boxes(a));
        return !set.IsEmpty && set.Subtract(context.Boxes(b)) && set.IsEmpty;
    }

    public static void CheckInGroup(LintContext context, SecurityGroup group, Direction direction, List<LintFinding> findings)
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

    public static void CheckAcrossGroups(LintContext context, List<LintFinding> findings)
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
}
