using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Synthesis;
using Firewall.Runs;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary>
/// A responder answers only what was delivered to it: a denied SYN gets no SYN/ACK, a denied echo request
/// no reply, and a dropped reply is not followed by the client's next step.
/// </summary>
public class ClosedLoopTests
{
    private static List<EvaluatedPacket> Run(string flows)
    {
        var compiled = TestFiles.Compile(TestFiles.WebTier);
        var file = TestFiles.LoadFlows("ruleset: web-tier.yaml\nflows:\n" + flows, compiled.Model);
        var recorder = new PacketRecorder();
        using var source = new DeliveredPackets(file);
        PacketRun.Evaluate(source, compiled, EvaluationOptions.Default, new RunNames("", ""), recorder);
        return [.. recorder.Packets];
    }

    [Fact]
    public void A_denied_syn_is_never_answered()
    {
        var packets = Run("  - { flow: \"tcp 198.51.100.7:* -> web-1:5432\", exchange: full }");
        var only = Assert.Single(packets);
        Assert.Equal(TcpFlag.Syn, only.Packet.TcpFlags);
        Assert.Equal(Verdict.Deny, only.Result.Verdict);
    }

    [Fact]
    public void A_denied_request_gets_no_reply_in_any_repetition()
    {
        var packets = Run("  - { flow: \"udp 198.51.100.7:* -> web-1:5000\", exchange: request-reply, count: 2 }");
        Assert.Equal(2, packets.Count);
        Assert.All(packets, p => Assert.False(p.Result.IsReply));
        Assert.All(packets, p => Assert.Equal(Verdict.Deny, p.Result.Verdict));
    }

    [Fact]
    public void A_dropped_reply_ends_the_exchange_there()
    {
        // web-1 asks a resolver outside: the request passes, public-nacl has no inbound UDP rule for the answer.
        var packets = Run("  - { flow: \"udp web-1:* -> 198.51.100.7:53\", exchange: request-reply }\n"
            + "  - { flow: \"tcp web-1:* -> 198.51.100.7:443\", exchange: full }");
        var udp = packets.Where(p => p.Packet.Protocol == IpProtocol.Udp).ToList();
        Assert.Equal([Verdict.Allow, Verdict.Deny], udp.Select(p => p.Result.Verdict));
        // The TCP flow is untouched by the other flow's drop: all eight packets of a full exchange
        // (handshake, request, response, FIN each way, last ACK).
        Assert.Equal(8, packets.Count(p => p.Packet.Protocol == IpProtocol.Tcp));
    }

    [Fact]
    public void Every_exchange_is_whole_when_nothing_is_denied()
    {
        var file = TestFiles.LoadFlows(SynthCaptureTests.EveryExchange);
        using var traffic = new SynthesizedTraffic(file);
        var count = 0;
        while (traffic.MoveNext())
        {
            count++;
        }
        Assert.Equal(FlowSynthesizer.Synthesize(file).Count(), count);
    }

    [Fact]
    public void The_sender_of_a_dropped_packet_finishes_what_it_sends_unprompted()
    {
        // A full TCP exchange: the client's handshake ACK is dropped. The client does not know, and sends
        // its request right behind it; the server, which saw neither, never answers.
        var file = TestFiles.LoadFlows("flows:\n  - { flow: \"tcp 10.0.0.1:40000 -> 10.0.0.2:80\", exchange: full, count: 2 }");
        var open = FlowSynthesizer.Synthesize(file).ToList();
        const int handshakeAck = 2;
        Assert.Equal(TcpFlag.Ack, open[handshakeAck].TcpFlags);
        var clientRun = open.Skip(handshakeAck).TakeWhile(p => !p.FromServer).Count();
        Assert.True(clientRun > 1, "the request should follow the ACK without waiting");

        using var traffic = new SynthesizedTraffic(file);
        var sent = new List<SynthPacket>();
        while (traffic.MoveNext())
        {
            sent.Add(traffic.Current);
            if (sent.Count == handshakeAck + 1)
            {
                traffic.NotDelivered();
            }
        }
        var first = sent.Where(p => p.Repetition == 0).ToList();
        Assert.Equal(handshakeAck + clientRun, first.Count);
        Assert.True(first.Skip(handshakeAck).All(p => !p.FromServer));
        // The next repetition is a new conversation: whole.
        Assert.Equal(open.Count(p => p.Repetition == 1), sent.Count(p => p.Repetition == 1));
    }
}
