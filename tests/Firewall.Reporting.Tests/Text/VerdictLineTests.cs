using Firewall.Analysis.Summaries;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Text;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Text;

/// <summary>The first line of the text report, for each kind of run: what a person reads first must be right.</summary>
public sealed class VerdictLineTests
{
    private static string Verdict(TestRun run, TextPalette? palette = null, Engine.Evaluation.EvaluationOptions? options = null)
    {
        var report = run.Evaluate(options: options);
        return VerdictLine.For(report, RunSummary.Of(report), palette ?? TextPalette.Plain);
    }

    private static TestRun App() => new(TestRulesets.WithNumberedDeny);

    [Fact]
    public void Counts_flows_by_outcome_and_names_the_network_acl_that_dropped_the_replies()
    {
        var run = App()
            .Connection(0, "198.51.100.8", 40000, "10.0.2.10", 443) // allowed
            .Connection(1, "198.51.100.8", 61000, "10.0.2.10", 443) // replies hit nacl outbound 200
            .Connection(2, "198.51.100.9", 61001, "10.0.2.10", 443)
            .Tcp(3, "198.51.100.8", 40001, "10.0.2.10", 22, TcpFlag.Syn) // no NACL rule for 22: request-denied
            .Undecodable(4, DecodeError.BadTcpHeaderLength);
        Assert.Equal("4 flows: 1 allowed, 1 request-denied, 2 reply-denied by network ACLs; 1 frame undecodable", Verdict(run));
    }

    [Fact]
    public void One_reply_denied_flow_is_worded_in_the_singular()
    {
        var run = App().Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443);
        Assert.Equal("1 flow: 1 reply-denied by a network ACL", Verdict(run));
    }

    [Fact]
    public void A_reply_the_security_group_drops_after_its_entry_expired_is_not_put_on_a_nacl()
    {
        // The SYN/ACK comes after the SYN_SENT entry's 120 s: the reply is judged by the outbound rules,
        // which allow only DNS, so the security group drops it (the NACL passes port 40000).
        var run = App()
            .Tcp(0, "198.51.100.8", 40000, "10.0.2.10", 443, TcpFlag.Syn)
            .Tcp(200, "10.0.2.10", 443, "198.51.100.8", 40000, (byte)(TcpFlag.Syn | TcpFlag.Ack));
        Assert.Equal("1 flow: 1 reply-denied by a security group", Verdict(run));

        run.Connection(300, "198.51.100.8", 61000, "10.0.2.10", 443);
        Assert.Equal("2 flows: 2 reply-denied (1 by a network ACL, 1 by a security group)", Verdict(run));
    }

    [Fact]
    public void No_packets()
    {
        Assert.Equal("No flows: no packets read", Verdict(App()));
    }

    [Fact]
    public void Only_undecodable_frames()
    {
        var run = App().Undecodable(0, DecodeError.BadIpHeaderLength);
        Assert.Equal("No flows: the only frame could not be decoded", Verdict(run));
        run.Undecodable(1, DecodeError.TruncatedLinkHeader);
        Assert.Equal("No flows: none of the 2 frames could be decoded", Verdict(run));
    }

    [Fact]
    public void Only_packets_out_of_scope_and_undecodable()
    {
        var run = App()
            .Udp(0, "192.0.2.1", 1, "192.0.2.2", 2)
            .NotIp(1, NotIpKind.Arp, 0x0806)
            .Undecodable(2, DecodeError.BadIpHeaderLength);
        Assert.Equal("No flows: 3 packets read, 2 out of scope, 1 undecodable", Verdict(run));
    }

    [Fact]
    public void Packets_of_flows_past_the_bound_are_not_left_unsaid()
    {
        var run = App()
            .Connection(0, "198.51.100.8", 40000, "10.0.2.10", 443)
            .Connection(1, "198.51.100.8", 40001, "10.0.2.10", 443);
        Assert.Equal("1 flow: 1 allowed; 4 packets of flows past the bound of 1 flow not counted here",
            Verdict(run, options: new Engine.Evaluation.EvaluationOptions { MaxFlows = 1 }));
    }

    [Fact]
    public void Colour_paints_the_counts_and_changes_no_word()
    {
        var run = App()
            .Connection(0, "198.51.100.8", 40000, "10.0.2.10", 443)
            .Connection(1, "198.51.100.8", 61000, "10.0.2.10", 443);
        var plain = Verdict(run);
        var coloured = Verdict(run, TextPalette.Ansi);
        Assert.Equal("2 flows: \u001b[32m1 allowed\u001b[0m, \u001b[31m1 reply-denied\u001b[0m by a network ACL", coloured);
        Assert.Equal(plain, TextPalette.Strip(coloured));
    }
}
