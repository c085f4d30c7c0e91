using System.Text.Json;
using Firewall.Cli.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>decode</c> and <c>check</c> on the crafted and derived captures of tests/captures that Wireshark and
/// tcpdump read (MPLS, frames without IP, ...): what each frame carries is said in every output.
/// Field-by-field agreement with tshark is TsharkCrossCheckTests' job; this checks the commands' rows.
/// </summary>
public sealed class DecodingParityTests
{
    private static readonly string Ruleset = Repo.PathOf("rulesets/web-tier.yaml");

    private static List<JsonElement> DecodeRows(string capture)
    {
        var r = CliRunner.Run(["decode", Repo.PathOf(capture), "--format", "jsonl"]);
        Assert.Equal(0, r.ExitCode);
        return r.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private static List<JsonElement> CheckPackets(string capture, out CliResult result)
    {
        result = CliRunner.Run(["check", Repo.PathOf(capture), "--ruleset", Ruleset, "--packets", "--format", "jsonl"]);
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

        var text = CliRunner.Run(["check", Repo.PathOf("tests/captures/non-ip.pcap"), "--ruleset", Ruleset, "--packets"]);
        Assert.Contains(" not-ip: ethertype 0x88cc  skip skip\n", text.Out);
        Assert.DoesNotContain("not IP", text.Out.Split('\n').Where(l => l.Contains("skip skip")));
    }
}
