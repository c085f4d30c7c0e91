using Firewall.Flows.Loading;

namespace Firewall.Flows.Tests.Loading;

/// <summary>Every kind of flows-file error is reported at its line and column, with what was expected and found.</summary>
public class FlowsLoaderErrorTests
{
    private static string Single(string yaml)
    {
        var result = FlowsLoader.LoadText(yaml, Path.Combine(TestFiles.Rulesets, "errors.yaml"), TestFiles.LoadRuleset(TestFiles.WebTier));
        Assert.False(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        return $"{d.Line}:{d.Column}: {d.Message}";
    }

    [Theory]
    [InlineData("flows:\n  - tcp 198.51.100.7:51514 web-1:443\n", "2:5: expected a flow 'PROTOCOL SOURCE -> DESTINATION'")]
    [InlineData("flows:\n  - tpc 198.51.100.7:1 -> web-1:443\n", "2:5: expected a protocol (tcp, udp, icmp, icmpv6 or a number 0-255), found 'tpc'")]
    [InlineData("flows:\n  - tcp 198.51.100.7:1 -> web-9:443\n", "2:27: 'web-9' is neither an IP address nor an interface of ruleset web-tier (known: web-1)")]
    [InlineData("flows:\n  - tcp 198.51.100.7:99999 -> web-1:443\n", "2:22: expected a port 0-65535 or '*', found '99999'")]
    [InlineData("flows:\n  - tcp 198.51.100.7:1 -> web-1\n", "2:32: expected a destination port for tcp (e.g. 'web-1:443')")]
    [InlineData("flows:\n  - tcp 198.51.100.7:1 -> web-1:*\n", "2:33: the destination port must be a number: the server's port is never ephemeral")]
    [InlineData("flows:\n  - icmp 198.51.100.7:5 -> web-1\n", "2:23: icmp has no ports; write the endpoint without ':5'")]
    [InlineData("flows:\n  - tcp 198.51.100.7:1 -> [2001:db8:1::10]:443\n", "2:27: the endpoints mix IPv4 and IPv6 (198.51.100.7 and 2001:db8:1::10)")]
    [InlineData("flows:\n  - tcp [2001:db8::1:1 -> web-1:443\n", "2:9: expected '[IPv6]' or '[IPv6]:port', found '[2001:db8::1:1' (no ']')")]
    [InlineData("flows:\n  - icmp 2001:db8::7 -> web-1\n", "2:5: icmp is IPv4 only; IPv6 endpoints need icmpv6")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", exchange: full }\n", "2:55: exchange: expected one of request-reply, request-only for udp, found 'full'")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", count: 0 }\n", "2:52: count: expected a whole number 1-1000000, found '0'")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", reply_after: 40 }\n", "2:58: reply_after: expected a duration such as 40s, 250ms, 2m, 1h or 1.5s, found '40'")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", gap: soon }\n", "2:50: gap: expected a duration such as 40s, 250ms, 2m, 1h or 1.5s, found 'soon'")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", start: yesterday }\n", "2:52: start: expected an RFC 3339 UTC time such as 2026-01-01T10:00:00Z, or an offset")]
    [InlineData("flows:\n  - { flow: \"udp web-1:* -> 192.0.2.53:53\", colour: red }\n", "2:45: unknown key 'colour' in a flow; expected one of: flow, description, exchange, count")]
    [InlineData("flows:\n  - { flow: \"tcp web-1:* -> 192.0.2.53:53\", icmp_type: 3 }\n", "2:45: icmp_type applies only to icmp and icmpv6 flows, not tcp")]
    [InlineData("flows:\n  - { flow: \"icmp 10.0.1.1 -> 198.51.100.7\", icmp_code: 4 }\n", "2:46: icmp_code needs an icmp_type (as in AWS rules)")]
    [InlineData("flows:\n  - { flow: \"icmp 10.0.1.1 -> 198.51.100.7\", icmp_type: 3 }\n", "2:57: icmp_type 3 is an error message, which quotes the packet it answers: add quoting:")]
    [InlineData("flows:\n  - { flow: \"icmp 10.0.1.1 -> 198.51.100.7\", quoting: \"tcp 1.2.3.4:1 -> 5.6.7.8:2\" }\n", "2:46: quoting applies only to ICMP error messages")]
    [InlineData("flows:\n  - { flow: \"icmp 10.0.1.1 -> 198.51.100.7\", icmp_type: 3, quoting: \"tcp [::1]:1 -> [::2]:2\" }\n", "2:69: the quoted flow is IPv6 but the ICMP message is IPv4")]
    [InlineData("flows:\n  - { exchange: echo }\n", "2:5: missing key 'flow'")]
    [InlineData("flows:\n  - [ a, b ]\n", "2:5: expected a flow ('PROTOCOL SOURCE -> DESTINATION'")]
    [InlineData("start: tomorrow\nflows: []\n", "1:8: start: expected an RFC 3339 UTC time such as 2026-01-01T10:00:00Z, found 'tomorrow'")]
    [InlineData("flows: []\nflow:\n  - tcp 1.2.3.4:1 -> 5.6.7.8:2\n", "2:1: unknown key 'flow' in a flows file; expected one of: ruleset, start, description, flows")]
    [InlineData("flows: tcp 1.2.3.4:1 -> 5.6.7.8:2\n", "1:8: flows: expected a list of flows, found a scalar")]
    [InlineData("- just a list\n", "1:1: expected a flows file (a mapping with keys ruleset, start, description, flows), found a list")]
    [InlineData("flows: [ \"tcp 1.2.3.4:1 -> 5.6.7.8:2\" \n", "2:1: YAML syntax error")]
    public void ErrorIsPositioned(string yaml, string expected)
    {
        var got = Single(yaml);
        Assert.True(got.StartsWith(expected, StringComparison.Ordinal), got);
    }

    [Fact]
    public void NamesNeedARuleset()
    {
        var result = FlowsLoader.LoadText("flows:\n  - tcp 1.2.3.4:1 -> web-1:443\n", "x.yaml");
        Assert.Equal("2:22: 'web-1' is not an IP address, and interface names need a ruleset", $"{result.Diagnostics[0].Line}:{result.Diagnostics[0].Column}: {result.Diagnostics[0].Message}");
    }

    [Fact]
    public void MissingRulesetFileIsPositionedAtItsValue()
    {
        var result = FlowsLoader.LoadText("ruleset: nowhere.yaml\nflows: []\n", Path.Combine(TestFiles.Rulesets, "x.yaml"));
        Assert.StartsWith("ruleset: no such file 'nowhere.yaml'", result.Diagnostics[0].Message);
        Assert.Equal((1, 10), (result.Diagnostics[0].Line, result.Diagnostics[0].Column));
    }

    [Fact]
    public void AllErrorsOfAFileAtOnce()
    {
        var result = FlowsLoader.LoadText("flows:\n  - tpc 1.2.3.4:1 -> 5.6.7.8:2\n  - { flow: \"udp 1.2.3.4:1 -> 5.6.7.8:2\", count: many }\n", "x.yaml");
        Assert.Equal([2, 3], result.Diagnostics.Select(d => d.Line));
    }

    [Fact]
    public void InterfaceNamesResolveToTheFamilyOfTheOtherEnd()
    {
        var file = TestFiles.LoadFlows("""
            ruleset: web-tier.yaml
            flows:
              - tcp [2001:db8:ffff::7]:1 -> web-1:443
              - tcp 198.51.100.7:1 -> web-1:443
              - icmpv6 2001:db8:ffff::7 -> web-1
            """);
        Assert.Equal(["2001:db8:1::10", "10.0.1.10", "2001:db8:1::10"], file.Flows.Select(f => f.Flow.Server.Address.ToString()));
    }

    [Theory]
    [InlineData("40s", 40_000_000_000L)]
    [InlineData("250ms", 250_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("2m", 120_000_000_000L)]
    [InlineData("10us", 10_000L)]
    public void Durations(string text, long ns)
    {
        Assert.True(YamlValues.TryParseDuration(text, out var got));
        Assert.Equal(ns, got);
    }

    [Fact]
    public void StartTimesAbsoluteAndRelative()
    {
        var file = TestFiles.LoadFlows("""
            start: 2026-01-01T10:00:00Z
            flows:
              - { flow: "udp 10.0.0.1:1 -> 10.0.0.2:2", start: +30s }
              - { flow: "udp 10.0.0.1:1 -> 10.0.0.2:2", start: "2026-01-01T11:00:00Z" }
              - udp 10.0.0.1:1 -> 10.0.0.2:2
            """);
        var baseNs = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(baseNs + 30_000_000_000L, file.Flows[0].StartNs);
        Assert.Equal(baseNs + 3_600_000_000_000L, file.Flows[1].StartNs);
        Assert.Null(file.Flows[2].StartNs);
        var first = Firewall.Flows.Synthesis.FlowSynthesizer.Synthesize(file).First();
        Assert.Equal(baseNs + 30_000_000_000L, first.TimestampNs);
    }
}
