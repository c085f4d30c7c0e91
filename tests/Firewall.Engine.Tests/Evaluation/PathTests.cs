using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>SPEC §2 "The path of a packet": which hops a packet meets, in which order.</summary>
public class PathTests
{
    private static RulesetBuilder TwoSubnets(string aclA = "acl-a", string aclB = "acl-b") => new RulesetBuilder()
        .Subnet("a", "10.0.1.0/24", aclA)
        .Subnet("b", "10.0.2.0/24", aclB)
        .Interface("host-a", "10.0.1.10", "a", "sg-a")
        .Interface("host-a2", "10.0.1.11", "a", "sg-a")
        .Interface("host-b", "10.0.2.20", "b", "sg-b")
        .Interface("bare", "10.9.9.9", groups: "sg-a")
        .Sg("sg-a", Direction.Outbound, "all", "0.0.0.0/0")
        .Sg("sg-a", Direction.Inbound, "all", "0.0.0.0/0")
        .Sg("sg-b", Direction.Inbound, "tcp", "10.0.0.0/8", "443")
        .Sg("sg-b", Direction.Outbound, "all", "0.0.0.0/0")
        .Nacl(aclA, Direction.Outbound, 100, "allow", "all", "0.0.0.0/0")
        .Nacl(aclA, Direction.Inbound, 100, "allow", "all", "0.0.0.0/0")
        .Nacl(aclB, Direction.Outbound, 100, "allow", "all", "0.0.0.0/0")
        .Nacl(aclB, Direction.Inbound, 100, "allow", "all", "0.0.0.0/0");

    [Fact]
    public void Two_subnets_meet_all_four_hops_in_order()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Tcp("10.0.1.10:40000", "10.0.2.20:443", "S"));
        Assert.Equal(Verdict.Allow, r.Verdict);
        Assert.Equal(
            "sg-outbound=allow:sg:sg-a:outbound:1 nacl-outbound=allow:nacl:acl-a:outbound:100 nacl-inbound=allow:nacl:acl-b:inbound:100 sg-inbound=allow:sg:sg-b:inbound:1",
            run.Hops(r));
        Assert.Equal("sg:sg-b:inbound:1", run.Ref(r.RuleId)); // an allowed packet names its last hop
    }

    [Fact]
    public void Same_subnet_skips_the_nacl()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Tcp("10.0.1.10:40000", "10.0.1.11:22", "S"));
        Assert.Equal("sg-outbound=allow:sg:sg-a:outbound:1 sg-inbound=allow:sg:sg-a:inbound:1", run.Hops(r));
    }

    [Fact]
    public void Shared_nacl_is_consulted_on_leaving_and_on_entering()
    {
        var run = new Run(TwoSubnets("shared", "shared"));
        var r = run.Send(Tcp("10.0.1.10:40000", "10.0.2.20:443", "S"));
        Assert.Equal(
            "sg-outbound=allow:sg:sg-a:outbound:1 nacl-outbound=allow:nacl:shared:outbound:100 nacl-inbound=allow:nacl:shared:inbound:100 sg-inbound=allow:sg:sg-b:inbound:1",
            run.Hops(r));
    }

    [Fact]
    public void External_to_interface_meets_nacl_inbound_then_sg_inbound()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Tcp("198.51.100.7:51000", "10.0.2.20:443", "S"));
        Assert.Equal("nacl-inbound=allow:nacl:acl-b:inbound:100 sg-inbound=deny:sg:host-b:inbound:none", run.Hops(r));
        Assert.Equal(Verdict.Deny, r.Verdict);
        Assert.Equal(DenyReason.SgNoMatch, r.Reason);
    }

    [Fact]
    public void Interface_without_subnet_has_only_its_groups()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Udp("10.9.9.9:5000", "198.51.100.7:53"));
        Assert.Equal("sg-outbound=allow:sg:sg-a:outbound:1", run.Hops(r));
    }

    [Fact]
    public void Subnet_address_without_interface_meets_only_the_nacl()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Udp("198.51.100.7:5000", "10.0.2.99:53"));
        Assert.Equal("nacl-inbound=allow:nacl:acl-b:inbound:100", run.Hops(r));
    }

    [Fact]
    public void External_to_external_is_out_of_scope()
    {
        var run = new Run(TwoSubnets());
        var r = run.Send(Udp("198.51.100.7:5000", "192.0.2.1:53"));
        Assert.Equal(Verdict.Skip, r.Verdict);
        Assert.Equal("skip", run.Ref(r.RuleId));
        Assert.Equal(1, run.Evaluator.Counters.Skipped);
    }

    [Fact]
    public void A_denying_hop_stops_the_path_and_later_hops_do_not_track()
    {
        var b = TwoSubnets().Nacl("acl-b", Direction.Inbound, 50, "deny", "tcp", "10.0.1.0/24", "443");
        var run = new Run(b);
        var r = run.Send(Tcp("10.0.1.10:40000", "10.0.2.20:443", "S"));
        Assert.Equal(Verdict.Deny, r.Verdict);
        Assert.Equal(3, r.HopCount);
        Assert.Equal("nacl:acl-b:inbound:50", run.Ref(r.RuleId));
        Assert.Equal(DenyReason.NaclRule, r.Reason);
        Assert.Equal(1, run.Evaluator.Tables[0].Count); // host-a's sg-outbound tracked it
        Assert.Equal(0, run.Evaluator.Tables[2].Count); // host-b never saw it
    }

    [Theory]
    [InlineData("169.254.169.254", "bypass:metadata")]
    [InlineData("169.254.169.123", "bypass:time-sync")]
    [InlineData("169.254.169.253", "bypass:dns")]
    [InlineData("10.0.0.2", "bypass:dns")]
    public void Aws_services_are_not_filtered(string to, string reference)
    {
        var run = new Run(TwoSubnets().Vpc("10.0.0.0/16"));
        var r = run.Send(Udp("10.0.2.20:5000", to + ":53"));
        Assert.Equal(Verdict.Allow, r.Verdict);
        Assert.Equal(reference, run.Ref(r.RuleId));
        Assert.True(r.Has(PacketResultFlags.NotFiltered));
        Assert.Equal(1, run.Evaluator.Counters.NotFiltered);
        Assert.Equal(0, run.Evaluator.Counters.Allowed);
    }

    [Fact]
    public void Dhcp_is_not_filtered()
    {
        var run = new Run(TwoSubnets());
        Assert.Equal("allow bypass:dhcp", run.Outcome(Udp("10.0.2.20:68", "10.0.2.1:67")));
    }

    [Fact]
    public void Undecodable_frames_are_counted()
    {
        var run = new Run(TwoSubnets());
        var p = Udp("10.0.2.20:68", "10.0.2.1:67");
        p.Error = Firewall.Engine.Packets.DecodeError.TruncatedIpHeader;
        var r = run.Send(p);
        Assert.Equal(Verdict.Undecodable, r.Verdict);
        Assert.Equal(1, run.Evaluator.Counters.Undecodable); // by reason: the capture reader's DecodeCounts
    }
}

