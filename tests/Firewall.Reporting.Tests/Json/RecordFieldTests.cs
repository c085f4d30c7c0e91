using System.Text;
using System.Text.Json;
using Firewall.Engine.Packets;
using Firewall.Reporting.Csv;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Json;

/// <summary>SPEC §5: every per-packet and per-flow field is present in every format, for every kind of packet and flow.</summary>
public sealed class RecordFieldTests
{
    public static readonly string[] SpecPacketFields =
        ["frame", "time", "proto", "src", "sport", "dst", "dport", "icmp_type", "icmp_code", "tcp_flags", "flow", "direction", "verdict", "rule", "hops"];

    public static readonly string[] ExtraPacketFields =
        ["length", "reason", "stateless_verdict", "stateless_rule", "notes", "error"];

    public static readonly string[] SpecFlowFields =
        ["flow", "proto", "client", "client_port", "server", "server_port", "first_frame", "packets", "outcome", "denied_by", "stateless_outcome"];

    public static readonly string[] ExtraFlowFields =
        ["first_time", "last_time", "bytes", "denied_frame", "stateless_denied_by", "tcp_state", "inferred", "tracking"];

    /// <summary>Allowed, denied, skipped and undecodable packets, TCP, UDP and ICMP, IPv4 and IPv6.</summary>
    private static TestRun Mixed() => new TestRun(TestRulesets.WithNumberedDeny)
        .Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443)
        .Connection(1, "2001:db8:ffff::7", 62000, "2001:db8:2::10", 443)
        .Echo(2, "198.51.100.7", "10.0.2.10", request: true, id: 3)
        .Udp(3, "192.0.2.1", 1000, "192.0.2.2", 2000)
        .Undecodable(4, DecodeError.TruncatedTransportHeader);

    private static string Write(ReportFormat format, ReportContent content)
    {
        var stream = new MemoryStream();
        var run = Mixed();
        using (var writer = ReportWriters.Create(format, stream, content, run.Rules))
        {
            var report = run.Evaluate(content.Packets ? writer : null);
            writer.Complete(report);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Json_packets_carry_every_field_for_every_verdict()
    {
        using var doc = JsonDocument.Parse(Write(ReportFormat.Json, new ReportContent(Packets: true, Flows: false)));
        var packets = doc.RootElement.GetProperty("packets").EnumerateArray().ToList();
        Assert.Equal(11, packets.Count);
        foreach (var p in packets)
        {
            Assert.Equal(SpecPacketFields.Concat(ExtraPacketFields).Order(), p.EnumerateObject().Select(x => x.Name).Order());
        }
        Assert.Equal(["allow", "deny", "skip", "undecodable"], packets.Select(p => p.GetProperty("verdict").GetString()).Distinct().Order());
        var denied = packets.First(p => p.GetProperty("verdict").GetString() == "deny");
        Assert.Equal("nacl:app-nacl:outbound:200", denied.GetProperty("rule").GetString());
        Assert.Equal("reply", denied.GetProperty("direction").GetString());
        Assert.Equal("nacl-deny-rule", denied.GetProperty("reason").GetString());
        var hops = denied.GetProperty("hops").EnumerateArray().ToList();
        Assert.Equal(["sg-outbound", "nacl-outbound"], hops.Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal(["conntrack:app-1", "nacl:app-nacl:outbound:200"], hops.Select(h => h.GetProperty("rule").GetString()));
        Assert.Equal(["allow", "deny"], hops.Select(h => h.GetProperty("result").GetString()));
        Assert.Equal(["tracked", "rule"], hops.Select(h => h.GetProperty("basis").GetString()));
        var undecodable = packets.Last();
        Assert.Equal("truncated-transport-header", undecodable.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, undecodable.GetProperty("rule").ValueKind);
        var echo = packets.Single(p => p.GetProperty("proto").GetString() == "icmp");
        Assert.Equal(8, echo.GetProperty("icmp_type").GetInt32());
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("sport").ValueKind);
    }

    [Fact]
    public void Json_flows_carry_every_field()
    {
        using var doc = JsonDocument.Parse(Write(ReportFormat.Json, new ReportContent(Packets: false, Flows: true)));
        var flows = doc.RootElement.GetProperty("flows").EnumerateArray().ToList();
        Assert.Equal(3, flows.Count);
        foreach (var f in flows)
        {
            Assert.Equal(SpecFlowFields.Concat(ExtraFlowFields).Order(), f.EnumerateObject().Select(x => x.Name).Order());
            var packets = f.GetProperty("packets");
            foreach (var direction in new[] { "request", "reply" })
            {
                Assert.True(packets.GetProperty(direction).TryGetProperty("allowed", out _));
                Assert.True(packets.GetProperty(direction).TryGetProperty("denied", out _));
            }
        }
        var windows = flows[0];
        Assert.Equal("reply-denied", windows.GetProperty("outcome").GetString());
        Assert.Equal("nacl:app-nacl:outbound:200", windows.GetProperty("denied_by").GetString());
        Assert.Equal("ESTABLISHED", windows.GetProperty("tcp_state").GetString());
        Assert.Equal("tracked", windows.GetProperty("tracking").GetString());
        Assert.Equal(2, windows.GetProperty("packets").GetProperty("reply").GetProperty("denied").GetInt32());
    }

    [Fact]
    public void Jsonl_records_have_a_type_and_the_same_fields()
    {
        var lines = Write(ReportFormat.Jsonl, new ReportContent(Packets: true, Flows: true)).TrimEnd('\n').Split('\n');
        Assert.Equal(11 + 3, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var type = doc.RootElement.GetProperty("type").GetString();
            var expected = type == "packet" ? SpecPacketFields.Concat(ExtraPacketFields) : SpecFlowFields.Concat(ExtraFlowFields);
            Assert.Equal(expected.Append("type").Order(), doc.RootElement.EnumerateObject().Select(x => x.Name).Order());
        }
    }

    [Fact]
    public void Jsonl_without_packets_or_flows_is_summary_records()
    {
        var lines = Write(ReportFormat.Jsonl, new ReportContent(false, false)).TrimEnd('\n').Split('\n');
        var types = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal("input", types[0]);
        Assert.Contains("totals", types);
        Assert.Contains("flow_totals", types);
        Assert.Contains("denying_rule", types);
        Assert.Contains("reply_drop", types);
        Assert.Contains("rule", types);
        Assert.Contains("assumption", types);
    }

    [Fact]
    public void Csv_headers_hold_every_field_and_rows_match_them()
    {
        Assert.Superset(SpecPacketFields.ToHashSet(), CsvReportWriter.PacketColumns.ToHashSet());
        string[] flowSpec = ["flow", "proto", "client", "client_port", "server", "server_port", "first_frame",
            "request_allowed", "request_denied", "reply_allowed", "reply_denied", "outcome", "denied_by", "stateless_outcome"];
        Assert.Superset(flowSpec.ToHashSet(), CsvReportWriter.FlowColumns.ToHashSet());

        var packets = Write(ReportFormat.Csv, new ReportContent(true, false)).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', CsvReportWriter.PacketColumns), packets[0]);
        Assert.Equal(12, packets.Length);
        Assert.All(packets, row => Assert.Equal(CsvReportWriter.PacketColumns.Length, row.Split(',').Length));
        Assert.Contains("deny,nacl:app-nacl:outbound:200,nacl-deny-rule,sg-outbound allow tracked conntrack:app-1;nacl-outbound deny rule nacl:app-nacl:outbound:200,", packets[2]);

        var flows = Write(ReportFormat.Csv, new ReportContent(false, true)).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join(',', CsvReportWriter.FlowColumns), flows[0]);
        Assert.Equal(4, flows.Length);
        Assert.All(flows, row => Assert.Equal(CsvReportWriter.FlowColumns.Length, row.Split(',').Length));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    public void Csv_escapes_per_rfc_4180(string field, string expected) => Assert.Equal(expected, CsvReportWriter.Escape(field));

    [Fact]
    public void Csv_refuses_a_report_without_exactly_one_table()
    {
        Assert.NotNull(ReportWriters.Refuse(ReportFormat.Csv, new ReportContent(false, false)));
        Assert.NotNull(ReportWriters.Refuse(ReportFormat.Csv, new ReportContent(true, true)));
        Assert.Null(ReportWriters.Refuse(ReportFormat.Csv, new ReportContent(true, false)));
    }

    [Theory]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Jsonl)]
    [InlineData(ReportFormat.Json)]
    public void Writing_a_packet_allocates_next_to_nothing(ReportFormat format)
    {
        var run = new TestRun(TestRulesets.WithNumberedDeny).Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443);
        var report = run.Evaluate();
        var rules = report.Rules;
        var packet = new PacketInfo
        {
            Frame = 1, TimestampNs = TestRun.T0, IpVersion = 4, Protocol = 6, Flags = PacketFlags.Ports | PacketFlags.Tcp,
            Src = Engine.Addressing.IpAddr.Parse("198.51.100.8"), Dst = Engine.Addressing.IpAddr.Parse("10.0.2.10"),
            SrcPort = 61000, DstPort = 443, TcpFlags = TcpFlag.Syn, OriginalLength = 60,
        };
        var result = new Engine.Evaluation.PacketResult { FlowId = 0, RuleId = 1, StatelessRuleId = 1, HopCount = 1 };
        var perPacket = WriterAllocation.PerPacket(format, rules, in packet, in result);
        Assert.True(perPacket < 8, $"{format}: {perPacket:F1} bytes allocated per packet");
    }
}

