using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>decode</c> and <c>check</c> on the crafted and derived captures of tests/captures that Wireshark and
/// tcpdump read (MPLS, frames without IP, ...): what each frame carries is said in every output.
/// Field-by-field agreement with tshark is TsharkCrossCheckTests' job; this checks the commands' rows.
/// </summary>
public sealed class DecodingParityTests
{
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    private static List<JsonElement> DecodeRows(string capture)
    {
        var r = InProcessCli.Run(["decode", Repository.PathOf(capture), "--format", "jsonl"]);
        Assert.Equal(0, r.ExitCode);
        return r.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private static List<JsonElement> CheckPackets(string capture, out CliResult result)
    {
        result = InProcessCli.Run(["check", Repository.PathOf(capture), "--ruleset", Ruleset, "--packets", "--format", "jsonl"]);
        Assert.Equal(0, result.ExitCode);
        return result.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "packet").ToList();
    }

    private static string? Text(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).ToString();

    [Fact]
    public void Frames_without_ip_say_what_they_carry()
    {
        string[] expected = ["not-ip: arp", "not-ip: arp", "not-ip: ethertype 0x88cc", "not-ip: ipx", "not-ip: llc", "not-ip: arp"];
        Assert.Equal(expected, DecodeRows("tests/captures/non-ip.pcap").Select(e => Text(e, "error")));
        var packets = CheckPackets("tests/captures/non-ip.pcap", out _);
        Assert.Equal(expected, packets.Select(e => Text(e, "reason")));
        Assert.All(packets, p => Assert.Equal(("skip", (string?)null), (Text(p, "verdict"), Text(p, "error"))));

        var text = InProcessCli.Run(["check", Repository.PathOf("tests/captures/non-ip.pcap"), "--ruleset", Ruleset, "--packets"]);
        Assert.Contains(" not-ip: ethertype 0x88cc  skip skip\n", text.Out);
        Assert.DoesNotContain("not IP", text.Out.Split('\n').Where(l => l.Contains("skip skip")));
    }

    [Theory]
    [InlineData("tests/captures/modified.pcap")]
    [InlineData("tests/captures/modified-be.pcap")]
    public void Modified_pcap_reads_like_the_capture_it_was_made_from(string capture)
    {
        var source = InProcessCli.Run(["decode", Repository.PathOf("tests/captures/lo-tcp-udp-icmp.pcap")]);
        var modified = InProcessCli.Run(["decode", Repository.PathOf(capture)]);
        Assert.Equal((0, ""), (modified.ExitCode, modified.Error));
        Assert.Equal(source.Out, modified.Out);

        string Summary(string path) => InProcessCli.Run(["check", Repository.PathOf(path), "--ruleset", Ruleset]).Out.Replace(Repository.PathOf(path), "CAPTURE");
        Assert.Equal(Summary("tests/captures/lo-tcp-udp-icmp.pcap"), Summary(capture));
    }

    [Theory]
    [InlineData("tests/captures/null-ethertype.pcap")]
    [InlineData("tests/captures/null-ethertype-be.pcap")]
    public void Null_with_ethertypes_decodes_like_null_with_families(string capture)
    {
        // The same packets as null.pcap (AF_INET 2, AF_INET6 30 in the header), but EtherTypes in the header.
        var families = InProcessCli.Run(["decode", Repository.PathOf("tests/captures/null.pcap")]);
        var ethertypes = InProcessCli.Run(["decode", Repository.PathOf(capture)]);
        Assert.Equal((0, ""), (ethertypes.ExitCode, ethertypes.Error));
        Assert.Equal(families.Out, ethertypes.Out);
    }

    [Fact]
    public void Loop_with_ethertypes_is_not_ip()
    {
        var rows = DecodeRows("tests/captures/loop-ethertype.pcap");
        Assert.Equal(["not-ip: family 2048", "not-ip: family 34525"], rows.Select(r => Text(r, "error")).Distinct().Order());
        Assert.All(CheckPackets("tests/captures/loop-ethertype.pcap", out _), p => Assert.StartsWith("not-ip: family ", Text(p, "reason")));
    }

