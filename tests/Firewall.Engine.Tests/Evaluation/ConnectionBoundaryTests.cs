using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Engine.Tests.Support;
using Firewall.Engine.Tracking;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Evaluation;

/// <summary>
/// A flow is a connection: endpoints reused by a later connection make a new flow, as Wireshark's
/// <c>tcp.stream</c> and Zeek's conn.log count them (<see cref="Connections"/>).
/// </summary>
public class ConnectionBoundaryTests
{
    private const string Web = "10.0.1.10";
    private const string Client = "198.51.100.7";
    private const string C = Client + ":50000";
    private const string S = Web + ":443";

    private static RulesetBuilder Server() => new RulesetBuilder()
        .Interface("web-1", Web, groups: "web-sg")
        .Sg("web-sg", Direction.Inbound, "tcp", "198.51.100.0/24", "443")
        .Sg("web-sg", Direction.Inbound, "udp", "198.51.100.0/24", "5000")
        .Sg("web-sg", Direction.Inbound, "icmp", "198.51.100.0/24", icmpType: 8)
        .Sg("web-sg", Direction.Inbound, "47", "198.51.100.0/24");

    private static PacketInfo Syn(string from, string to, uint isn, double t)
    {
        var p = Tcp(from, to, "S", t);
        p.Seq = isn;
        return p;
    }

    private static void Connection(Run run, uint isn, double t, string close)
    {
        run.Send(Syn(C, S, isn, t));
        run.Send(Tcp(S, C, "S.", t + 0.01));
        run.Send(Tcp(C, S, ".", t + 0.02));
        if (close == "fin")
        {
            run.Send(Tcp(C, S, "F.", t + 1));
            run.Send(Tcp(S, C, "F.", t + 1.01));
            run.Send(Tcp(C, S, ".", t + 1.02));
        }
        else if (close == "rst")
        {
            run.Send(Tcp(S, C, "R", t + 1));
        }
    }

    [Theory]
    [InlineData("fin")]
    [InlineData("rst")]
    public void A_new_syn_after_the_connection_closed_is_a_new_flow(string close)
    {
        var run = new Run(Server());
        Connection(run, 1000, 0, close);
        Connection(run, 1000, 5, close); // even with the same initial sequence number
        Assert.Equal(2, run.Evaluator.Flows.Count);
        for (var id = 0; id < 2; id++)
        {
            var flow = run.Flow(id);
            Assert.Equal(FlowOutcome.Allowed, flow.Outcome);
            Assert.Equal(Client, flow.Client.ToString());
            Assert.Equal(close == "fin" ? 4 : 2, flow.RequestAllowed);
        }
        Assert.Equal(5_000_000_000L, run.Flow(1).FirstTimeNs - run.Flow(0).FirstTimeNs);
        Assert.Equal(1, run.Last.FlowId);
    }

    [Fact]
    public void A_retransmitted_syn_is_the_same_connection()
    {
        var run = new Run(Server());
        run.Send(Syn(C, S, 1000, 0));
        run.Send(Syn(C, S, 1000, 1));
        run.Send(Syn(C, S, 1000, 3));
        Assert.Equal(1, run.Evaluator.Flows.Count);
        Assert.Equal(3, run.Flow(0).RequestAllowed);
    }

    [Fact]
    public void A_syn_with_another_initial_sequence_number_is_a_new_connection_even_without_a_close()
    {
        // Wireshark: "TCP port numbers reused" starts a new tcp.stream on a SYN with another sequence number.
        var run = new Run(Server());
        Connection(run, 1000, 0, "none");
        run.Send(Syn(C, S, 987654, 50));
        Assert.Equal(2, run.Evaluator.Flows.Count);
        Assert.Equal(1, run.Last.FlowId);
        Assert.False(run.Last.IsReply);
    }

    [Fact]
    public void A_flow_picked_up_from_a_syn_ack_knows_the_client_isn()
    {
        var run = new Run(Server());
        var synAck = Tcp(S, C, "S.", 0);
        synAck.Ack = 1001;
        run.Send(synAck);
        run.Send(Syn(C, S, 1000, 0.5)); // the client's SYN again: a retransmission of the connection's own
        Assert.Equal(1, run.Evaluator.Flows.Count);
        run.Send(Syn(C, S, 5000, 1));
        Assert.Equal(2, run.Evaluator.Flows.Count);
    }

    [Fact]
    public void Data_fin_and_rst_never_start_a_flow_on_known_endpoints()
    {
        var run = new Run(Server());
        Connection(run, 1000, 0, "fin");
        run.Send(Tcp(C, S, ".", 200));
        run.Send(Tcp(C, S, "R", 300));
        run.Send(Tcp(S, C, "F.", 400));
        Assert.Equal(1, run.Evaluator.Flows.Count);
    }

    [Fact]
    public void A_udp_client_that_sends_again_after_the_timeout_begins_a_new_flow()
    {
        var run = new Run(Server());
        var c = $"{Client}:40000";
        var s = $"{Web}:5000";
        run.Send(Udp(c, s, 0));
        run.Send(Udp(s, c, 1));
        run.Send(Udp(c, s, 29.9)); // within 30 s of the last packet, and now a stream (180 s)
        run.Send(Udp(c, s, 200)); // 170 s later: still the stream
        Assert.Equal(1, run.Evaluator.Flows.Count);
        run.Send(Udp(c, s, 380)); // 180 s of silence: the stream's entry expired
        Assert.Equal(2, run.Evaluator.Flows.Count);
        run.Send(Udp(c, s, 400)); // 20 s later, no reply yet: same flow
        run.Send(Udp(c, s, 430)); // 30 s of silence without a reply: new flow again
        Assert.Equal(3, run.Evaluator.Flows.Count);
        Assert.Equal(2, run.Last.FlowId);
    }