public class NeighborDiscoveryTests
{
    [Theory]
    [InlineData(133)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(143)]
    public void Icmpv6_link_plumbing_is_out_of_scope(byte type)
    {
        var run = new Run(new RulesetBuilder().Interface("web-1", "2001:db8:1::10", groups: "g").Group("g"));
        var r = run.Send(Icmp("2001:db8:1::10", "2001:db8:1::1", type, v6: true));
        Assert.Equal(Verdict.Skip, r.Verdict);
        Assert.Equal(Verdict.Deny, run.Send(Icmp("2001:db8:1::10", "2001:db8:ff::1", 128, 0, 1, v6: true)).Verdict);
    }
}

public class FlowBoundTests
{
    [Fact]
    public void Flows_past_the_bound_are_evaluated_and_counted_but_not_recorded()
    {
        var run = new Run(
            new RulesetBuilder().Interface("web-1", "10.0.1.10", groups: "g").Sg("g", Firewall.Engine.Model.Direction.Inbound, "udp", "0.0.0.0/0", "53"),
            new EvaluationOptions { MaxFlows = 2 });
        run.Send(Udp("198.51.100.1:1000", "10.0.1.10:53"));
        run.Send(Udp("198.51.100.2:1000", "10.0.1.10:53"));
        var r = run.Send(Udp("198.51.100.3:1000", "10.0.1.10:53"));
        Assert.Equal(-1, r.FlowId);
        Assert.Equal(Verdict.Allow, r.Verdict);
        Assert.Equal("allow conntrack:web-1", run.Outcome(Udp("10.0.1.10:53", "198.51.100.3:1000", 1)));
        Assert.Equal(2, run.Evaluator.Flows.Count);
        Assert.Equal(2, run.Evaluator.Counters.PacketsOfUnrecordedFlows);
        var first = Fragment(Udp("198.51.100.4:1000", "10.0.1.10:53", 2), 0, more: true);
        first.FragId = 7;
        run.Send(first);
        Assert.Equal(Verdict.Allow, run.Send(Fragment(first, 1480, more: false)).Verdict);
        var c = run.Evaluator.Counters;
        Assert.Equal(c.Frames, c.Allowed + c.Denied + c.Skipped + c.NotFiltered + c.Undecodable);
    }
}
