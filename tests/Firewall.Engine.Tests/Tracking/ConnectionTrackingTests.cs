using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;
using Firewall.Engine.Tracking;
using static Firewall.Engine.Tests.Support.Packets;

namespace Firewall.Engine.Tests.Tracking;

/// <summary>Stateful security groups, driven by capture timestamps (SPEC §2, aws-semantics.md §2).</summary>
public class ConnectionTrackingTests
{
    private const string Web = "10.0.1.10";
    private const string Client = "198.51.100.7";

    /// <summary>A web server whose group opens inbound 443/udp 5000/ping and nothing outbound.</summary>
    private static RulesetBuilder Server(TrackingSettings? tracking = null, int? maxTracked = null) => new RulesetBuilder()
        .Interface("web-1", Web, groups: "web-sg", maxTracked: maxTracked)
        .Sg("web-sg", Direction.Inbound, "tcp", "198.51.100.0/24", "443")
        .Sg("web-sg", Direction.Inbound, "udp", "198.51.100.0/24", "5000")
        .Sg("web-sg", Direction.Inbound, "icmp", "198.51.100.0/24", icmpType: 8)
        .Sg("web-sg", Direction.Inbound, "47", "198.51.100.0/24")
        .Tracking(tracking ?? TrackingSettings.Default);

    /// <summary>A host whose group opens only outbound, so replies enter only by tracking.</summary>
    private static RulesetBuilder ClientSide(TrackingSettings? tracking = null) => new RulesetBuilder()
        .Interface("web-1", Web, groups: "out-sg")
        .Sg("out-sg", Direction.Outbound, "udp", "0.0.0.0/0", "53")
        .Sg("out-sg", Direction.Outbound, "tcp", "198.51.100.0/24", "443")
        .Sg("out-sg", Direction.Outbound, "47", "198.51.100.0/24")
        .Tracking(tracking ?? TrackingSettings.Default);

