using Firewall.Analysis.Descriptions;
using Firewall.Engine.Model;
using Firewall.Rulesets;

namespace Firewall.Analysis.Tests.Summaries;

/// <summary>
/// Rules are described by what AWS matches, not by fields AWS ignores: a report must not say a rule matches
/// only one ICMP type, or one port, when it matches them all.
/// </summary>
public class RuleDescriptionTests
{
    private static Ruleset Load(string yaml)
    {
        var result = RulesetLoader.LoadText(yaml, "describe.yaml");
        Assert.Empty(result.Diagnostics);
        return result.Ruleset!;
    }

    [Fact]
    public void AnIcmpv6AclRuleWithAnIpv4CidrIsDescribedAsEveryType()
    {
        var rules = Load("""
            version: 1
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: icmpv6, icmp_type: 128, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: icmpv6, icmp_type: 128, source: "::/0", action: allow }
            """).NetworkAcls.Single().Inbound;
        Assert.Equal("allow icmpv6 from 0.0.0.0/0", RuleText.Summary(rules[0]));
        Assert.Equal("rule 100 allow icmpv6 from 0.0.0.0/0", RuleText.Trace(rules[0]));
        // With an IPv6 CIDR the type is matched, and said.
        Assert.Equal("allow icmpv6 type 128 from ::/0", RuleText.Summary(rules[1]));
        Assert.Equal("rule 110 allow icmpv6 type 128 from ::/0", RuleText.Trace(rules[1]));
    }
}