    [Fact]
    public void A_late_reply_stays_with_its_request_and_is_dropped_as_the_entry_expired()
    {
        var c = $"{Web}:40000";
        var s = $"{Client}:5000";
        var clientSide = new Run(new RulesetBuilder()
            .Interface("web-1", Web, groups: "out-sg")
            .Sg("out-sg", Direction.Outbound, "udp", "0.0.0.0/0", "5000"));
        Assert.Equal("allow sg:out-sg:outbound:1", clientSide.Outcome(Udp(c, s, 0)));
        Assert.Equal("deny sg:web-1:inbound:none", clientSide.Outcome(Udp(s, c, 40)));
        Assert.Equal(1, clientSide.Evaluator.Flows.Count);
        Assert.True(clientSide.Last.IsReply);
        Assert.Equal(FlowOutcome.ReplyDenied, clientSide.Flow(0).Outcome);
    }

    [Fact]
    public void An_echo_identifier_reused_after_the_icmp_timeout_is_a_new_flow()
    {
        var run = new Run(Server());
        run.Send(EchoRequest(Client, Web, 7, 0));
        run.Send(EchoReply(Web, Client, 7, 0.01));
        run.Send(EchoRequest(Client, Web, 7, 1)); // ping's next sequence number: the same session
        Assert.Equal(1, run.Evaluator.Flows.Count);
        run.Send(EchoRequest(Client, Web, 7, 31.5));
        Assert.Equal(2, run.Evaluator.Flows.Count);
    }

    [Fact]
    public void Another_protocol_resumes_as_a_new_flow_after_600_s()
    {
        var run = new Run(Server());
        run.Send(Other(47, Client, Web, 0));
        run.Send(Other(47, Client, Web, 599));
        Assert.Equal(1, run.Evaluator.Flows.Count);
        run.Send(Other(47, Client, Web, 1199));
        Assert.Equal(2, run.Evaluator.Flows.Count);
    }

    [Fact]
    public void Past_the_flow_bound_a_new_connection_is_unrecorded_rather_than_added_to_the_old_flow()
    {
        var run = new Run(Server(), new EvaluationOptions { MaxFlows = 1 });
        Connection(run, 1000, 0, "fin");
        run.Send(Syn(C, S, 2000, 5));
        Assert.Equal(-1, run.Last.FlowId);
        run.Send(Tcp(S, C, "S.", 5.01));
        Assert.Equal(-1, run.Last.FlowId);
        Assert.Equal(1, run.Evaluator.Flows.Count);
        Assert.Equal(4, run.Flow(0).RequestAllowed);
        Assert.Equal(2, run.Evaluator.Counters.PacketsOfUnrecordedFlows);
    }

    [Fact]
    public void The_flows_are_the_same_whichever_ruleset_judges_them()
    {
        // Boundaries come from flags, sequence numbers and times only: a ruleset that denies everything sees the same flows.
        var allow = new Run(Server());
        var deny = new Run(new RulesetBuilder().Interface("web-1", Web, groups: "empty-sg").Sg("empty-sg", Direction.Outbound, "tcp", "10.9.9.9/32", "1"));
        foreach (var run in new[] { allow, deny })
        {
            Connection(run, 1000, 0, "fin");
            Connection(run, 1000, 10, "rst");
            Connection(run, 3000, 20, "none");
            run.Send(Syn(C, S, 4000, 30));
        }
        Assert.Equal(4, allow.Evaluator.Flows.Count);
        Assert.Equal(4, deny.Evaluator.Flows.Count);
        for (var id = 0; id < 4; id++)
        {
            Assert.Equal(allow.Flow(id).FirstFrame - allow.Flow(0).FirstFrame, deny.Flow(id).FirstFrame - deny.Flow(0).FirstFrame);
        }
        Assert.Equal(TcpState.None, deny.Flow(0).TcpState);
    }
}

/// <summary><see cref="Evaluator.Forget"/>: the next packet meets empty tables, as in a fresh evaluator.</summary>
public class ForgetTests
{
    [Fact]
    public void After_forget_an_evaluator_answers_as_a_fresh_one()
    {
        var rules = new RulesetBuilder()
            .Interface("web-1", "10.0.1.10", groups: "web-sg")
            .Sg("web-sg", Direction.Inbound, "tcp", "198.51.100.0/24", "443")
            .Sg("web-sg", Direction.Inbound, "47", "198.51.100.0/24")
            .Compile();
        var reused = new Evaluator(rules);
        var r = default(PacketResult);
        // A tracked connection and a protocol-47 exchange whose entries would admit the reverse direction.
        foreach (var p in new[] { Tcp("198.51.100.7:40000", "10.0.1.10:443", "S", 0), Other(47, "198.51.100.7", "10.0.1.10", 0.1) })
        {
            reused.Evaluate(in p, ref r);
        }
        reused.Forget();
        Assert.Equal(0, reused.Flows.Count);
        Assert.All(reused.Tables, t => Assert.Equal(0, t.Count));
        foreach (var p in new[] { Tcp("10.0.1.10:443", "198.51.100.7:40000", "S.", 1), Other(47, "10.0.1.10", "198.51.100.7", 1.1) })
        {
            var fresh = new Evaluator(rules);
            var expected = default(PacketResult);
            fresh.Evaluate(in p, ref expected);
            reused.Evaluate(in p, ref r);
            Assert.Equal((expected.Verdict, expected.RuleId, expected.FlowId), (r.Verdict, r.RuleId, r.FlowId));
            Assert.Equal(Verdict.Deny, r.Verdict); // no entry left to admit the reverse direction
            reused.Forget();
        }
    }
}
