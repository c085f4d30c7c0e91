using System.Buffers.Binary;
using Firewall.Engine.Packets;
using Firewall.Flows.Synthesis;
using PacketDotNet;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary>The packets themselves: flags in order, sequence numbers that advance with the data, valid checksums.</summary>
public class FrameTests
{
    private static List<SynthPacket> Packets(string flow)
    {
        var file = TestFiles.LoadFlows($"ruleset: web-tier.yaml\nflows:\n  - {flow}\n", TestFiles.LoadRuleset(TestFiles.WebTier));
        return FlowSynthesizer.Synthesize(file).ToList();
    }

    [Fact]
    public void FullTcpExchangeHasHandshakeDataAndClose()
    {
        var p = Packets("tcp 198.51.100.7:51514 -> web-1:443");
        Assert.Equal(
            ["S", "S.", ".", "P.", "P.", "F.", "F.", "."],
            p.Select(x => TcpFlag.Format(x.TcpFlags)));
        Assert.Equal([false, true, false, false, true, false, true, false], p.Select(x => x.FromServer));
        var c = p[0].Seq;
        var s = p[1].Seq;
        Assert.Equal(c + 1, p[1].Ack);
        Assert.Equal((c + 1, s + 1), (p[2].Seq, p[2].Ack));
        var request = (uint)p[3].PayloadLength;
        var response = (uint)p[4].PayloadLength;
        Assert.True(request > 0 && response > 0);
        Assert.Equal((s + 1, c + 1 + request), (p[4].Seq, p[4].Ack));
        Assert.Equal((c + 1 + request, s + 1 + response), (p[5].Seq, p[5].Ack));
        Assert.Equal((s + 1 + response, c + 2 + request), (p[6].Seq, p[6].Ack));
        Assert.Equal((c + 2 + request, s + 2 + response), (p[7].Seq, p[7].Ack));
        Assert.True(p.Zip(p.Skip(1)).All(x => x.First.TimestampNs < x.Second.TimestampNs));
    }

    [Theory]
    [InlineData("{ flow: \"tcp 198.51.100.7:* -> web-1:443\", exchange: handshake }", "S|S.|.")]
    [InlineData("{ flow: \"tcp 198.51.100.7:* -> web-1:443\", exchange: syn-only }", "S")]
    [InlineData("{ flow: \"tcp 198.51.100.7:* -> web-1:443\", exchange: reset }", "S|R.")]
    public void OtherTcpExchanges(string flow, string flags)
    {
        Assert.Equal(flags.Split('|'), Packets(flow).Select(x => TcpFlag.Format(x.TcpFlags)));
    }

    [Fact]
    public void ReplyAfterDelaysTheFirstReplyOnly()
    {
        var p = Packets("{ flow: \"udp web-1:* -> 192.0.2.53:53\", reply_after: 40s, count: 2, gap: 5s }");
        Assert.Equal(4, p.Count);
        Assert.Equal(40_000_000_000L, p[1].TimestampNs - p[0].TimestampNs);
        Assert.Equal(5_000_000_000L, p[2].TimestampNs - p[1].TimestampNs);
        Assert.NotEqual(p[0].SrcPort, p[2].SrcPort); // a new ephemeral port per repetition
        Assert.InRange(p[0].SrcPort, 32768, 60999);
        Assert.Equal(p[0].SrcPort, p[1].DstPort);
    }

    [Fact]
    public void EphemeralPortsAreReproducible()
    {
        var a = Packets("tcp 198.51.100.7:* -> web-1:443").Select(x => (x.SrcPort, x.Seq, x.TimestampNs));
        var b = Packets("tcp 198.51.100.7:* -> web-1:443").Select(x => (x.SrcPort, x.Seq, x.TimestampNs));
        Assert.Equal(a, b);
    }

    [Fact]
    public void LargeResponsesAreSplitIntoSegmentsThatAdvanceTheSequence()
    {
        var c = FlowSynthesizer.ConversationOf(TestFiles.LoadFlows("flows: [ tcp 10.0.0.1:40000 -> 10.0.0.2:443 ]").Flows[0], 0, 0);
        c.ResponseBytes = 5000;
        var list = new List<SynthPacket>();
        ConversationBuilder.Build(c, list);
        var data = list.Where(x => x.FromServer && x.PayloadLength > 0).ToList();
        Assert.Equal(4, data.Count);
        Assert.Equal(5000, data.Sum(x => x.PayloadLength));
        for (var i = 1; i < data.Count; i++)
        {
            Assert.Equal(data[i - 1].Seq + (uint)data[i - 1].PayloadLength, data[i].Seq);
        }
    }

    /// <summary>The allocation-free writer and PacketDotNet produce the same bytes, and PacketDotNet accepts their checksums.</summary>
    [Fact]
    public void RawWriterMatchesPacketDotNetAndChecksumsAreValid()
    {
        var file = TestFiles.LoadFlows(SynthCaptureTests.EveryExchange);
        var buffer = new byte[4096];
        var count = 0;
        foreach (var s in FlowSynthesizer.Synthesize(file))
        {
            var built = PacketDotNetFrameBuilder.Build(in s);
            var n = FrameWriter.Write(in s, buffer);
            Assert.Equal(Convert.ToHexString(built), Convert.ToHexString(buffer, 0, n));

            var packet = Packet.ParsePacket(LinkLayers.Ethernet, buffer[..n]);
            if (packet.Extract<IPv4Packet>() is { } v4)
            {
                Assert.True(v4.ValidIPChecksum);
            }
            if (packet.Extract<TcpPacket>() is { } tcp)
            {
                Assert.True(tcp.ValidTcpChecksum);
            }
            if (packet.Extract<UdpPacket>() is { } udp)
            {
                Assert.True(udp.ValidUdpChecksum);
            }
            if (packet.Extract<IcmpV4Packet>() is { } icmp)
            {
                Assert.True(icmp.ValidIcmpChecksum);
            }
            if (s.Protocol == 58)
            {
                // Verified by recomputation (RFC 4443 §2.3): summing the pseudo-header and the message, checksum included, gives 0xffff.
                var ip = buffer.AsSpan(14, n - 14);
                Assert.Equal(0, FrameWriter.PseudoHeaderChecksum(s.Src, s.Dst, 58, ip[40..]));
            }
            count++;
        }
        Assert.True(count > 40);
    }

    [Fact]
    public void IcmpErrorQuotesTheOriginalPacketHeader()
    {
        var p = Packets("{ flow: \"icmp 10.0.1.1 -> 198.51.100.7\", icmp_type: 3, icmp_code: 4, quoting: \"tcp 198.51.100.7:50000 -> 10.0.1.10:443\" }");
        var error = Assert.Single(p);
        var frame = new byte[error.FrameLength];
        FrameWriter.Write(in error, frame);
        var icmp = frame.AsSpan(14 + 20);
        Assert.Equal((3, 4), (icmp[0], icmp[1]));
        Assert.Equal(1400, BinaryPrimitives.ReadUInt16BigEndian(icmp[6..])); // next-hop MTU (RFC 1191)
        var quoted = icmp[8..];
        Assert.Equal(0x45, quoted[0]);
        Assert.Equal(6, quoted[9]);
        Assert.Equal(50000, BinaryPrimitives.ReadUInt16BigEndian(quoted[20..]));
        Assert.Equal(443, BinaryPrimitives.ReadUInt16BigEndian(quoted[22..]));
        Assert.Equal(28, quoted.Length);
    }
}
