using Firewall.Analysis.Diff;
using Firewall.Analysis.Runs;

namespace Firewall.Tests.Support;

/// <summary>
/// <c>firewall diff</c>'s case: one NACL edit flips known flows both ways. Three connections (ssh from the
/// office, http and https from the internet) are evaluated against either side of the edit.
/// </summary>
public static class NaclEdit
{
    private static string Ruleset(string rule110) => $$"""
        version: 1
        subnets:
          public: { cidr: 10.0.1.0/24, network_acl: public-nacl }
        interfaces:
          web: { addresses: [10.0.1.10], subnet: public, security_groups: [web-sg] }
        security_groups:
          web-sg:
            inbound:
              - { id: ssh, protocol: tcp, ports: 22, source: 0.0.0.0/0 }
              - { id: http, protocol: tcp, ports: 80, source: 0.0.0.0/0 }
              - { id: https, protocol: tcp, ports: 443, source: 0.0.0.0/0 }
            outbound: []
        network_acls:
          public-nacl:
            inbound:
              - { rule: 100, protocol: tcp, ports: 443, source: 0.0.0.0/0, action: allow }
              - {{rule110}}
            outbound:
              - { rule: 100, protocol: tcp, ports: 1024-65535, destination: 0.0.0.0/0, action: allow }
        """;

    // The edit: rule 110 used to admit ssh from the office; now it admits http from anywhere.
    public static readonly string Old = Ruleset("{ rule: 110, protocol: tcp, ports: 22, source: 203.0.113.0/24, action: allow }");
    public static readonly string New = Ruleset("{ rule: 110, protocol: tcp, ports: 80, source: 0.0.0.0/0, action: allow }");

    public static (RunReport, FlowDecisionRecorder) Evaluate(string yaml)
    {
        var run = new TestRun(yaml)
            .Connection(0, "203.0.113.5", 40001, "10.0.1.10", 22)
            .Connection(1, "198.51.100.7", 40002, "10.0.1.10", 80)
            .Connection(2, "198.51.100.7", 40003, "10.0.1.10", 443);
        var decisions = new FlowDecisionRecorder();
        return (run.Evaluate(decisions), decisions);
    }

    public static DiffResult Diff()
    {
        var (oldRun, oldDecisions) = Evaluate(Old);
        var (newRun, newDecisions) = Evaluate(New);
        return RulesetDiff.Compare(oldRun, oldDecisions, newRun, newDecisions);
    }
}
