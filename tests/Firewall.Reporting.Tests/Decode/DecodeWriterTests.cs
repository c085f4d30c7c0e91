using System.Text;
using System.Text.Json;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;
using Firewall.Reporting.Decode;
using Firewall.Tests.Support.Captures;

namespace Firewall.Reporting.Tests.Decode;

public class DecodeWriterTests
{
    private const string Header =
        "frame,time,linktype,src,dst,proto,sport,dport,icmp_type,icmp_code,icmp_id,tcp_flags,frag_offset,more_fragments,frag_id,"
        + "inner_src,inner_dst,inner_proto,inner_sport,inner_dport,vlan,error";

    private static string[] WriteEdgeCases(DecodeFormat format, bool decapsulate = false)
    {
        using var packets = new PacketReader(CaptureReader.Open(new MemoryStream(EdgeCaseCapture.Build()), "edge"),
            new DecoderOptions { DecapsulateVxlan = decapsulate });
        var text = new StringWriter();
        var rows = DecodeWriter.Write(packets.TryReadNext, text, format);
        var lines = text.ToString().Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal(packets.Counts.Frames, rows);
        return lines[..^1];
    }

    [Fact]
    public void Csv_header_and_rows_in_column_order()
    {
        var lines = WriteEdgeCases(DecodeFormat.Csv);
        Assert.Equal(Header, lines[0]);
        Assert.Equal(string.Join(',', DecodeWriter.Columns), lines[0]);
        Assert.Equal(35, lines.Length);
        Assert.Equal("1,2026-01-01T10:00:00.000000000Z,1,192.0.2.1,198.51.100.2,6,51514,443,,,,S,0,0,1,,,,,,,", lines[1]);
        Assert.Equal("2,2026-01-01T10:00:00.001000123Z,1,198.51.100.2,192.0.2.1,6,443,51514,,,,S.,0,0,2,,,,,,,", lines[2]);
        // ICMP echo request: identifier; ICMP error: the quoted header.
        Assert.Equal("4,2026-01-01T10:00:00.003000369Z,1,10.0.0.1,10.0.0.2,1,,,8,0,4660,,0,0,4660,,,,,,,", lines[4]);
        Assert.Equal("6,2026-01-01T10:00:00.005000615Z,1,192.0.2.53,10.0.0.5,1,,,3,3,,,0,0,4660,10.0.0.5,192.0.2.53,17,40000,53,,", lines[6]);
        // IPv4 first and later fragment.
        Assert.Equal("8,2026-01-01T10:00:00.007000861Z,1,10.0.0.1,10.0.0.2,17,7000,7001,,,,,0,1,21845,,,,,,,", lines[8]);
        Assert.Equal("9,2026-01-01T10:00:00.008000984Z,1,10.0.0.1,10.0.0.2,17,,,,,,,40,0,21845,,,,,,,", lines[9]);
        // ARP: no IP columns, and the error column says why.
        Assert.Equal("11,2026-01-01T10:00:00.010001230Z,1,,,,,,,,,,,,,,,,,,,not-ip: arp", lines[11]);
        // QinQ: the outer (service) VLAN.
        Assert.EndsWith(",,,,,,200,", lines[13]);
        // IPv6: fragment columns only with a fragment header.
        Assert.Equal("14,2026-01-01T10:00:00.013001599Z,1,2001:db8::1,2001:db8:1::10,6,50000,22,,,,S,,,,,,,,,,", lines[14]);
        Assert.Equal("17,2026-01-01T10:00:00.016001968Z,1,2001:db8::1,2001:db8:1::10,17,,,,,,,24,0,2882400001,,,,,,,", lines[17]);
        Assert.Equal("21,2026-01-01T10:00:00.020002460Z,1,::ffff:192.0.2.1,2001:db8::1:0:0:1,59,,,,,,,,,,,,,,,,", lines[21]);
        // MPLS: IPv4 under two labels in VLAN 100; IPv6 in an Ethernet pseudowire; a G-ACh packet.
        Assert.Equal("32,2026-01-01T10:00:00.031003813Z,1,192.0.2.1,198.51.100.2,6,51514,443,,,,S,0,0,1,,,,,,100,", lines[32]);
        Assert.Equal("33,2026-01-01T10:00:00.032003936Z,1,2001:db8::1,2001:db8::2,6,50002,22,,,,S,,,,,,,,,,", lines[33]);
        Assert.Equal("34,2026-01-01T10:00:00.033004059Z,1,,,,,,,,,,,,,,,,,,,not-ip: mpls", lines[34]);
    }

    [Fact]
    public void Vxlan_rows_show_the_inner_packet_when_decapsulating()
    {
        var plain = WriteEdgeCases(DecodeFormat.Csv)[22];
        var inner = WriteEdgeCases(DecodeFormat.Csv, decapsulate: true)[22];
        Assert.Equal("22,2026-01-01T10:00:00.021002583Z,1,172.31.0.10,172.31.0.20,17,49152,4789,,,,,0,0,4660,,,,,,,", plain);
        Assert.Equal("22,2026-01-01T10:00:00.021002583Z,1,10.1.0.5,10.1.0.6,6,33000,3306,,,,P.,0,0,4660,,,,,,42,", inner);
    }

