using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>
/// Static analysis of a validated ruleset (<c>firewall lint</c>, docs/lint.md). Pure: reads the model,
/// returns findings ordered by file position. Sources for each check are cited where it is made.
/// </summary>
public static class RulesetLinter
{
    public static IReadOnlyList<LintFinding> Lint(Ruleset ruleset)
    {
        var context = new LintContext(ruleset);
        var findings = new List<LintFinding>();
        foreach (var acl in ruleset.NetworkAcls)
        {
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                NaclOrderChecks.Check(context, acl, direction, findings);
                QuotaChecks.CheckNaclRules(ruleset, acl, direction, findings);
            }
        }
        foreach (var group in ruleset.SecurityGroups)
        {
            foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
            {
                SgRedundancyChecks.CheckInGroup(context, group, direction, findings);
                QuotaChecks.CheckSgRules(ruleset, group, direction, findings);
            }
        }
        SgRedundancyChecks.CheckAcrossGroups(context, findings);
        ReplyPathChecks.Check(context, findings);
        AddressFamilyChecks.CheckAsymmetry(context, findings);
        AddressFamilyChecks.CheckIcmpForIcmpv6(context, findings);
        WrittenFieldChecks.CheckIgnored(ruleset, findings);
        WrittenFieldChecks.CheckHostBits(ruleset, findings);
        QuotaChecks.CheckGroupsPerInterface(ruleset, findings);
        return findings
            .OrderBy(f => f.Location.File, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.Kind, StringComparer.Ordinal)
            .ToList();
    }
}
