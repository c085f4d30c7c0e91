using Firewall.Engine.Tracking;
using static Firewall.Engine.Tracking.TcpPacketKind;
using static Firewall.Engine.Tracking.TcpState;

namespace Firewall.Engine.Tests.Tracking;

/// <summary>Cells of the state table that matter, written from reference/conntrack.md §2.2.</summary>
public class TcpStateMachineTests
{
    [Theory]
    // original direction
    [InlineData(false, Syn, TcpState.None, SynSent)]          // a new connection
    [InlineData(false, Syn, SynSent, SynSent)]       // SYN retransmission
    [InlineData(false, Ack, TcpState.None, Established)]      // mid-stream pickup
    [InlineData(false, Ack, SynRecv, Established)]   // third packet of the handshake
    [InlineData(false, Ack, SynSent, Invalid)]       // client ACK before any SYN/ACK
    [InlineData(false, SynAck, TcpState.None, Invalid)]       // SYN/ACK never opens from the client side
    [InlineData(false, Fin, Established, FinWait)]
    [InlineData(false, Fin, SynSent, Invalid)]
    [InlineData(false, Ack, LastAck, TimeWait)]      // ACK of the last FIN
    [InlineData(false, Syn, TimeWait, Reopen)]
    [InlineData(false, Syn, Close, Reopen)]
    [InlineData(false, Syn, Established, Ignore)]
    [InlineData(false, Rst, Established, Close)]
    [InlineData(false, TcpPacketKind.None, Established, Invalid)] // a segment with no flags
    // reply direction
    [InlineData(true, SynAck, SynSent, SynRecv)]     // second packet of the handshake
    [InlineData(true, Syn, SynSent, SynSent2)]       // simultaneous open
    [InlineData(true, Ack, SynSent, Ignore)]
    [InlineData(true, Ack, SynRecv, SynRecv)]
    [InlineData(true, Ack, Established, Established)]
    [InlineData(true, SynAck, Established, Ignore)]  // retransmitted SYN/ACK
    [InlineData(true, Fin, FinWait, LastAck)]        // second FIN
    [InlineData(true, Ack, FinWait, CloseWait)]      // ACK of the first FIN
    [InlineData(true, Syn, Established, Invalid)]
    [InlineData(true, Syn, TimeWait, Reopen)]        // server switched role
    [InlineData(true, Rst, SynSent, Close)]          // connection refused
    public void Transition(bool reply, TcpPacketKind kind, TcpState from, TcpState to) =>
        Assert.Equal(to, TcpStateMachine.Next(reply, kind, from));

    [Theory]
    [InlineData("S", Syn)]
    [InlineData("S.", SynAck)]
    [InlineData("F.", Fin)]
    [InlineData("FP.", Fin)]
    [InlineData("R.", Rst)]
    [InlineData("SR", Rst)]
    [InlineData(".", Ack)]
    [InlineData("P.", Ack)]
    [InlineData("", TcpPacketKind.None)]
    public void Packet_kinds_follow_netfilter_priority(string flags, TcpPacketKind kind) =>
        Assert.Equal(kind, TcpStateMachine.Classify(Support.Packets.ParseFlags(flags)));

    [Fact]
    public void Every_state_has_a_timeout_name()
    {
        foreach (var state in new[] { SynSent, SynRecv, Established, FinWait, CloseWait, LastAck, TimeWait, Close, SynSent2 })
        {
            Assert.True(TcpStateMachine.Timeout(state, Firewall.Engine.Model.TrackingSettings.Default) > 0);
            Assert.Matches("^[A-Z_0-9]+$", TcpStateMachine.Name(state));
        }
    }
}
