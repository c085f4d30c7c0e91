using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Network ACL rules never reached, and deny rules that change no outcome (VPC "Network ACL rules": lowest number first, first match decides).</summary>
internal static class NaclOrderChecks
{
    private static string Numbers(IEnumerable<NaclRule> rules) => string.Join(", ", rules.Select(r => r.Number));

    public static void Check(LintContext context, NetworkAcl acl, Direction direction, List<LintFinding> findings)
    {
        var rules = acl.Rules(direction);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var earlier = rules.Take(i).ToList();
            var remaining = new BoxSet(LintContext.Boxes(rule));
            var overlapping = earlier.Where(e => remaining.Overlaps(LintContext.Boxes(e))).ToList();
            if (!remaining.Subtract(overlapping.SelectMany(LintContext.Boxes)))
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
                var boxes = LintContext.Boxes(later);
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
}