    [Fact]
    public void Jsonl_has_every_key_in_order_with_nulls()
    {
        var lines = WriteEdgeCases(DecodeFormat.Jsonl);
        Assert.Equal(34, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(DecodeWriter.Columns, doc.RootElement.EnumerateObject().Select(p => p.Name));
        }
        Assert.Equal(
            """{"frame":6,"time":"2026-01-01T10:00:00.005000615Z","linktype":1,"src":"192.0.2.53","dst":"10.0.0.5","proto":1,"sport":null,"dport":null,"icmp_type":3,"icmp_code":3,"icmp_id":null,"tcp_flags":null,"frag_offset":0,"more_fragments":false,"frag_id":4660,"inner_src":"10.0.0.5","inner_dst":"192.0.2.53","inner_proto":17,"inner_sport":40000,"inner_dport":53,"vlan":null,"error":null}""",
            lines[5]);
    }

    [Fact]
    public void Undecodable_frames_name_their_reason()
    {
        var info = new PacketInfo { Frame = 3, TimestampNs = -1 };
        PacketDecoder.Decode(new byte[] { 0x45, 0, 0 }, LinkTypes.Raw, default, ref info);
        var csv = new StringWriter();
        var writer = new DecodeWriter(csv, DecodeFormat.Csv);
        writer.Write(info);
        writer.Flush();
        Assert.Equal("3,1969-12-31T23:59:59.999999999Z,101,,,,,,,,,,,,,,,,,,,truncated-ip-header\n", csv.ToString());

        var json = new StringWriter();
        writer = new DecodeWriter(json, DecodeFormat.Jsonl);
        writer.Write(info);
        writer.Flush();
        Assert.EndsWith("\"vlan\":null,\"error\":\"truncated-ip-header\"}\n", json.ToString());
    }

    [Fact]
    public void Non_ip_frames_say_why_in_the_error_column()
    {
        var lines = WriteEdgeCases(DecodeFormat.Jsonl);
        using var arp = JsonDocument.Parse(lines[10]);
        Assert.Equal(11, arp.RootElement.GetProperty("frame").GetInt32());
        Assert.Equal("not-ip: arp", arp.RootElement.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, arp.RootElement.GetProperty("src").ValueKind);

        var info = new PacketInfo { Frame = 1 };
        PacketDecoder.Decode(PacketBytes.Ethernet(0x88cc, new byte[46]), LinkTypes.Ethernet, default, ref info);
        var csv = new StringWriter();
        var writer = new DecodeWriter(csv, DecodeFormat.Csv);
        writer.Write(info);
        writer.Flush();
        Assert.EndsWith(",,,,,,,,,,,,,,,,,,,not-ip: ethertype 0x88cc\n", csv.ToString());
    }

    [Theory]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]   // a single zero group stays
    [InlineData("1:0:0:2:0:0:3:4", "1::2:0:0:3:4")]                // tie: the first run
    [InlineData("fe80:0:0:1:0:0:0:1", "fe80:0:0:1::1")]            // the longest run
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]           // IPv4-mapped
    [InlineData("::192.0.2.1", "::192.0.2.1")]                     // IPv4-compatible, as BSD inet_ntop prints it
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Ipv6_text_as_wireshark_prints_it(string address, string expected)
    {
        var info = new PacketInfo { IpVersion = 6, Src = IpAddr.Parse(address), Dst = IpAddr.Parse("::1") };
        var csv = new StringWriter();
        var writer = new DecodeWriter(csv, DecodeFormat.Csv);
        writer.Write(info);
        writer.Flush();
        Assert.Equal(expected, csv.ToString().Split(',')[3]);
    }

    [Fact]
    public void Writing_rows_allocates_nothing_per_row()
    {
        using var packets = new PacketReader(CaptureReader.Open(new MemoryStream(EdgeCaseCapture.Build()), "edge"), default);
        var infos = new List<PacketInfo>();
        var info = new PacketInfo();
        while (packets.TryReadNext(ref info))
        {
            infos.Add(info);
        }
        foreach (var format in new[] { DecodeFormat.Csv, DecodeFormat.Jsonl })
        {
            using var sink = new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16);
            var writer = new DecodeWriter(sink, format);
            for (var i = 0; i < 2000; i++)
            {
                writer.Write(infos[i % infos.Count]);
            }
            // Up to three rounds: the runtime may allocate a few kilobytes on this thread while the JIT's
            // tiering settles; one round with nothing allocated is the steady state, and allocating per row
            // would show in every round.
            var rounds = new List<long>();
            for (var round = 0; round < 3 && (rounds.Count == 0 || rounds[^1] != 0); round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 100_000; i++)
                {
                    writer.Write(infos[i % infos.Count]);
                }
                writer.Flush();
                rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(rounds[^1] == 0, $"{format}: bytes over rounds of 100000 rows: {string.Join(", ", rounds)}");
            Assert.All(rounds, bytes => Assert.True(bytes < 100_000, $"{format}: {bytes} bytes over 100000 rows"));
        }
    }
}
