using Firewall.Analysis.Lint;
using Firewall.Engine.Model;
using Firewall.Rulesets;

namespace Firewall.Analysis.Tests.Lint;

/// <summary>One test per finding kind: a small ruleset where it is right, and a neighbour where it must not fire.</summary>
public class LintTests
{
    private static Ruleset Load(string yaml)
    {
        var result = RulesetLoader.LoadText(yaml, "lint.yaml");
        Assert.Empty(result.Diagnostics);
        return result.Ruleset!;
    }

    private static List<LintFinding> Lint(string yaml, string kind) =>
        RulesetLinter.Lint(Load(yaml)).Where(f => f.Kind == kind).ToList();

    private static string Acl(string inbound) => $$"""
        version: 1
        network_acls:
          n:
            inbound:
        {{inbound}}
        """;

    [Fact]
    public void ShadowedNaclRule()
    {
        var finding = Assert.Single(Lint(Acl("""
                  - { rule: 100, protocol: tcp, ports: 1-1000, source: 10.0.0.0/8, action: allow }
                  - { rule: 110, protocol: tcp, ports: 1001-65535, source: 10.0.0.0/8, action: allow }
                  - { rule: 120, protocol: tcp, ports: 443, source: 10.1.0.0/16, action: deny }
            """), LintKinds.NaclShadowed));
        // Covered by the union of two rules, neither of which covers it alone.
        Assert.Equal(["nacl:n:inbound:120", "nacl:n:inbound:100"], finding.Rules);
        Assert.Equal(new SourceLocation("lint.yaml", 7, 9), finding.Location);
        Assert.Contains("decide differently", finding.Message);
        Assert.Equal(LintSeverity.Warning, finding.Severity);

        // Neighbours: a wider CIDR, or the other address family, is not covered.
        Assert.Empty(Lint(Acl("""
                  - { rule: 100, protocol: tcp, ports: 1-1000, source: 10.0.0.0/8, action: allow }
                  - { rule: 120, protocol: tcp, ports: 443, source: 0.0.0.0/0, action: deny }
                  - { rule: 130, protocol: tcp, ports: 443, source: "::/0", action: deny }
            """), LintKinds.NaclShadowed));
    }

    [Fact]
    public void ShadowingFollowsIcmpTypeAndCode()
    {
        Assert.Single(Lint(Acl("""
                  - { rule: 100, protocol: icmp, icmp_type: 3, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: icmp, icmp_type: 3, icmp_code: 4, source: 0.0.0.0/0, action: deny }
            """), LintKinds.NaclShadowed));
        Assert.Empty(Lint(Acl("""
                  - { rule: 100, protocol: icmp, icmp_type: 3, icmp_code: 4, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: icmp, icmp_type: 3, source: 0.0.0.0/0, action: deny }
            """), LintKinds.NaclShadowed));
    }

    [Fact]
    public void DenyRuleThatChangesNothing()
    {
        var finding = Assert.Single(Lint(Acl("""
                  - { rule: 90, protocol: tcp, ports: 22, source: 0.0.0.0/0, action: deny }
                  - { rule: 100, protocol: tcp, ports: 443, source: 0.0.0.0/0, action: allow }
            """), LintKinds.NaclDenyIneffective));
        Assert.Equal(["nacl:n:inbound:90", "nacl:n:inbound:*"], finding.Rules);
        Assert.Equal(LintSeverity.Note, finding.Severity);

        // Neighbour: a later allow covers part of what it denies, so it does deny something.
        Assert.Empty(Lint(Acl("""
                  - { rule: 90, protocol: tcp, ports: 22, source: 0.0.0.0/0, action: deny }
                  - { rule: 100, protocol: tcp, ports: 1-1024, source: 0.0.0.0/0, action: allow }
            """), LintKinds.NaclDenyIneffective));
    }

    private static string Group(string inbound, string groups = "[g]") => $$"""
        version: 1
        interfaces:
          i: { addresses: [10.0.0.5], security_groups: {{groups}} }
        security_groups:
          g:
            inbound:
        {{inbound}}
          h:
            inbound:
              - { protocol: tcp, ports: 1-1024, source: 10.0.0.0/8 }
        """;