    [Fact]
    public void Handshake_data_and_close_pass_by_tracking_with_states_in_order()
    {
        var run = new Run(Server());
        var c = $"{Client}:50000";
        var s = $"{Web}:443";
        Assert.Equal("allow sg:web-sg:inbound:1", run.Outcome(Tcp(c, s, "S", 0)));
        Assert.Equal(TcpState.SynSent, run.Flow(0).TcpState);
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(s, c, "S.", 0.01)));
        Assert.Equal(TcpState.SynRecv, run.Flow(0).TcpState);
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(c, s, ".", 0.02)));
        Assert.Equal(TcpState.Established, run.Flow(0).TcpState);
        run.Send(Tcp(c, s, "F.", 1));
        Assert.Equal(TcpState.FinWait, run.Flow(0).TcpState);
        run.Send(Tcp(s, c, "F.", 1.01));
        Assert.Equal(TcpState.LastAck, run.Flow(0).TcpState);
        run.Send(Tcp(c, s, ".", 1.02));
        Assert.Equal(TcpState.TimeWait, run.Flow(0).TcpState);
        var flow = run.Flow(0);
        Assert.Equal(FlowOutcome.Allowed, flow.Outcome);
        Assert.Equal(4, flow.RequestAllowed);
        Assert.Equal(2, flow.ReplyAllowed);
        // Stateless: the replies meet an outbound rule list with nothing in it.
        Assert.Equal(FlowOutcome.ReplyDenied, flow.StatelessOutcome);
        Assert.Equal("sg:web-1:outbound:none", run.Ref(flow.StatelessDeniedBy));
    }

    [Fact]
    public void Each_interface_keys_a_flow_from_its_own_side()
    {
        var run = new Run(new RulesetBuilder()
            .Interface("web-1", Web, groups: "lan-sg")
            .Interface("db-1", "10.0.1.20", groups: "lan-sg")
            .Sg("lan-sg", Direction.Outbound, "tcp", "10.0.1.0/24")
            .Sg("lan-sg", Direction.Inbound, "tcp", "10.0.1.0/24"));
        var web = run.Evaluator.Tables[0];
        var db = run.Evaluator.Tables[1];

        // web-1 to db-1: an entry at each end, and the reply passes both by tracking.
        Assert.Equal("allow sg:lan-sg:inbound:1", run.Outcome(Tcp($"{Web}:40000", "10.0.1.20:5432", "S", 0)));
        Assert.Equal((1, 1), (web.Count, db.Count));
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp("10.0.1.20:5432", $"{Web}:40000", "S.", 0.01)));
        Assert.Equal(2, run.Last.HopCount);
        Assert.Equal("conntrack:db-1", run.Ref(run.Last.Hops[0].RuleId));

        // web-1 to itself on another port: its sending side and its receiving side are two entries.
        run.Send(Tcp($"{Web}:40001", $"{Web}:8080", "S", 1));
        Assert.Equal((3, 1), (web.Count, db.Count));
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp($"{Web}:8080", $"{Web}:40001", "S.", 1.01)));
        Assert.Equal(3, web.Count);

        // The same address and port at both ends are the same key from either side: one entry.
        run.Send(Tcp($"{Web}:7000", $"{Web}:7000", "S", 2));
        Assert.Equal(4, web.Count);
    }

    [Fact]
    public void Tcp_established_timeout_of_60_seconds_expires_on_capture_time()
    {
        var run = new Run(ClientSide(new TrackingSettings { TcpEstablished = 60 }));
        var c = $"{Web}:40000";
        var s = $"{Client}:443";
        run.Send(Tcp(c, s, "S", 0));
        run.Send(Tcp(s, c, "S.", 0.1));
        run.Send(Tcp(c, s, ".", 0.2));
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(s, c, "P.", 59)));
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(s, c, "P.", 118.9))); // refreshed at 59
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Tcp(s, c, "P.", 179.5)));
    }

    [Theory]
    [InlineData(10, "allow conntrack:web-1")]
    [InlineData(29.999, "allow conntrack:web-1")]
    [InlineData(31, "deny sg:web-1:inbound:none")]
    public void Udp_reply_within_30_seconds_passes(double replyAt, string expected)
    {
        var run = new Run(ClientSide());
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 0));
        Assert.Equal(expected, run.Outcome(Udp("192.0.2.53:53", $"{Web}:53000", replyAt)));
    }

    [Theory]
    [InlineData(170, "allow conntrack:web-1")]
    [InlineData(181, "deny sg:web-1:inbound:none")]
    public void Udp_stream_lives_180_seconds(double gap, string expected)
    {
        var run = new Run(ClientSide());
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 0));
        run.Send(Udp("192.0.2.53:53", $"{Web}:53000", 1));
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 2)); // the initiator sends again: a stream
        Assert.Equal(expected, run.Outcome(Udp("192.0.2.53:53", $"{Web}:53000", 2 + gap)));
    }

    [Fact]
    public void Udp_without_a_second_request_is_not_a_stream()
    {
        var run = new Run(ClientSide());
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 0));
        run.Send(Udp("192.0.2.53:53", $"{Web}:53000", 1));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Udp("192.0.2.53:53", $"{Web}:53000", 40)));
    }

    [Theory]
    [InlineData(599, "allow conntrack:web-1")]
    [InlineData(601, "deny sg:web-1:inbound:none")]
    public void Other_protocols_are_tracked_by_address_pair_for_600_seconds(double after, string expected)
    {
        var run = new Run(ClientSide());
        run.Send(Other(47, Web, Client, 0));
        Assert.Equal(expected, run.Outcome(Other(47, Client, Web, after)));
    }

    [Fact]
    public void Other_protocol_entry_is_per_protocol()
    {
        var run = new Run(ClientSide());
        run.Send(Other(47, Web, Client, 0));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Other(50, Client, Web, 1)));
    }

    [Fact]
    public void Echo_reply_is_matched_by_identifier()
    {
        var run = new Run(Server());
        Assert.Equal("allow sg:web-sg:inbound:3", run.Outcome(EchoRequest(Client, Web, 77, 0)));
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(EchoReply(Web, Client, 78, 0.1)));
        Assert.Equal("allow conntrack:web-1", run.Outcome(EchoReply(Web, Client, 77, 0.2)));
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(EchoReply(Web, Client, 77, 31)));
    }

    [Fact]
    public void Icmp_errors_are_not_admitted_by_the_flow_they_quote()
    {
        var run = new Run(ClientSide());
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 0));
        var error = IcmpError("192.0.2.53", Web, 3, 3, 17, $"{Web}:53000", "192.0.2.53:53", 0.1);
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(error));
    }

    [Fact]
    public void Related_icmp_option_admits_errors_quoting_a_tracked_flow()
    {
        var run = new Run(ClientSide(), new EvaluationOptions { RelatedIcmp = true });
        run.Send(Udp($"{Web}:53000", "192.0.2.53:53", 0));
        Assert.Equal("allow conntrack:web-1", run.Outcome(IcmpError("192.0.2.53", Web, 3, 3, 17, $"{Web}:53000", "192.0.2.53:53", 0.1)));
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(IcmpError("192.0.2.53", Web, 3, 3, 17, $"{Web}:53001", "192.0.2.53:53", 0.1)));
    }

    [Fact]
    public void Midstream_packet_is_picked_up_with_inferred_direction()
    {
        var run = new Run(Server());
        // The capture starts with the server's data: judged by outbound rules (none) → denied.
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(Tcp($"{Web}:443", $"{Client}:50000", "P.", 0)));
        // The client's ACK is allowed by the inbound rule and opens an established entry...
        var r = run.Send(Tcp($"{Client}:50000", $"{Web}:443", ".", 0.1));
        Assert.True(r.Has(PacketResultFlags.Inferred));
        // ...so the server's next data passes as tracked.
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp($"{Web}:443", $"{Client}:50000", "P.", 0.2)));
        var flow = run.Flow(0);
        Assert.True(flow.Has(FlowFlags.Inferred));
        Assert.Equal(Client, flow.Client.ToString()); // higher port = client, although the server spoke first
        Assert.Equal(TcpState.Established, flow.TcpState);
    }

    [Fact]
    public void Midstream_strict_denies_non_syn_packets_without_an_entry()
    {
        var run = new Run(Server(), new EvaluationOptions { MidstreamStrict = true });
        var r = run.Send(Tcp($"{Client}:50000", $"{Web}:443", ".", 0));
        Assert.Equal(Verdict.Deny, r.Verdict);
        Assert.Equal(DenyReason.Midstream, r.Reason);
        Assert.Equal("conntrack:web-1:midstream", run.Ref(r.RuleId));
        Assert.Equal(Verdict.Allow, r.StatelessVerdict); // the rules alone would admit it
        Assert.Equal("allow sg:web-sg:inbound:1", run.Outcome(Tcp($"{Client}:50001", $"{Web}:443", "S", 1)));
    }

    [Fact]
    public void Full_table_denies_new_flows_with_its_own_reason_and_frees_on_expiry()
    {
        var run = new Run(Server(maxTracked: 2));
        run.Send(Udp($"{Client}:1", $"{Web}:5000", 0));
        run.Send(Udp($"{Client}:2", $"{Web}:5000", 0));
        var r = run.Send(Udp($"{Client}:3", $"{Web}:5000", 1));
        Assert.Equal(Verdict.Deny, r.Verdict);
        Assert.Equal(DenyReason.TableFull, r.Reason);
        Assert.Equal("conntrack:web-1:full", run.Ref(r.RuleId));
        // Existing flows still pass.
        Assert.Equal("allow conntrack:web-1", run.Outcome(Udp($"{Web}:5000", $"{Client}:1", 2)));
        // After the 30 s UDP timeout the table has room again.
        Assert.Equal("allow sg:web-sg:inbound:2", run.Outcome(Udp($"{Client}:3", $"{Web}:5000", 40)));
    }

    [Fact]
    public void Syn_after_time_wait_reopens_the_connection()
    {
        var run = new Run(Server());
        var c = $"{Client}:50000";
        var s = $"{Web}:443";
        foreach (var (from, to, flags) in new[] { (c, s, "S"), (s, c, "S."), (c, s, "."), (c, s, "F."), (s, c, "F."), (c, s, ".") })
        {
            run.Send(Tcp(from, to, flags, 0));
        }
        Assert.Equal(TcpState.TimeWait, run.Flow(0).TcpState);
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(c, s, "S", 5)));
        // The reopened entry serves a new connection, which is a flow of its own (Wireshark's tcp.stream).
        Assert.Equal(TcpState.TimeWait, run.Flow(0).TcpState);
        Assert.Equal(TcpState.SynSent, run.Flow(1).TcpState);
    }

    [Fact]
    public void Rst_closes_and_the_close_timeout_is_ten_seconds()
    {
        var run = new Run(Server());
        var c = $"{Client}:50000";
        var s = $"{Web}:443";
        run.Send(Tcp(c, s, "S", 0));
        run.Send(Tcp(s, c, "S.", 0));
        run.Send(Tcp(c, s, ".", 0));
        run.Send(Tcp(c, s, "R.", 1));
        Assert.Equal(TcpState.Close, run.Flow(0).TcpState);
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(s, c, "R.", 10.9)));
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(Tcp(s, c, ".", 22)));
    }

    [Fact]
    public void Sg_without_outbound_rules_answers_while_a_nacl_without_ephemeral_rule_drops_the_replies()
    {
        var rs = new RulesetBuilder()
            .Subnet("public", "10.0.1.0/24", "nacl")
            .Interface("web-1", Web, "public", "web-sg")
            .Sg("web-sg", Direction.Inbound, "tcp", "0.0.0.0/0", "443")
            .Nacl("nacl", Direction.Inbound, 100, "allow", "tcp", "0.0.0.0/0", "443")
            .Nacl("nacl", Direction.Outbound, 100, "allow", "tcp", "0.0.0.0/0", "443");
        var run = new Run(rs);
        var c = $"{Client}:50000";
        var s = $"{Web}:443";
        Assert.Equal("allow sg:web-sg:inbound:1", run.Outcome(Tcp(c, s, "S", 0)));
        var reply = run.Send(Tcp(s, c, "S.", 0.01));
        Assert.Equal(Verdict.Deny, reply.Verdict);
        Assert.Equal("nacl:nacl:outbound:*", run.Ref(reply.RuleId));
        Assert.Equal("sg-outbound=allow:conntrack:web-1 nacl-outbound=deny:nacl:nacl:outbound:*", run.Hops(reply));
        var flow = run.Flow(0);
        Assert.Equal(FlowOutcome.ReplyDenied, flow.Outcome);
        Assert.Equal("nacl:nacl:outbound:*", run.Ref(flow.DeniedBy));
        // Without state, the same reply would already die at the group.
        Assert.Equal("sg:web-1:outbound:none", run.Ref(flow.StatelessDeniedBy));
        // Without the NACL, the group alone answers.
        var sgOnly = new Run(Server());
        sgOnly.Send(Tcp(c, s, "S", 0));
        Assert.Equal("allow conntrack:web-1", sgOnly.Outcome(Tcp(s, c, "S.", 0.01)));
    }

    [Fact]
    public void Later_fragment_follows_its_first_fragment()
    {
        var run = new Run(Server());
        var first = Fragment(Udp($"{Client}:4000", $"{Web}:5000", 0), 0, more: true);
        first.FragId = 99;
        var r1 = run.Send(first);
        Assert.Equal(Verdict.Allow, r1.Verdict);
        var later = Fragment(first, 1480, more: false);
        var r2 = run.Send(later);
        Assert.Equal(Verdict.Allow, r2.Verdict);
        Assert.Equal("sg:web-sg:inbound:2", run.Ref(r2.RuleId));
        Assert.True(r2.Has(PacketResultFlags.FragmentFollowed));
        Assert.Equal(r1.FlowId, r2.FlowId);
    }

    [Fact]
    public void Later_fragment_without_first_matches_only_portless_rules()
    {
        var run = new Run(Server());
        var later = Fragment(Udp($"{Client}:4000", $"{Web}:5000", 0), 1480, more: false);
        later.FragId = 5;
        var r = run.Send(later);
        Assert.Equal(Verdict.Deny, r.Verdict); // the udp 5000 rule names a port
        Assert.True(r.Has(PacketResultFlags.FragmentWithoutFirst));
        var open = new Run(new RulesetBuilder().Interface("web-1", Web, groups: "g").Sg("g", Direction.Inbound, "udp", "0.0.0.0/0"));
        Assert.Equal(Verdict.Allow, open.Send(later).Verdict);
    }

    [Fact]
    public void Packets_the_state_table_calls_invalid_are_judged_by_rules()
    {
        var run = new Run(Server());
        var c = $"{Client}:50000";
        var s = $"{Web}:443";
        run.Send(Tcp(c, s, "S", 0));
        run.Send(Tcp(s, c, "S.", 0));
        run.Send(Tcp(c, s, ".", 0));
        // A SYN from the server side of an established connection: netfilter INVALID, so the outbound rules decide.
        Assert.Equal("deny sg:web-1:outbound:none", run.Outcome(Tcp(s, c, "S", 1)));
        Assert.Equal(TcpState.Established, run.Flow(0).TcpState); // the entry is untouched
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp(s, c, "P.", 2)));
    }

    [Fact]
    public void Refused_connection_entry_is_deleted_by_the_reset()
    {
        var run = new Run(ClientSide());
        run.Send(Tcp($"{Web}:40000", $"{Client}:443", "S", 0));
        Assert.Equal("allow conntrack:web-1", run.Outcome(Tcp($"{Client}:443", $"{Web}:40000", "R.", 0.1)));
        Assert.Equal(0, run.Evaluator.Tables[0].Count);
        Assert.Equal("deny sg:web-1:inbound:none", run.Outcome(Tcp($"{Client}:443", $"{Web}:40000", "R.", 0.2)));
    }
}
