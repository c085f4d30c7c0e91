using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

/// <summary>Rule and group counts over AWS's quotas (VPC "Amazon VPC quotas").</summary>
internal static class QuotaChecks
{
    /// <summary>VPC quotas page: rules per security group per direction, counted separately per family.</summary>
    public const int SgRulesQuota = 60;

    public const int GroupsPerInterfaceDefault = 5;
    public const int NaclRulesDefault = 20;
    public const int NaclRulesMax = 40;

    public static void CheckSgRules(Ruleset ruleset, SecurityGroup group, Direction direction, List<LintFinding> findings)
    {
        var rules = group.Rules(direction);
        foreach (var v6 in new[] { false, true })
        {
            // A CIDR rule counts 1; a prefix list its entries of this family (AWS counts its max entries,
            // which the model does not know, so this is a lower bound); a group reference 1, counted as IPv4.
            var count = rules.Sum(r => r.Peer.Kind switch
            {
                PeerKind.Cidr => r.Peer.Cidr.IsV6 == v6 ? 1 : 0,
                PeerKind.PrefixList => ruleset.FindPrefixList(r.Peer.Name!)?.Cidrs.Count(c => c.IsV6 == v6) ?? 0,
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

    public static void CheckNaclRules(Ruleset ruleset, NetworkAcl acl, Direction direction, List<LintFinding> findings)
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

    public static void CheckGroupsPerInterface(Ruleset ruleset, List<LintFinding> findings)
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
