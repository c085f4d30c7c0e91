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
    public void Every_state_has_a_timeout_and_a_name()
    {
        var settings = Firewall.Engine.Model.TrackingSettings.Default with { TcpSynSent = 121, TcpSynRecv = 61, TcpEstablished = 3600, TcpFinWait = 122, TcpCloseWait = 62, TcpLastAck = 31, TcpTimeWait = 123, TcpClose = 11 };
        var timeouts = new EntryTimeouts(settings);
        var expected = new Dictionary<TcpState, int>
        {
            [SynSent] = 121, [SynSent2] = 121, [SynRecv] = 61, [Established] = 3600, [FinWait] = 122,
            [CloseWait] = 62, [LastAck] = 31, [TimeWait] = 123, [Close] = 11,
        };
        foreach (var (state, seconds) in expected)
        {
            Assert.Equal(seconds * 1_000_000_000L, timeouts.Tcp(state));
            Assert.Equal(seconds * 1_000_000_000L, timeouts.Of(TrackKind.Tcp, state, stream: false));
            Assert.Matches("^[A-Z_0-9]+$", TcpStateMachine.Name(state));
        }
    }

    [Fact]
    public void Udp_streams_icmp_and_other_protocols_have_their_own_timeouts()
    {
        var settings = Firewall.Engine.Model.TrackingSettings.Default with { Udp = 45, UdpStream = 170, Icmp = 33, Other = 590 };
        var timeouts = new EntryTimeouts(settings);
        Assert.Equal(45_000_000_000L, timeouts.Of(TrackKind.Udp, TcpState.None, stream: false));
        Assert.Equal(170_000_000_000L, timeouts.Of(TrackKind.Udp, TcpState.None, stream: true));
        Assert.Equal(33_000_000_000L, timeouts.Of(TrackKind.IcmpEcho, TcpState.None, stream: false));
        Assert.Equal(590_000_000_000L, timeouts.Of(TrackKind.Other, TcpState.None, stream: false));
    }

    /// <summary>
    /// Every one of the table's 120 cells (2 directions × 6 packet kinds × 10 states) against the table the
    /// documentation prints (docs/semantics.md, "The TCP state table"), so neither can drift from the other.
    /// </summary>
    [Fact]
    public void Every_cell_matches_the_documented_table()
    {
        var docs = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "semantics.md"));
        var tables = DocumentedTables(docs);
        Assert.Equal(2, tables.Count);
        var kinds = new Dictionary<string, TcpPacketKind>
        {
            ["SYN"] = Syn, ["SYN/ACK"] = SynAck, ["FIN"] = Fin, ["ACK"] = Ack, ["RST"] = Rst, ["none"] = TcpPacketKind.None,
        };
        var cells = 0;
        for (var direction = 0; direction < 2; direction++)
        {
            var (header, rows) = tables[direction];
            Assert.Equal(6, rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(11, row.Length);
                for (var column = 1; column < row.Length; column++)
                {
                    var from = State(header[column]);
                    var expected = State(row[column]);
                    Assert.True(expected == TcpStateMachine.Next(direction == 1, kinds[row[0]], from),
                        $"{(direction == 1 ? "reply" : "original")} {row[0]} in {header[column]}: documented {row[column]}, table {TcpStateMachine.Next(direction == 1, kinds[row[0]], from)}");
                    cells++;
                }
            }
        }
        Assert.Equal(120, cells);
    }

    private static List<(string[] Header, List<string[]> Rows)> DocumentedTables(string[] lines)
    {
        var section = Array.FindIndex(lines, l => l.StartsWith("### The TCP state table", StringComparison.Ordinal));
        Assert.True(section >= 0, "docs/semantics.md has no section \"The TCP state table\"");
        var tables = new List<(string[], List<string[]>)>();
        for (var i = section + 1; i < lines.Length && !lines[i].StartsWith('#'); i++)
        {
            if (!lines[i].StartsWith("| kind |", StringComparison.Ordinal))
            {
                continue;
            }
            var header = Cells(lines[i]);
            var rows = new List<string[]>();
            for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
            {
                rows.Add(Cells(lines[i]));
            }
            tables.Add((header, rows));
        }
        return tables;
    }

    private static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    private static TcpState State(string abbreviation) => abbreviation switch
    {
        "NO" => TcpState.None, "SS" => SynSent, "SR" => SynRecv, "ES" => Established, "FW" => FinWait,
        "CW" => CloseWait, "LA" => LastAck, "TW" => TimeWait, "CL" => Close, "S2" => SynSent2,
        "IV" => Invalid, "IG" => Ignore, "RO" => Reopen,
        _ => throw new InvalidOperationException($"unknown state '{abbreviation}' in the documented table"),
    };
}