    [Fact]
    public void RedundantSecurityGroupRules()
    {
        var findings = Lint(Group("""
                  - { protocol: tcp, ports: 443, source: 10.1.0.0/16 }
                  - { protocol: tcp, ports: 1-1024, source: 10.0.0.0/8 }
                  - { protocol: tcp, ports: 1-1024, source: 10.0.0.0/8 }
            """), LintKinds.SgRedundant);
        Assert.Equal(2, findings.Count);
        Assert.Equal(["sg:g:inbound:1", "sg:g:inbound:2"], findings[0].Rules);
        Assert.Contains("implied by", findings[0].Message);
        Assert.Equal(["sg:g:inbound:3", "sg:g:inbound:2"], findings[1].Rules);
        Assert.Contains("duplicate", findings[1].Message);

        // Neighbour: udp is not tcp, and a group reference is not a CIDR.
        Assert.DoesNotContain(Lint(Group("""
                  - { protocol: udp, ports: 443, source: 10.1.0.0/16 }
                  - { protocol: tcp, ports: 443, source: sg:h }
                  - { protocol: tcp, ports: 1-1024, source: 10.0.0.0/8 }
            """), LintKinds.SgRedundant), f => f.Severity == LintSeverity.Warning);
    }

    [Fact]
    public void RuleImpliedByAnotherGroupOnEveryCarrier()
    {
        const string rule = "      - { protocol: tcp, ports: 443, source: 10.1.0.0/16 }";
        var finding = Assert.Single(Lint(Group(rule, "[g, h]"), LintKinds.SgRedundant));
        Assert.Equal(["sg:g:inbound:1", "sg:h:inbound:1"], finding.Rules);
        Assert.Equal(LintSeverity.Note, finding.Severity);
        // Neighbour: where h is not on the interface, g's rule is needed.
        Assert.Empty(Lint(Group(rule, "[g]"), LintKinds.SgRedundant));
    }

    private static string Replies(string outbound) => $$"""
        version: 1
        subnets:
          s: { cidr: 10.0.1.0/24, network_acl: n }
        interfaces:
          web: { addresses: [10.0.1.10], subnet: s, security_groups: [g] }
        security_groups:
          g:
            inbound:
              - { protocol: tcp, ports: 443, source: 0.0.0.0/0 }
              - { protocol: tcp, ports: 22, source: 10.0.1.0/24 }
        network_acls:
          n:
            inbound:
              - { rule: 100, protocol: all, source: 0.0.0.0/0, action: allow }
            outbound:
        {{outbound}}
        """;

    [Fact]
    public void NaclClosesTheRepliesOfAServiceTheGroupOpens()
    {
        var none = Assert.Single(Lint(Replies("      - { rule: 100, protocol: tcp, ports: 443, destination: 0.0.0.0/0, action: allow }"), LintKinds.NaclClosesReplies));
        Assert.Equal(LintSeverity.Error, none.Severity);
        Assert.Equal(["sg:g:inbound:1", "nacl:n:outbound:*"], none.Rules);
        Assert.Contains("drops every reply", none.Message);
        Assert.Contains("interface web", none.Message);

        var some = Assert.Single(Lint(Replies("      - { rule: 100, protocol: tcp, ports: 32768-60999, destination: 0.0.0.0/0, action: allow }"), LintKinds.NaclClosesReplies));
        Assert.Equal(LintSeverity.Warning, some.Severity);
        Assert.Contains("Windows clients (49152-65535), NAT gateway, load balancer or Lambda clients (1024-65535)", some.Message);

        // Neighbour: the documented ephemeral range is open; ssh from inside the subnet never meets the NACL.
        Assert.Empty(Lint(Replies("      - { rule: 100, protocol: tcp, ports: 1024-65535, destination: 0.0.0.0/0, action: allow }"), LintKinds.NaclClosesReplies));
    }

    [Fact]
    public void RepliesFromTheDnsResolverAreNotFiltered()
    {
        const string yaml = """
            version: 1
            vpc_cidr: 10.0.0.0/16
            subnets:
              s: { cidr: 10.0.1.0/24, network_acl: n }
            interfaces:
              app: { addresses: [10.0.1.10], subnet: s, security_groups: [g] }
            security_groups:
              g:
                outbound:
                  - { protocol: udp, ports: 53, destination: 10.0.0.2/32 }
                  - { protocol: udp, ports: 53, destination: 10.0.0.3/32 }
            network_acls:
              n:
                inbound: []
            """;
        var finding = Assert.Single(Lint(yaml, LintKinds.NaclClosesReplies));
        Assert.Equal("sg:g:outbound:2", finding.Rules[0]);
    }

    [Fact]
    public void PortOpenOnOneAddressFamilyOnly()
    {
        const string yaml = """
            version: 1
            interfaces:
              web: { addresses: [10.0.1.10, "2001:db8::10"], security_groups: [g] }
            security_groups:
              g:
                inbound:
                  - { protocol: tcp, ports: 443, source: 0.0.0.0/0 }
                  - { protocol: tcp, ports: 443, source: "::/0" }
                  - { protocol: tcp, ports: 80, source: 0.0.0.0/0 }
            """;
        var finding = Assert.Single(Lint(yaml, LintKinds.FamilyAsymmetry));
        Assert.Equal(["sg:g:inbound:3"], finding.Rules);
        Assert.Contains("tcp 80 is open to 0.0.0.0/0", finding.Message);
        // Neighbour: an IPv4-only interface has no IPv6 to forget.
        Assert.Empty(Lint(yaml.Replace(", \"2001:db8::10\"", "").Replace("      - { protocol: tcp, ports: 443, source: \"::/0\" }\n", ""), LintKinds.FamilyAsymmetry));
    }