    [Theory]
    [InlineData("tests/captures/rawip4-mixed.pcap", 228, "IPV4 (228) hold IPv6")]
    [InlineData("tests/captures/rawip6-mixed.pcap", 229, "IPV6 (229) hold IPv4")]
    public void Raw_ip_link_types_holding_the_other_version_decode_by_the_nibble_with_a_warning(string capture, int linkType, string warning)
    {
        // The same packets as rawip.pcap (LINKTYPE_RAW, IPv4 and IPv6 mixed), under a link type naming one version.
        var raw = DecodeRows("tests/captures/rawip.pcap");
        var mixed = InProcessCli.Run(["decode", Repository.PathOf(capture), "--format", "jsonl"]);
        Assert.Equal(0, mixed.ExitCode);
        var rows = mixed.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(raw.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(linkType, r.GetProperty("linktype").GetInt32()));
        Assert.Equal(raw.Select(r => (Text(r, "src"), Text(r, "dst"), Text(r, "proto"), Text(r, "sport"), Text(r, "error"))),
            rows.Select(r => (Text(r, "src"), Text(r, "dst"), Text(r, "proto"), Text(r, "sport"), Text(r, "error"))));
        var mismatched = rows.Count(r => Text(r, "src")!.Contains(':') == (linkType == 228));
        Assert.Matches($"^firewall: warning: .*{System.Text.RegularExpressions.Regex.Escape(capture)}: frame \\d+: {mismatched} frames of link type {System.Text.RegularExpressions.Regex.Escape(warning)}; decoded by the IP version nibble, as tcpdump does\n$", mixed.Error);

        var packets = CheckPackets(capture, out var check);
        Assert.Equal(mismatched, packets.Count(p => p.GetProperty("notes").EnumerateArray().Any(n => n.GetString() == "ip-version-mismatch")));
        Assert.Contains($"{mismatched} frames of link type {warning}", check.Error);
        using var json = JsonDocument.Parse(InProcessCli.Run(["check", Repository.PathOf(capture), "--ruleset", Ruleset, "--format", "json"]).Out);
        var warnings = json.RootElement.GetProperty("summary").GetProperty("input").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Contains(warnings, w => w!.Contains($"{mismatched} frames of link type {warning}"));
        Assert.Contains($"{mismatched} frames of link type {warning}", InProcessCli.Run(["check", Repository.PathOf(capture), "--ruleset", Ruleset]).Out);
    }

    [Fact]
    public void Mpls_frames_decode_to_what_their_label_stack_carries()
    {
        var rows = DecodeRows("tests/captures/mpls.pcap");
        Assert.Equal(
            ["192.0.2.1", "198.51.100.2", "2001:db8:a::1", "2001:db8:c::2", "192.0.2.1", "198.51.100.2", "192.0.2.1", "2001:db8:a::1",
             "192.0.2.1", "192.0.2.1", "2001:db8:a::1", "203.0.113.1", "203.0.113.2", null, "203.0.113.1", null],
            rows.Select(r => Text(r, "src")));
        Assert.Equal(
            ["1", "1", "58", "58", "6", "6", "17", "17", "17", "1", "17", "6", "6", null, "17", null],
            rows.Select(r => Text(r, "proto")));
        // VLAN: the outer 802.1Q tag, the 802.1ad S-tag of QinQ, the pseudowire customer's tag.
        Assert.Equal([(9, "100"), (10, "200"), (14, "300")], rows.Select((r, i) => (i, Text(r, "vlan"))).Where(v => v.Item2 is not null));
        Assert.Equal([(13, "not-ip: arp"), (15, "not-ip: mpls")], rows.Select((r, i) => (i, Text(r, "error"))).Where(e => e.Item2 is not null));

        var packets = CheckPackets("tests/captures/mpls.pcap", out _);
        Assert.Equal([(13, "not-ip: arp"), (15, "not-ip: mpls")],
            packets.Select((p, i) => (i, Text(p, "reason"))).Where(e => e.Item2 is not null && e.Item2.StartsWith("not-ip", StringComparison.Ordinal)));
        Assert.All(packets, p => Assert.Null(Text(p, "error")));
    }
}
