using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Tracking;

/// <summary>
/// AWS "Security group connection tracking", untracked connections, the documented example
/// (reference/aws-semantics.md §2.2): inbound TCP 22 from 203.0.113.1/32, TCP 80 from 0.0.0.0/0 and ::/0,
/// ICMP all from 0.0.0.0/0; outbound all to 0.0.0.0/0 and ::/0.
/// </summary>
public class UntrackedFlowTests
{
    private const string Instance = "10.0.1.10";

    private static RulesetBuilder Example(bool withIpv4OutboundAll = true)
    {
        var b = new RulesetBuilder()
            .Interface("i-1", $"{Instance}, 2001:db8:1::10", groups: "example")
            .Sg("example", Direction.Inbound, "tcp", "203.0.113.1/32", "22")
            .Sg("example", Direction.Inbound, "tcp", "0.0.0.0/0", "80")
            .Sg("example", Direction.Inbound, "tcp", "::/0", "80")
            .Sg("example", Direction.Inbound, "icmp", "0.0.0.0/0");
        if (withIpv4OutboundAll)
        {
            b.Sg("example", Direction.Outbound, "all", "0.0.0.0/0");
        }
        return b.Sg("example", Direction.Outbound, "all", "::/0");
    }

    [Fact]
    public void Port_22_from_one_address_is_tracked()
    {
        var run = new Run(Example());
        run.Send(Tcp("203.0.113.1:50000", $"{Instance}:22", "S", 0));
        Assert.Equal("allow conntrack:i-1", run.Outcome(Tcp($"{Instance}:22", "203.0.113.1:50000", "S.", 0.1)));
        Assert.True(run.Flow(0).Has(FlowFlags.Tracked));
        Assert.False(run.Flow(0).Has(FlowFlags.Untracked));
    }

    [Fact]
    public void Port_80_from_everywhere_with_outbound_all_is_untracked()
    {
        var run = new Run(Example());
        var r = run.Send(Tcp("198.51.100.7:50000", $"{Instance}:80", "S", 0));
        Assert.True(r.Has(PacketResultFlags.Untracked));
        // The reply names the rule that allowed it, never conntrack.
        Assert.Equal("allow sg:example:outbound:1", run.Outcome(Tcp($"{Instance}:80", "198.51.100.7:50000", "S.", 0.1)));
        Assert.True(run.Last.Has(PacketResultFlags.Untracked));
        Assert.True(run.Flow(0).Has(FlowFlags.Untracked));
        Assert.Equal(0, run.Evaluator.Tables[0].TrackedCount); // does not use the tracking allowance
    }

    [Fact]
    public void Same_over_ipv6()
    {
        var run = new Run(Example());
        Assert.True(run.Send(Tcp("[2001:db8:ff::7]:50000", "[2001:db8:1::10]:80", "S", 0)).Has(PacketResultFlags.Untracked));
        Assert.Equal("allow sg:example:outbound:2", run.Outcome(Tcp("[2001:db8:1::10]:80", "[2001:db8:ff::7]:50000", "S.", 0.1)));
    }

    [Fact]
    public void Icmp_is_always_tracked()
    {
        var run = new Run(Example());
        var r = run.Send(EchoRequest("198.51.100.7", Instance, 5, 0));
        Assert.False(r.Has(PacketResultFlags.Untracked));
        Assert.Equal("allow conntrack:i-1", run.Outcome(EchoReply(Instance, "198.51.100.7", 5, 0.1)));
    }

    [Fact]
    public void Removing_the_ipv4_outbound_all_rule_makes_port_80_tracked()
    {
        var run = new Run(Example(withIpv4OutboundAll: false));
        var r = run.Send(Tcp("198.51.100.7:50000", $"{Instance}:80", "S", 0));
        Assert.False(r.Has(PacketResultFlags.Untracked));
        Assert.Equal("allow conntrack:i-1", run.Outcome(Tcp($"{Instance}:80", "198.51.100.7:50000", "S.", 0.1)));
        // IPv6 keeps its ::/0 outbound rule, so IPv6 port 80 stays untracked.
        Assert.True(run.Send(Tcp("[2001:db8:ff::7]:50000", "[2001:db8:1::10]:80", "S", 1)).Has(PacketResultFlags.Untracked));
    }
}
