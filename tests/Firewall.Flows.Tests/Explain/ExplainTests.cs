using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Flows.Tests.Explain;

/// <summary><c>firewall explain</c> on web-tier, run in-process through the CLI: the lines that carry the answer.</summary>
public class ExplainTests
{
    private static string Explain(string flow)
    {
        var (code, output, err) = InProcessCli.Run("explain", "--ruleset", TestFiles.WebTier, flow);
        Assert.True(code == 0, err);
        return output;
    }

    [Fact]
    public void HttpsIsAllowedAndStatefulnessIsExplained()
    {
        var o = Explain("tcp 198.51.100.7:51514 -> web-1:443");
        Assert.Contains("outcome   allowed   (stateless security groups: reply-denied)", o);
        Assert.Contains("request   tcp 198.51.100.7:51514 -> 10.0.1.10:443 [S]", o);
        Assert.Contains("nacl-inbound   public-nacl    allow nacl:public-nacl:inbound:110", o);
        Assert.Contains("sg-inbound     web-1          allow sg:web-sg:inbound:2", o);
        Assert.Contains("tcp port 443 from 0.0.0.0/0 (https)", o);
        Assert.Contains("web-1: allowed by rule, opens a tracking entry for the reply", o);
        Assert.Contains("reply   tcp 10.0.1.10:443 -> 198.51.100.7:51514 [S.]", o);
        Assert.Contains("sg-outbound    web-1          allow conntrack:web-1", o);
        Assert.Contains("nacl-outbound  public-nacl    allow nacl:public-nacl:outbound:100", o);
        Assert.Contains("reply    deny  by sg:web-1:outbound:none", o);
        Assert.Contains("destination port 51514 is outside 443", o);
        Assert.Contains("works only because the security groups are stateful", o);
    }

    [Fact]
    public void SshFromTheInternetShowsTheClosestRules()
    {
        var o = Explain("tcp 198.51.100.7:40000 -> web-1:22");
        Assert.Contains("sg-inbound     web-1          deny  sg:web-1:inbound:none", o);
        Assert.Contains("sg:web-sg:inbound:4  tcp port 22 from 203.0.113.0/24 (ssh from the office only)", o);
        Assert.Contains("- 203.0.113.0/24 does not contain 198.51.100.7", o);
        Assert.Contains("=> deny by sg:web-1:inbound:none", o);
        Assert.Contains("the request is denied: it never reaches the server, so no reply is sent", o);
        Assert.DoesNotContain("\nreply ", o);
        Assert.Contains("outcome   request-denied", o);
    }

    [Fact]
    public void HighClientPortShowsTheNaclRuleThatWouldHaveMatched()
    {
        var o = Explain("tcp 198.51.100.7:62000 -> web-1:443");
        Assert.Contains("outcome   reply-denied", o);
        Assert.Contains("nacl-outbound  public-nacl    deny  nacl:public-nacl:outbound:*", o);
        Assert.Contains("- destination port 62000 is outside 32768-60999", o);
    }

    [Fact]
    public void UdpAndIcmpUseTheirFirstPacketEachWay()
    {
        var dns = Explain("udp web-1:53000 -> 192.0.2.53:53");
        Assert.Contains("request   udp 10.0.1.10:53000 -> 192.0.2.53:53", dns);
        Assert.Contains("reply   udp 192.0.2.53:53 -> 10.0.1.10:53000", dns);
        Assert.Contains("nacl-inbound   public-nacl    deny  nacl:public-nacl:inbound:*", dns);
        var ping = Explain("icmp 198.51.100.7 -> web-1");
        Assert.Contains("request   icmp 198.51.100.7 -> 10.0.1.10 type 8 code 0", ping);
        Assert.Contains("reply   icmp 10.0.1.10 -> 198.51.100.7 type 0 code 0", ping);
    }

    [Fact]
    public void JsonFormat()
    {
        var (code, output, _) = InProcessCli.Run("explain", "-r", TestFiles.WebTier, "--format", "json", "tcp 198.51.100.7:40000 -> web-1:22");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("request-denied", root.GetProperty("outcome").GetString());
        var hops = root.GetProperty("request").GetProperty("hops");
        Assert.Equal("sg:web-1:inbound:none", hops[1].GetProperty("rule").GetString());
        Assert.Equal(3, hops[1].GetProperty("closest").GetArrayLength());
    }

    [Fact]
    public void BadFlowIsExitTwo()
    {
        var (code, _, err) = InProcessCli.Run("explain", "-r", TestFiles.WebTier, "tcp 198.51.100.7:1 -> web-9:22");
        Assert.Equal(2, code);
        Assert.Contains("'web-9' is neither an IP address nor an interface of ruleset web-tier", err);
    }
}
