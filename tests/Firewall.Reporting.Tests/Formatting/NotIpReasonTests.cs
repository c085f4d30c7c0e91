using System.Text;
using System.Text.Json;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Csv;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Formatting;

/// <summary>
/// A frame without an IP packet is skipped, not undecodable, and every packet output says why: the
/// <c>reason</c> field holds <c>not-ip: …</c> (docs/output-fields.md), <c>error</c> stays empty.
/// </summary>
public sealed class NotIpReasonTests
{
    private static TestRun Run() => new TestRun(TestRulesets.WithNumberedDeny)
        .NotIp(0, NotIpKind.Arp, 0x0806)
        .NotIp(1, NotIpKind.EtherType, 0x88cc)
        .NotIp(2, NotIpKind.Mpls, 0x8847)
        .NotIp(3, NotIpKind.Llc, 38)
        .NotIp(4, NotIpKind.Ipx, 0x8137)
        .NotIp(5, NotIpKind.Family, 7)
        .Undecodable(6, DecodeError.TruncatedIpHeader);

    private static readonly string[] Reasons =
        ["not-ip: arp", "not-ip: ethertype 0x88cc", "not-ip: mpls", "not-ip: llc", "not-ip: ipx", "not-ip: family 7"];

    private static string Write(ReportFormat format)
    {
        var stream = new MemoryStream();
        var run = Run();
        using (var writer = ReportWriters.Create(format, stream, new ReportContent(Packets: true, Flows: false), run.Rules))
        {
            writer.Complete(run.Evaluate(writer));
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData(NotIpKind.None, 0u, "")]
    [InlineData(NotIpKind.Arp, 0x0806u, "not-ip: arp")]
    [InlineData(NotIpKind.Ipx, 0x8137u, "not-ip: ipx")]
    [InlineData(NotIpKind.Llc, 46u, "not-ip: llc")]
    [InlineData(NotIpKind.Mpls, 0x8847u, "not-ip: mpls")]
    [InlineData(NotIpKind.EtherType, 0x88ccu, "not-ip: ethertype 0x88cc")]
    [InlineData(NotIpKind.EtherType, 0x0004u, "not-ip: ethertype 0x0004")]
    [InlineData(NotIpKind.Family, 7u, "not-ip: family 7")]
    [InlineData(NotIpKind.Family, uint.MaxValue, "not-ip: family 4294967295")]
    public void Text_of_each_kind(NotIpKind kind, uint type, string expected)
    {
        Assert.Equal(expected, NotIpText.Name(kind, type));
        Assert.True(expected.Length <= NotIpText.MaxLength);
    }

    [Fact]
    public void Every_kind_has_a_text() =>
        Assert.All(Enum.GetValues<NotIpKind>().Where(k => k != NotIpKind.None), k => Assert.StartsWith("not-ip: ", NotIpText.Name(k, 0x1234)));

    [Fact]
    public void Json_and_jsonl_give_the_reason_and_no_error()
    {
        using var doc = JsonDocument.Parse(Write(ReportFormat.Json));
        var packets = doc.RootElement.GetProperty("packets").EnumerateArray().ToList();
        var jsonl = Write(ReportFormat.Jsonl).Split('\n').Where(l => l.Contains("\"type\":\"packet\"")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var records in new[] { packets, jsonl })
        {
            Assert.Equal(7, records.Count);
            for (var i = 0; i < Reasons.Length; i++)
            {
                Assert.Equal("skip", records[i].GetProperty("verdict").GetString());
                Assert.Equal("skip", records[i].GetProperty("rule").GetString());
                Assert.Equal(Reasons[i], records[i].GetProperty("reason").GetString());
                Assert.Equal(JsonValueKind.Null, records[i].GetProperty("error").ValueKind);
                Assert.Equal(JsonValueKind.Null, records[i].GetProperty("proto").ValueKind);
            }
            Assert.Equal("undecodable", records[6].GetProperty("verdict").GetString());
            Assert.Equal(JsonValueKind.Null, records[6].GetProperty("reason").ValueKind);
            Assert.Equal("truncated-ip-header", records[6].GetProperty("error").GetString());
        }
        var totals = doc.RootElement.GetProperty("summary").GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("skipped").GetInt64());
        Assert.Equal(1, totals.GetProperty("undecodable").GetInt64());
    }

    [Fact]
    public void Csv_gives_the_reason_column()
    {
        var rows = Write(ReportFormat.Csv).TrimEnd('\n').Split('\n');
        var reason = Array.IndexOf(CsvReportWriter.PacketColumns, "reason");
        var error = Array.IndexOf(CsvReportWriter.PacketColumns, "error");
        for (var i = 0; i < Reasons.Length; i++)
        {
            var cells = rows[i + 1].Split(',');
            Assert.Equal(CsvReportWriter.PacketColumns.Length, cells.Length);
            Assert.Equal(Reasons[i], cells[reason]);
            Assert.Equal("", cells[error]);
        }
        Assert.Equal("truncated-ip-header", rows[7].Split(',')[error]);
    }

    [Fact]
    public void Text_names_what_the_frame_carries()
    {
        var lines = Write(ReportFormat.Text).Split('\n');
        Assert.Contains(lines, l => l.EndsWith("Z not-ip: arp  skip skip", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Z not-ip: ethertype 0x88cc  skip skip", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Z not-ip: family 7  skip skip", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Z ?  undecodable truncated-ip-header", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Jsonl)]
    [InlineData(ReportFormat.Json)]
    public void Writing_a_non_ip_packet_allocates_next_to_nothing(ReportFormat format)
    {
        var rules = Run().Rules;
        var packet = new PacketInfo { Frame = 1, TimestampNs = TestRun.T0, NotIp = NotIpKind.EtherType, NotIpType = 0x88cc, OriginalLength = 60 };
        var result = new PacketResult { Verdict = Verdict.Skip, FlowId = -1, StatelessVerdict = Verdict.Skip };
        var perPacket = WriterAllocation.PerPacket(format, rules, in packet, in result);
        Assert.True(perPacket < 8, $"{format}: {perPacket:F1} bytes allocated per packet");
    }
}