/// <summary>Outputs far larger than the writers' buffers come out whole: every record parses and none is lost.</summary>
public sealed class LargeOutputTests
{
    [Theory]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Jsonl)]
    [InlineData(ReportFormat.Json)]
    [InlineData(ReportFormat.Text)]
    public void Many_packets_survive_buffer_drains(ReportFormat format)
    {
        var run = new TestRun(TestRulesets.WithNumberedDeny);
        const int Connections = 2000; // 8000 packets: megabytes of output, many 64 KiB drains
        for (var i = 0; i < Connections; i++)
        {
            run.Connection(i * 0.01, "198.51.100.8", (ushort)(40000 + i), "10.0.2.10", 443);
        }
        var stream = new MemoryStream();
        using (var writer = ReportWriters.Create(format, stream, new ReportContent(true, false), run.Rules))
        {
            writer.Complete(run.Evaluate(writer));
        }
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.True(text.Length > 512 * 1024, $"only {text.Length} characters");
        switch (format)
        {
            case ReportFormat.Csv:
                var rows = text.TrimEnd('\n').Split('\n');
                Assert.Equal(Connections * 4 + 1, rows.Length);
                Assert.All(rows, r => Assert.Equal(CsvReportWriter.PacketColumns.Length, r.Split(',').Length));
                Assert.Equal(Connections * 4, int.Parse(rows[^1].Split(',')[0]));
                break;
            case ReportFormat.Jsonl:
                var lines = text.TrimEnd('\n').Split('\n');
                Assert.Equal(Connections * 4, lines.Length);
                Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
                break;
            case ReportFormat.Json:
                using (var doc = JsonDocument.Parse(text))
                {
                    Assert.Equal(Connections * 4, doc.RootElement.GetProperty("packets").GetArrayLength());
                }
                break;
            default:
                Assert.Equal(Connections * 4, text.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ *\d+ 2026-")));
                break;
        }
    }
    [Fact]
    public void Packet_addresses_stay_right_when_far_more_of_them_than_the_writer_remembers_alternate()
    {
        // The JSON writer keeps recent addresses as text; 3,000 distinct ones, revisited out of order, must
        // each come out as themselves whatever they displaced.
        var random = new Random(7);
        var addresses = Enumerable.Range(0, 3000).Select(i => i % 3 == 0
            ? $"2001:db8:{random.Next(0x10000):x}:{random.Next(0x10000):x}::{random.Next(1, 0x10000):x}"
            : $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}").ToArray();
        var run = new TestRun(TestRulesets.WithNumberedDeny);
        var sent = new List<(string Src, string Dst)>();
        for (var i = 0; i < 6000; i++)
        {
            var src = addresses[random.Next(addresses.Length)];
            var dst = addresses[random.Next(addresses.Length)];
            if (src.Contains(':') != dst.Contains(':'))
            {
                continue;
            }
            run.Udp(i * 0.001, src, 1000, dst, 2000);
            sent.Add((src, dst));
        }
        var stream = new MemoryStream();
        using (var writer = ReportWriters.Create(ReportFormat.Jsonl, stream, new ReportContent(Packets: true, Flows: false), run.Rules))
        {
            writer.Complete(run.Evaluate(writer));
        }
        var records = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "packet")
            .Select(r => (r.GetProperty("src").GetString()!, r.GetProperty("dst").GetString()!))
            .ToList();
        var expected = sent.Select(x => (System.Net.IPAddress.Parse(x.Src).ToString(), System.Net.IPAddress.Parse(x.Dst).ToString())).ToList();
        Assert.Equal(expected.Count, records.Count);
        Assert.Equal(expected, records);
    }
}
