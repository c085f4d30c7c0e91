using System.Text.Json;
using Firewall.Analysis.Runs;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Diff;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Diff;

/// <summary><c>firewall diff</c>: one NACL edit flips known flows both ways, each change naming the deciding rules on both sides.</summary>
public class RulesetDiffTests
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
    private static readonly string Old = Ruleset("{ rule: 110, protocol: tcp, ports: 22, source: 203.0.113.0/24, action: allow }");
    private static readonly string New = Ruleset("{ rule: 110, protocol: tcp, ports: 80, source: 0.0.0.0/0, action: allow }");

    private static (RunReport, FlowDecisionRecorder) Evaluate(string yaml)
    {
        var run = new TestRun(yaml)
            .Connection(0, "203.0.113.5", 40001, "10.0.1.10", 22)
            .Connection(1, "198.51.100.7", 40002, "10.0.1.10", 80)
            .Connection(2, "198.51.100.7", 40003, "10.0.1.10", 443);
        var decisions = new FlowDecisionRecorder();
        return (run.Evaluate(decisions), decisions);
    }

    private static DiffResult Diff()
    {
        var (oldRun, oldDecisions) = Evaluate(Old);
        var (newRun, newDecisions) = Evaluate(New);
        return RulesetDiff.Compare(oldRun, oldDecisions, newRun, newDecisions);
    }

    [Fact]
    public void OneNaclEditFlipsFlowsBothWays()
    {
        var diff = Diff();
        Assert.Equal(3, diff.FlowsCompared);
        Assert.Equal(2, diff.Changes.Count);

        var ssh = diff.Changes[0];
        Assert.Equal(FlowChangeKind.NewlyBlocked, ssh.Kind);
        Assert.Equal("tcp 203.0.113.5:40001 -> 10.0.1.10:22", ssh.Flow);
        Assert.Equal(FlowOutcome.Allowed, ssh.Old.Outcome);
        Assert.Equal(["nacl:public-nacl:inbound:110", "sg:web-sg:inbound:ssh", "conntrack:web", "nacl:public-nacl:outbound:100"], ssh.Old.DecidedBy);
        Assert.Equal(FlowOutcome.RequestDenied, ssh.New.Outcome);
        Assert.Equal(["nacl:public-nacl:inbound:*"], ssh.New.DecidedBy);

        var http = diff.Changes[1];
        Assert.Equal(FlowChangeKind.NewlyAllowed, http.Kind);
        Assert.Equal(("198.51.100.7", 40002, "10.0.1.10", 80), (http.Client, http.ClientPort, http.Server, http.ServerPort));
        Assert.Equal(["nacl:public-nacl:inbound:*"], http.Old.DecidedBy);
        Assert.Equal("nacl:public-nacl:inbound:110", http.New.DecidedBy[0]);
        Assert.Equal(FlowOutcome.Allowed, http.New.Outcome);
    }

    [Fact]
    public void SameRulesetsChangeNothing()
    {
        var (a, ad) = Evaluate(Old);
        var (b, bd) = Evaluate(Old);
        var diff = RulesetDiff.Compare(a, ad, b, bd);
        Assert.Empty(diff.Changes);
        Assert.Equal("3 flows compared: 0 newly allowed, 0 newly blocked, 0 otherwise changed", DiffWriter.Summary(diff));
    }

    [Fact]
    public void ReplyOnlyChangesAreOtherChanges()
    {
        // The old ruleset denies https requests at rule 100; the new one lets them in but drops the replies,
        // whose ports are outside its narrowed outbound range: not allowed on either side, yet different.
        var old = Old.Replace("ports: 443, source: 0.0.0.0/0, action: allow", "ports: 443, source: 0.0.0.0/0, action: deny");
        var @new = Old.Replace("ports: 1024-65535, destination", "ports: 1024-2000, destination");
        var (a, ad) = Evaluate(old);
        var (b, bd) = Evaluate(@new);
        var change = Assert.Single(RulesetDiff.Compare(a, ad, b, bd).Changes, c => c.ServerPort == 443);
        Assert.Equal(FlowChangeKind.Changed, change.Kind);
        Assert.Equal((FlowOutcome.RequestDenied, FlowOutcome.ReplyDenied), (change.Old.Outcome, change.New.Outcome));
        Assert.Equal(["nacl:public-nacl:inbound:100"], change.Old.DecidedBy);
        Assert.Equal(["nacl:public-nacl:outbound:*"], change.New.DecidedBy);
    }

    [Fact]
    public void TextAndJsonCarryBothSides()
    {
        var diff = Diff();
        var text = DiffWriter.Text(diff);
        Assert.Contains("""
            newly-blocked (1)
              tcp 203.0.113.5:40001 -> 10.0.1.10:22  frame 1: allowed -> request-denied
                old: nacl:public-nacl:inbound:110, sg:web-sg:inbound:ssh, conntrack:web, nacl:public-nacl:outbound:100
                new: nacl:public-nacl:inbound:*
            """.Replace("\r", ""), text);
        var stream = new MemoryStream();
        DiffWriter.Write(stream, DiffFormat.Json, diff);
        using var json = JsonDocument.Parse(stream.ToArray());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((1, 1, 0), (summary.GetProperty("newly_allowed").GetInt32(), summary.GetProperty("newly_blocked").GetInt32(), summary.GetProperty("changed").GetInt32()));
        var first = json.RootElement.GetProperty("changes")[0];
        Assert.Equal("newly-blocked", first.GetProperty("change").GetString());
        Assert.Equal("request-denied", first.GetProperty("new").GetProperty("outcome").GetString());
        Assert.Equal(22, first.GetProperty("server_port").GetInt32());
    }
}
