using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;
using Firewall.Tests.Support;

namespace Firewall.Analysis.Tests.Replies;

public sealed class ReplyDropAnalysisTests
{
    private static TestRun Traffic(string yaml) => new TestRun(yaml)
        // Windows clients: their replies meet the explicit deny at 200.
        .Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443)
        .Connection(1, "198.51.100.9", 64012, "10.0.2.10", 443)
        // A Linux client: rule 100 passes its replies.
        .Connection(2, "198.51.100.7", 40000, "10.0.2.10", 443)
        // IPv6: no outbound IPv6 rule at all, so the replies meet '*'.
        .Connection(3, "2001:db8:ffff::7", 62000, "2001:db8:2::10", 443)
        // Ping: no outbound ICMP rule, so the echo reply meets '*'.
        .Echo(4, "198.51.100.7", "10.0.2.10", request: true, id: 9)
        .Echo(4.001, "10.0.2.10", "198.51.100.7", request: false, id: 9);

    private static ReplyDropReport Analyze(RunReport report) =>
        ReplyDropAnalysis.Analyze(report.Rules, report.Catalog, report.Flows.Records);

    [Fact]
    public void Groups_by_deciding_rule_with_counts_examples_and_fixes()
    {
        var analysis = Analyze(Traffic(TestRulesets.WithNumberedDeny).Evaluate());

        Assert.Equal(5, analysis.Flows);
        Assert.Equal(4, analysis.NaclReplyDeniedFlows);
        Assert.Equal(2, analysis.Groups.Count);

        var numbered = analysis.Groups[0];
        Assert.Equal("nacl:app-nacl:outbound:200", numbered.Rule.Reference);
        Assert.Equal(2, numbered.Flows);
        Assert.Equal(4, numbered.RepliesDropped);
        Assert.Equal(4, numbered.RequestsAllowed);
        Assert.Equal([61000, 64012], numbered.Examples.Select(e => (int)e.ClientPort));
        var fix = Assert.Single(numbered.Fixes);
        Assert.Equal([180], fix.RuleNumbers); // 190 is taken: the highest free multiple of 10 below 200
        Assert.Equal(new PortRange(61000, 64012), fix.PortsSeen);
        Assert.Equal(2, fix.DistinctPorts);
        Assert.Equal(LikelyClient.Windows, fix.Client);
        Assert.Equal(["- { rule: 180, protocol: tcp, ports: 61000-64012, destination: 198.51.100.8/31, action: allow }"], fix.Yaml);
        // The reply path of the rule that admitted them: every client the rule admits, every client's ports,
        // before the deny at 200 that drops part of them.
        var path = fix.Path!;
        Assert.Equal(["sg:app-sg:inbound:1"], path.SgRules);
        Assert.Equal(["- { rule: 180, protocol: tcp, ports: 1024-65535, destination: 0.0.0.0/0, action: allow }"], path.Yaml);
        Assert.Equal(2, numbered.StatefulOnlyFlows);
        Assert.Equal(["sg:app-1:outbound:none"], numbered.StatelessDeniedBy);

        var star = analysis.Groups[1];
        Assert.Equal("nacl:app-nacl:outbound:*", star.Rule.Reference);
        Assert.Null(star.Position.Number);
        Assert.Equal(2, star.Flows);
        Assert.Collection(star.Fixes,
            icmp =>
            {
                Assert.Equal(["- { rule: 210, protocol: icmp, icmp_type: 0, destination: 198.51.100.7/32, action: allow }"], icmp.Yaml);
                Assert.Null(icmp.Path); // a path is a tcp/udp service
            },
            v6 =>
            {
                Assert.Equal(["- { rule: 220, protocol: tcp, ports: 62000, destination: \"2001:db8:ffff::7/128\", action: allow }"], v6.Yaml);
                Assert.Equal(["- { rule: 210, protocol: tcp, ports: 1024-65535, destination: \"::/0\", action: allow }"], v6.Path!.Yaml);
            });
        // The echo reply passes the group only by tracking (no outbound ICMP rule); so do the TCP replies.
        Assert.Equal(2, star.StatefulOnlyFlows);
    }

    [Fact]
    public void Pasting_the_fixes_leaves_no_reply_dropped_by_a_nacl()
    {
        var before = Analyze(Traffic(TestRulesets.WithNumberedDeny).Evaluate());
        var lines = before.Groups.SelectMany(g => g.Fixes).SelectMany(f => f.Yaml).Select(line => "      " + line);
        var marker = "      - { rule: 200, protocol: tcp, ports: 61000-65535, destination: 0.0.0.0/0, action: deny }";
        Assert.Contains(marker, TestRulesets.WithNumberedDeny);
        var fixedYaml = TestRulesets.WithNumberedDeny.Replace(marker, marker + "\n" + string.Join("\n", lines));

        var after = Traffic(fixedYaml).Evaluate();
        Assert.Equal(0, Analyze(after).NaclReplyDeniedFlows);
        Assert.Empty(RunSummary.Of(after).ReplyDrops);
        Assert.Equal(5, RunSummary.Of(after).FlowsByOutcome[0]);
    }

    [Fact]
    public void Reply_entering_the_clients_subnet_is_fixed_inbound_with_the_servers_as_source()
    {
        // app-1 asks a DNS server; the NACL has no inbound UDP rule, so the answer meets inbound '*'.
        var analysis = Analyze(new TestRun(TestRulesets.WithNumberedDeny)
            .Udp(0, "10.0.2.10", 40001, "192.0.2.53", 53)
            .Udp(0.01, "192.0.2.53", 53, "10.0.2.10", 40001)
            .Udp(1, "10.0.2.10", 40002, "192.0.2.54", 53)
            .Udp(1.01, "192.0.2.54", 53, "10.0.2.10", 40002)
            .Evaluate());
        var group = Assert.Single(analysis.Groups);
        Assert.Equal("nacl:app-nacl:inbound:*", group.Rule.Reference);
        var fix = Assert.Single(group.Fixes);
        Assert.Equal(["- { rule: 120, protocol: udp, ports: 40001-40002, source: 192.0.2.52/30, action: allow }"], fix.Yaml);
        Assert.Equal(LikelyClient.Linux, fix.Client);
        // app-1 is the client here: its own ports, Linux or Windows, from every server its rule admits.
        Assert.Equal(["- { rule: 120, protocol: udp, ports: 32768-65535, source: 0.0.0.0/0, action: allow }"], fix.Path!.Yaml);
        Assert.Equal(["linux", "windows"], fix.Path.Clients.Select(c => c.Name));
        // Stateless, app-1's group has no inbound UDP rule: the answers pass only because it is stateful.
        Assert.Equal(2, group.StatefulOnlyFlows);
        Assert.Equal(["sg:app-1:inbound:none"], group.StatelessDeniedBy);
    }

    /// <summary>Two tiers: app-1 admits web-1 by its group (sg:web-sg); app's NACL has no rule for the replies.</summary>
    private const string TwoTiers = """
        version: 1
        subnets:
          web: { cidr: 10.0.1.0/24, network_acl: open }
          app: { cidr: 10.0.2.0/24, network_acl: app-nacl }
        interfaces:
          web-1: { addresses: [10.0.1.10], subnet: web, security_groups: [web-sg] }
          web-2: { addresses: [10.0.1.11], subnet: web, security_groups: [web-sg] }
          app-1: { addresses: [10.0.2.10], subnet: app, security_groups: [app-sg] }
        security_groups:
          web-sg:
            outbound:
              - { protocol: tcp, ports: 8080, destination: 10.0.2.0/24 }
          app-sg:
            inbound:
              - { protocol: tcp, ports: 8080, source: "sg:web-sg" }
        network_acls:
          open:
            inbound:
              - { rule: 100, protocol: all, source: 0.0.0.0/0, action: allow }
            outbound:
              - { rule: 100, protocol: all, destination: 0.0.0.0/0, action: allow }
          app-nacl:
            inbound:
              - { rule: 100, protocol: tcp, ports: 8080, source: 10.0.0.0/16, action: allow }
        """;

    [Fact]
    public void Peers_that_are_a_groups_interfaces_are_named_by_their_subnet_and_it_says_so()
    {
        var analysis = Analyze(new TestRun(TwoTiers).Connection(0, "10.0.1.10", 40000, "10.0.2.10", 8080).Evaluate());
        var fix = Assert.Single(Assert.Single(analysis.Groups).Fixes);
        Assert.Equal(["- { rule: 100, protocol: tcp, ports: 40000, destination: 10.0.1.0/24, action: allow }"], fix.Yaml);
        Assert.Equal(["web"], fix.PeerSubnets);
        Assert.Contains("the peers are in subnet web, so the rule covers it (10.0.1.0/24): a NACL names CIDRs, not interfaces or groups", fix.PeersNote);
        // The path: sg:web-sg's interfaces, by their subnet; every client port, since app-1 serves.
        Assert.Equal(["sg:app-sg:inbound:1"], fix.Path!.SgRules);
        Assert.Equal(["- { rule: 100, protocol: tcp, ports: 1024-65535, destination: 10.0.1.0/24, action: allow }"], fix.Path.Yaml);
    }

    [Fact]
    public void External_peers_stay_the_addresses_seen()
    {
        var analysis = Analyze(Traffic(TestRulesets.WithNumberedDeny).Evaluate());
        Assert.All(analysis.Groups.SelectMany(g => g.Fixes), f => Assert.Empty(f.PeerSubnets));
    }

    [Fact]
    public void A_path_fix_goes_before_a_deny_whose_written_ports_aws_ignores()
    {
        // Rule 150 names ports on protocol all: AWS ignores them, so it denies every port, and the path's
        // rule must come before it, not after the existing rules.
        const string Last = "      - { rule: 100, protocol: tcp, ports: 8080, source: 10.0.0.0/16, action: allow }";
        Assert.Contains(Last, TwoTiers);
        var yaml = TwoTiers.Replace(Last, Last + "\n    outbound:\n      - { rule: 150, protocol: all, ports: 5, destination: 10.0.1.0/24, action: deny }");
        var analysis = Analyze(new TestRun(yaml).Connection(0, "10.0.1.10", 40000, "10.0.2.10", 8080).Evaluate());
        var fix = Assert.Single(Assert.Single(analysis.Groups).Fixes);
        Assert.Equal("nacl:app-nacl:outbound:150", Assert.Single(analysis.Groups).Rule.Reference);
        Assert.Equal(["- { rule: 140, protocol: tcp, ports: 1024-65535, destination: 10.0.1.0/24, action: allow }"], fix.Path!.Yaml);
    }

    [Fact]
    public void Request_denied_and_allowed_flows_are_not_reply_drops()
    {
        var analysis = Analyze(new TestRun(TestRulesets.WithNumberedDeny)
            .Tcp(0, "198.51.100.7", 40000, "10.0.2.10", 22, TcpFlag.Syn) // request denied by the NACL
            .Connection(1, "198.51.100.7", 40001, "10.0.2.10", 443)       // allowed both ways
            .Evaluate());
        Assert.Empty(analysis.Groups);
        Assert.Equal(0, analysis.OtherReplyDeniedFlows);
    }

    [Theory]
    [InlineData(200, new[] { 100, 190 }, 180)]
    [InlineData(100, new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90 }, 95)]
    [InlineData(100, new int[0], 90)]
    [InlineData(6, new[] { 5 }, 4)]
    [InlineData(1, new int[0], null)]
    [InlineData(3, new[] { 1, 2 }, null)]
    public void Rule_number_below_a_numbered_denying_rule(int denying, int[] taken, int? expected)
    {
        Assert.Equal(expected, ReplyDropAnalysis.ChooseRuleNumber(denying, taken.ToHashSet()));
    }

    [Theory]
    [InlineData(new[] { 100, 110, 130 }, 140)]
    [InlineData(new[] { 100, 105 }, 110)]
    [InlineData(new int[0], 100)]
    [InlineData(new[] { 32766 }, 32760)]
    [InlineData(new[] { 32760, 32766 }, 32750)]
    public void Rule_number_when_the_implicit_deny_decided(int[] taken, int expected)
    {
        Assert.Equal(expected, ReplyDropAnalysis.ChooseRuleNumber(null, taken.ToHashSet()));
    }

    [Theory]
    [InlineData(61000, 64012, LikelyClient.Windows, "49152-65535")]
    [InlineData(32768, 40000, LikelyClient.Linux, "32768-60999")]
    [InlineData(32768, 60999, LikelyClient.Linux, "32768-60999")]
    [InlineData(50000, 55000, LikelyClient.LinuxOrWindows, "32768-65535")]
    [InlineData(49152, 60999, LikelyClient.LinuxOrWindows, "32768-65535")]
    [InlineData(49152, 61000, LikelyClient.Windows, "49152-65535")]
    [InlineData(2000, 3000, LikelyClient.NatGatewayElbLambda, "1024-65535")]
    [InlineData(1024, 65535, LikelyClient.NatGatewayElbLambda, "1024-65535")]
    [InlineData(30000, 62000, LikelyClient.NatGatewayElbLambda, "1024-65535")]
    [InlineData(80, 40000, LikelyClient.Unknown, null)]
    public void Likely_client_from_the_ports_seen(int from, int to, LikelyClient client, string? documented)
    {
        var seen = new PortRange((ushort)from, (ushort)to);
        Assert.Equal(client, LikelyClients.Classify(seen));
        Assert.Equal(documented, LikelyClients.DocumentedRange(client)?.ToString());
        if (LikelyClients.DocumentedRange(client) is { } range)
        {
            Assert.True(range.Contains(seen.From) && range.Contains(seen.To), "the documented range must cover the ports seen");
        }
    }

    [Theory]
    [InlineData("198.51.100.8", "198.51.100.8/32")]
    [InlineData("198.51.100.8,198.51.100.9", "198.51.100.8/31")]
    [InlineData("198.51.100.1,198.51.100.200", "198.51.100.0/24")]
    [InlineData("10.1.0.1,10.1.255.1", "10.1.0.0/16")]
    [InlineData("10.1.0.1,10.2.0.1", "0.0.0.0/0")]
    [InlineData("198.51.100.7,203.0.113.5", "0.0.0.0/0")]
    [InlineData("2001:db8:ffff::7", "2001:db8:ffff::7/128")]
    [InlineData("2001:db8:ffff::7,2001:db8:ffff:1::9", "2001:db8:ffff::/63")]
    [InlineData("2001:db8:1::1,2001:db8:1:8000::1", "2001:db8:1::/48")]
    [InlineData("2001:db8:1::1,2001:db8:2::1", "::/0")]
    [InlineData("2001:db8::1,2a00::1", "::/0")]
    public void Covering_cidr_of_the_peers(string addresses, string expected)
    {
        var list = addresses.Split(',').Select(IpAddr.Parse).ToList();
        var cidr = ReplyDropAnalysis.CoveringCidr(list);
        Assert.Equal(expected, cidr.ToString());
        Assert.All(list, a => Assert.True(cidr.Contains(a)));
    }
}
