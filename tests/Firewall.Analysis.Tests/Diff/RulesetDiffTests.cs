using Firewall.Analysis.Diff;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Tests.Support;

namespace Firewall.Analysis.Tests.Diff;

/// <summary><c>firewall diff</c>: one NACL edit (<see cref="NaclEdit"/>) flips known flows both ways, each change naming the deciding rules on both sides.</summary>
public class RulesetDiffTests
{
    [Fact]
    public void OneNaclEditFlipsFlowsBothWays()
    {
        var diff = NaclEdit.Diff();
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
        var (a, ad) = NaclEdit.Evaluate(NaclEdit.Old);
        var (b, bd) = NaclEdit.Evaluate(NaclEdit.Old);
        var diff = RulesetDiff.Compare(a, ad, b, bd);
        Assert.Empty(diff.Changes);
        Assert.Equal((3, 0, 0, 0), (diff.FlowsCompared, diff.Count(FlowChangeKind.NewlyAllowed), diff.Count(FlowChangeKind.NewlyBlocked), diff.Count(FlowChangeKind.Changed)));
    }

    [Fact]
    public void ReplyOnlyChangesAreOtherChanges()
    {
        // The old ruleset denies https requests at rule 100; the new one lets them in but drops the replies,
        // whose ports are outside its narrowed outbound range: not allowed on either side, yet different.
        var old = NaclEdit.Old.Replace("ports: 443, source: 0.0.0.0/0, action: allow", "ports: 443, source: 0.0.0.0/0, action: deny");
        var @new = NaclEdit.Old.Replace("ports: 1024-65535, destination", "ports: 1024-2000, destination");
        var (a, ad) = NaclEdit.Evaluate(old);
        var (b, bd) = NaclEdit.Evaluate(@new);
        var change = Assert.Single(RulesetDiff.Compare(a, ad, b, bd).Changes, c => c.ServerPort == 443);
        Assert.Equal(FlowChangeKind.Changed, change.Kind);
        Assert.Equal((FlowOutcome.RequestDenied, FlowOutcome.ReplyDenied), (change.Old.Outcome, change.New.Outcome));
        Assert.Equal(["nacl:public-nacl:inbound:100"], change.Old.DecidedBy);
        Assert.Equal(["nacl:public-nacl:outbound:*"], change.New.DecidedBy);
    }
}