    [Fact]
    public void IcmpRuleWithAnIpv6Peer()
    {
        const string yaml = """
            version: 1
            security_groups:
              g:
                inbound:
                  - { protocol: icmp, icmp_type: 8, source: "::/0" }
                  - { protocol: icmp, icmp_type: 8, source: 0.0.0.0/0 }
                  - { protocol: icmpv6, icmp_type: 128, source: "::/0" }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: icmp, source: "::/0", action: allow }
                  - { rule: 110, protocol: icmpv6, source: "::/0", action: allow }
            """;
        var findings = Lint(yaml, LintKinds.IcmpForIcmpv6);
        Assert.Equal(["sg:g:inbound:1", "nacl:n:inbound:100"], findings.Select(f => f.Rules[0]));
    }

    [Fact]
    public void IcmpTypeOfAnIcmpv6AclRuleWithAnIpv4CidrHasNoEffect()
    {
        // AWS accepts the entry and matches every ICMP type and code (CreateNetworkAclEntry): the rule loads, and
        // lint says the type says something the rule does not do.
        var finding = Assert.Single(Lint(Acl("""
                  - { rule: 100, protocol: icmpv6, icmp_type: 128, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: icmpv6, icmp_type: 128, source: "::/0", action: allow }
                  - { rule: 120, protocol: icmpv6, source: 10.0.0.0/8, action: allow }
            """), LintKinds.IgnoredField));
        Assert.Equal(
            "nacl:n:inbound:100: icmp_type 128 has no effect: an icmpv6 rule with an IPv4 CIDR matches every ICMP type and code (EC2 API CreateNetworkAclEntry); remove it, or use an IPv6 CIDR to match ICMPv6 by type",
            finding.Message);
        Assert.Equal(["nacl:n:inbound:100"], finding.Rules);
        Assert.Equal(new SourceLocation("lint.yaml", 5, 9), finding.Location);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void PortsAndIcmpFieldsOfProtocolsThatHaveNoneHaveNoEffect()
    {
        const string yaml = """
            version: 1
            security_groups:
              g:
                inbound:
                  - { protocol: all, ports: 22, source: 10.0.0.0/8 }
                  - { protocol: "47", ports: 1723, icmp_type: 8, source: 10.0.0.0/8 }
                  - { protocol: tcp, ports: 22, source: 10.0.0.0/8 }
                  - { protocol: icmp, icmp_type: 8, source: 10.0.0.0/8 }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: -1, icmp_type: 3, icmp_code: 4, source: 10.0.0.0/8, action: allow }
                  - { rule: 110, protocol: udp, ports: 53, source: 10.0.0.0/8, action: allow }
            """;
        var findings = Lint(yaml, LintKinds.IgnoredField);
        Assert.Equal(3, findings.Count);
        Assert.Equal(
            "sg:g:inbound:1: ports 22 has no effect: a protocol all rule matches every port, ICMP type and code (EC2 API IpPermission); remove it, or name the protocol it belongs to",
            findings[0].Message);
        Assert.Equal(
            "sg:g:inbound:2: ports 1723 and icmp_type 8 have no effect: a protocol 47 rule matches every port, ICMP type and code (EC2 API IpPermission); remove them, or name the protocol they belong to",
            findings[1].Message);
        Assert.Equal(
            "nacl:n:inbound:100: icmp_type 3, icmp_code 4 have no effect: a protocol all rule matches every port, ICMP type and code (EC2 API CreateNetworkAclEntry); remove them, or name the protocol they belong to",
            findings[2].Message);
        Assert.Equal([5, 6, 12], findings.Select(f => f.Location.Line));
        Assert.All(findings, f => Assert.Equal(LintSeverity.Warning, f.Severity));
    }

    [Fact]
    public void CidrWrittenWithHostBitsSet()
    {
        const string yaml = """
            version: 1
            subnets:
              public: { cidr: 10.0.1.9/24 }
            security_groups:
              g:
                inbound:
                  - { id: ssh, protocol: tcp, ports: 22, source: 203.0.113.7/24 }
                  - { protocol: tcp, ports: 22, source: 203.0.113.0/24 }
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: all, action: allow, source: "2001:db8::/32" }
            """;
        var findings = Lint(yaml, LintKinds.CidrHostBits);
        Assert.Equal(2, findings.Count);
        Assert.Equal("cidr 10.0.1.9/24 has host bits set: AWS reads it as 10.0.1.0/24 (EC2 API CreateSubnet); write 10.0.1.0/24, or 10.0.1.9/32 for that one address", findings[0].Message);
        Assert.Empty(findings[0].Rules);
        Assert.Equal(new SourceLocation("lint.yaml", 3, 19), findings[0].Location);
        Assert.Equal("sg:g:inbound:ssh: source 203.0.113.7/24 has host bits set: AWS reads it as 203.0.113.0/24 (EC2 API IpRange); write 203.0.113.0/24, or 203.0.113.7/32 for that one address", findings[1].Message);
        Assert.Equal(["sg:g:inbound:ssh"], findings[1].Rules);
        Assert.Equal(new SourceLocation("lint.yaml", 7, 54), findings[1].Location);
        Assert.All(findings, f => Assert.Equal(LintSeverity.Warning, f.Severity));
        // The two rules match the same packets: the loaded model holds the network.
        Assert.Single(Lint(yaml, LintKinds.SgRedundant));
    }

    [Fact]
    public void ShadowingFollowsWhatAwsMatchesNotWhatIsWritten()
    {
        // Rule 100 matches every type (icmpv6 with an IPv4 CIDR), so the deny of type 1 below it is never reached.
        var finding = Assert.Single(Lint(Acl("""
                  - { rule: 100, protocol: icmpv6, icmp_type: 128, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: icmpv6, icmp_type: 1, source: 10.0.0.0/8, action: deny }
            """), LintKinds.NaclShadowed));
        Assert.Equal(["nacl:n:inbound:110", "nacl:n:inbound:100"], finding.Rules);
        // With IPv6 CIDRs the types differ, and nothing is shadowed.
        Assert.Empty(Lint(Acl("""
                  - { rule: 100, protocol: icmpv6, icmp_type: 128, source: "::/0", action: allow }
                  - { rule: 110, protocol: icmpv6, icmp_type: 1, source: "2001:db8::/32", action: deny }
            """), LintKinds.NaclShadowed));
    }

    [Fact]
    public void QuotaOfRulesPerGroupPerFamily()
    {
        string Rules(int n, string prefix) => string.Join("\n", Enumerable.Range(1, n).Select(i => $"      - {{ protocol: tcp, ports: {i}, source: \"{prefix}\" }}"));
        var over = Lint($"version: 1\nsecurity_groups:\n  g:\n    inbound:\n{Rules(61, "10.0.0.0/8")}\n", LintKinds.QuotaSgRules);
        Assert.Equal(LintSeverity.Error, Assert.Single(over).Severity);
        Assert.Contains("61 inbound IPv4 rules", over[0].Message);
        // Neighbour: 60 IPv4 and 60 IPv6 rules are within the quota, which counts families separately.
        Assert.Empty(Lint($"version: 1\nsecurity_groups:\n  g:\n    inbound:\n{Rules(60, "10.0.0.0/8")}\n{Rules(60, "2001:db8::/32").Replace("ports: ", "ports: 1")}\n", LintKinds.QuotaSgRules));
    }

    [Fact]
    public void QuotaOfGroupsPerInterface()
    {
        string Yaml(int n) => $"version: 1\ninterfaces:\n  i: {{ addresses: [10.0.0.1], security_groups: [{string.Join(", ", Enumerable.Range(1, n).Select(k => $"g{k}"))}] }}\nsecurity_groups:\n"
            + string.Join("", Enumerable.Range(1, n).Select(k => $"  g{k}: {{}}\n"));
        Assert.Equal(LintSeverity.Warning, Assert.Single(Lint(Yaml(6), LintKinds.QuotaGroupsPerInterface)).Severity);
        Assert.Empty(Lint(Yaml(5), LintKinds.QuotaGroupsPerInterface));
    }

    [Fact]
    public void QuotaOfNaclRulesPerDirectionPerFamily()
    {
        string Rules(int n) => string.Join("\n", Enumerable.Range(1, n).Select(i => $"          - {{ rule: {i}, protocol: tcp, ports: {i}, source: 0.0.0.0/0, action: allow }}"));
        Assert.Equal(LintSeverity.Warning, Assert.Single(Lint(Acl(Rules(21)), LintKinds.QuotaNaclRules)).Severity);
        Assert.Equal(LintSeverity.Error, Assert.Single(Lint(Acl(Rules(41)), LintKinds.QuotaNaclRules)).Severity);
        Assert.Empty(Lint(Acl(Rules(20)), LintKinds.QuotaNaclRules));
    }
}
