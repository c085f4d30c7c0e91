using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Filter;

/// <summary>
/// <c>--filter</c>, <c>--interface</c>, <c>--since</c> and <c>--until</c> on check, replies and report:
/// they narrow what is listed, never what is evaluated, and bad values are exit 2 with the reason.
/// </summary>
public sealed class ListingOptionTests
{
    private static readonly string Capture = Repository.PathOf("samples/web-tier.pcapng");
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    private static JsonElement[] Records(params string[] extra)
    {
        var r = InProcessCli.Run(["check", Capture, "--ruleset", Ruleset, "--format", "jsonl", .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        return r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
    }

    private static JsonElement[] Of(JsonElement[] records, string type) => records.Where(r => r.GetProperty("type").GetString() == type).ToArray();

    private static string Summary(string text) => text[text.IndexOf("\nPackets\n", StringComparison.Ordinal)..];

    [Fact]
    public void Interface_lists_the_packets_to_and_from_its_addresses()
    {
        var all = Of(Records("--packets"), "packet");
        var listed = Of(Records("--packets", "--interface", "web-1"), "packet");
        var web1 = new[] { "10.0.1.10", "2001:db8:1::10" };
        bool Touches(JsonElement p) => p.TryGetProperty("src", out var s) && (web1.Contains(s.GetString()) || web1.Contains(p.GetProperty("dst").GetString()));
        Assert.Equal(all.Where(Touches).Select(p => p.GetProperty("frame").GetInt64()), listed.Select(p => p.GetProperty("frame").GetInt64()));
        Assert.InRange(listed.Length, 1, all.Length - 1); // the sample has ARP and neighbour discovery too
    }

    [Fact]
    public void A_time_window_includes_since_and_excludes_until()
    {
        var all = Of(Records("--packets"), "packet");
        var times = all.Select(p => p.GetProperty("time").GetString()!).ToArray();
        var since = times[10];
        var until = times[40];
        var listed = Of(Records("--packets", "--since", since, "--until", until), "packet");
        var expected = all.Where(p => string.CompareOrdinal(p.GetProperty("time").GetString(), since) >= 0
            && string.CompareOrdinal(p.GetProperty("time").GetString(), until) < 0);
        Assert.Equal(expected.Select(p => p.GetProperty("frame").GetInt64()), listed.Select(p => p.GetProperty("frame").GetInt64()));
        Assert.Contains(listed, p => p.GetProperty("time").GetString() == since);
        Assert.DoesNotContain(listed, p => p.GetProperty("time").GetString() == until);
    }

    [Fact]
    public void Flows_are_listed_when_any_of_their_packets_matches()
    {
        var packets = Of(Records("--packets", "--filter", "src host 10.0.1.10 and udp"), "packet");
        var flows = Of(Records("--flows", "--filter", "src host 10.0.1.10 and udp"), "flow");
        Assert.Equal(packets.Select(p => p.GetProperty("flow").GetInt32()).Distinct().Order(), flows.Select(f => f.GetProperty("flow").GetInt32()));
        Assert.NotEmpty(flows);
        Assert.True(Of(Records("--flows"), "flow").Length > flows.Length);
    }

    [Fact]
    public void Totals_count_every_packet_and_the_text_report_says_what_was_listed()
    {
        var plain = InProcessCli.Run("check", Capture, "--ruleset", Ruleset, "--flows");
        var narrowed = InProcessCli.Run("check", Capture, "--ruleset", Ruleset, "--flows", "--packets", "--only", "denied", "--filter", "udp");
        Assert.Equal(0, narrowed.ExitCode);
        Assert.Equal(Summary(plain.Out), Summary(narrowed.Out));
        Assert.Contains("Listed   8 packets, 3 flows (--only denied --filter \"udp\"); the totals count every packet\n", narrowed.Out);
        Assert.Contains("Flows (3)\n", narrowed.Out);
        Assert.DoesNotContain("Listed", plain.Out);
    }

    [Fact]
    public void The_json_summary_says_what_was_listed()
    {
        static JsonElement Listing(params string[] extra)
        {
            var r = InProcessCli.Run(["check", Capture, "--ruleset", Ruleset, "--format", "json", .. extra]);
            Assert.True(r.ExitCode == 0, r.Error);
            return JsonDocument.Parse(r.Out).RootElement.GetProperty("summary").GetProperty("listing").Clone();
        }
        Assert.Equal(JsonValueKind.Null, Listing("--flows").ValueKind);
        var listing = Listing("--flows", "--packets", "--only", "denied", "--filter", "udp");
        Assert.Equal("--only denied --filter \"udp\"", listing.GetProperty("by").GetString());
        Assert.Equal(8, listing.GetProperty("packets").GetInt64());
        Assert.Equal(3, listing.GetProperty("flows").GetInt32());
        var onlyPackets = Listing("--packets", "--only", "denied");
        Assert.Equal(JsonValueKind.Null, onlyPackets.GetProperty("flows").ValueKind);
    }

    [Fact]
    public void Threads_list_the_same_records()
    {
        string[] args = ["check", Capture, "--ruleset", Ruleset, "--flows", "--packets", "--format", "jsonl", "--filter", "tcp and not port 80"];
        var one = InProcessCli.Run([.. args, "--threads", "1"]);
        var four = InProcessCli.Run([.. args, "--threads", "4"]);
        Assert.Equal(one.Out, four.Out);
        Assert.Contains("\"type\":\"flow\"", one.Out);
    }

    [Theory]
    [InlineData("--filter", "tcp and vlan", "firewall: --filter: column 9: 'vlan' is not supported", "  tcp and vlan\n          ^\n")]
    [InlineData("--filter", "port 99999", "column 6: expected a port number 0-65535, found '99999'", "  port 99999\n       ^\n")]
    [InlineData("--interface", "db-1", "firewall: --interface db-1: the ruleset has no such interface; it has web-1", "")]
    [InlineData("--since", "2024-05-01 12:00", "firewall: --since: '2024-05-01 12:00' is not an RFC 3339 time", "")]
    [InlineData("--until", "2024-05-01T12:00:00", "is not an RFC 3339 time", "")]
    [InlineData("--until", "2024-02-30T12:00:00Z", "is not a valid date and time", "")]
    public void Bad_values_are_exit_2_with_the_reason(string option, string value, string message, string caret)
    {
        var r = InProcessCli.Run("check", Capture, "--ruleset", Ruleset, "--packets", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
        Assert.Contains(caret, r.Error.Replace("\r\n", "\n"));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void An_empty_window_is_refused()
    {
        var r = InProcessCli.Run("check", Capture, "--ruleset", Ruleset, "--packets", "--since", "2026-11-28T04:38:07Z", "--until", "2026-11-28T05:38:06+01:00");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is not before --until", r.Error);
    }

    [Theory]
    [InlineData(new[] { "check", "--filter", "tcp" }, "--filter narrows the per-packet and per-flow records: add --packets or --flows")]
    [InlineData(new[] { "check", "--format", "flowlog", "--since", "2024-01-01T00:00:00Z" }, "--format flowlog writes every flow: --since narrows")]
    public void Narrowing_needs_records_to_narrow(string[] args, string message)
    {
        var r = InProcessCli.Run([args[0], Capture, "--ruleset", Ruleset, .. args[1..]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error);
    }

    [Fact]
    public void Replies_groups_only_the_flows_with_a_selected_packet()
    {
        var all = InProcessCli.Run("replies", Capture, "--ruleset", Ruleset);
        var udp = InProcessCli.Run("replies", Capture, "--ruleset", Ruleset, "--filter", "udp port 53");
        Assert.Equal(0, udp.ExitCode);
        Assert.Contains("nacl:public-nacl:outbound:*", all.Out);
        Assert.DoesNotContain("nacl:public-nacl:outbound:*", udp.Out);
        Assert.Contains("nacl:public-nacl:inbound:*", udp.Out);
        Assert.Contains("Listed   2 flows (--filter \"udp port 53\"); the totals count every packet\n", udp.Out);
        var none = InProcessCli.Run("replies", "--ruleset", Ruleset, "--filter", "udp");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--filter applies to a capture", none.Error);
    }

    [Fact]
    public void Report_lists_only_the_selected_flows()
    {
        using var dir = new TempDir();
        var page = dir.File("r.html");
        var r = InProcessCli.Run("report", Capture, "--ruleset", Ruleset, "--filter", "port 53", "-o", page);
        Assert.True(r.ExitCode == 0, r.Error);
        var html = File.ReadAllText(page);
        Assert.Contains("listed: --filter &quot;port 53&quot; (the totals count every packet)", html);
        Assert.Contains("the 2 flows of 12 with a packet that --filter", html);
        Assert.Equal(2, html.Split("<tr><td class=\"num\">").Length - 1 - CountOtherRows(html));
    }

    /// <summary>Table rows that start with a number cell outside the flow table.</summary>
    private static int CountOtherRows(string html)
    {
        var start = html.IndexOf("id=\"flow-table\"", StringComparison.Ordinal);
        var before = html[..start].Split("<tr><td class=\"num\">").Length - 1;
        var end = html.IndexOf("</table>", start, StringComparison.Ordinal);
        var after = html[end..].Split("<tr><td class=\"num\">").Length - 1;
        return before + after;
    }
}
