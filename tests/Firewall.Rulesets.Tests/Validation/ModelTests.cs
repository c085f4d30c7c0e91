using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Tests.Validation;

using static LoaderAssert;

/// <summary>What the loader builds: defaults, sorting, references, locations.</summary>
public class ModelTests
{
    [Fact]
    public void AclRulesAreSortedByNumberWithBothFamiliesInOneList()
    {
        var r = Loads(
            """
            version: 1
            network_acls:
              n:
                inbound:
                  - { rule: 300, protocol: all, action: deny, source: "::/0" }
                  - { rule: 20, protocol: "6", ports: 80, action: allow, source: 0.0.0.0/0 }
                  - { rule: 100, protocol: -1, action: allow, source: 10.0.0.0/8 }
            """);
        var rules = r.NetworkAcls.Single().Inbound;
        Assert.Equal([20, 100, 300], rules.Select(x => x.Number));
        Assert.Equal(new RuleProtocol(IpProtocol.Tcp), rules[0].Protocol);
        Assert.Equal(RuleProtocol.All, rules[1].Protocol);
        Assert.True(rules[2].Cidr.IsV6);
        Assert.Equal(new SourceLocation(File, 6, 9), rules[0].Location);
        Assert.Equal(PortRange.All, rules[1].Ports);
        Assert.Equal(IcmpMatch.Any, rules[1].Icmp);
        Assert.Empty(r.NetworkAcls.Single().Outbound);
    }

    [Fact]
    public void TheDefaultAclIsAddedOnceWhenASubnetUsesIt()
    {
        var r = Loads(
            """
            version: 1
            subnets:
              a: { cidr: 10.0.1.0/24 }
              b: { cidr: 10.0.2.0/24, network_acl: default }
            """);
        var acl = Assert.Single(r.NetworkAcls);
        Assert.Equal(NetworkAcl.DefaultName, acl.Name);
        Assert.Equal([100, 101], acl.Outbound.Select(x => x.Number));
        Assert.All(r.Subnets, s => Assert.Equal(NetworkAcl.DefaultName, s.NetworkAcl));
    }

    [Fact]
    public void NoDefaultAclWhenNoSubnetUsesIt()
    {
        var r = Loads("version: 1\nnetwork_acls:\n  n: {}\nsubnets:\n  a: { cidr: 10.0.1.0/24, network_acl: n }\n");
        Assert.Equal(["n"], r.NetworkAcls.Select(a => a.Name));
    }

    [Fact]
    public void AFileMayEditTheDefaultAcl()
    {
        var r = Loads(
            """
            version: 1
            network_acls:
              default:
                inbound:
                  - { rule: 100, protocol: tcp, ports: 443, action: allow, source: 0.0.0.0/0 }
            subnets:
              a: { cidr: 10.0.1.0/24 }
            """);
        var acl = Assert.Single(r.NetworkAcls);
        Assert.Equal(new PortRange(443, 443), Assert.Single(acl.Inbound).Ports);
    }

    [Fact]
    public void Ipv6OnlySubnet()
    {
        var r = Loads("version: 1\nsubnets:\n  v6: { ipv6_cidr: \"2001:db8:5::/64\" }\n");
        Assert.Equal((null, Cidr.Parse("2001:db8:5::/64")), (r.Subnets[0].Cidr, r.Subnets[0].Ipv6Cidr));
    }

    [Fact]
    public void GroupRuleIdsArePositionsUnlessGiven()
    {
        var r = Loads(
            """
            version: 1
            security_groups:
              g:
                outbound:
                  - { protocol: udp, ports: 53, destination: 0.0.0.0/0 }
                  - { id: web, protocol: tcp, ports: 80-443, destination: 0.0.0.0/0 }
                  - { protocol: icmp, icmp_type: 3, icmp_code: 4, destination: 0.0.0.0/0 }
            """);
        var rules = r.SecurityGroups[0].Outbound;
        Assert.Equal(["sg:g:outbound:1", "sg:g:outbound:web", "sg:g:outbound:3"], rules.Select(x => x.Reference));
        Assert.Equal(new PortRange(80, 443), rules[1].Ports);
        Assert.Equal(new IcmpMatch(3, 4), rules[2].Icmp);
        Assert.Equal(new SourceLocation(File, 6, 9), rules[1].Location);
    }

    [Fact]
    public void EmptyCollectionsMayBeLeftEmpty()
    {
        var r = Loads("version: 1\nsubnets:\ninterfaces:\nsecurity_groups:\n  g:\n    inbound:\n    outbound: []\nprefix_lists:\n  p:\n");
        Assert.Empty(r.Subnets);
        Assert.Empty(r.SecurityGroups[0].Inbound);
        Assert.Empty(r.PrefixLists[0].Cidrs);
    }

    [Fact]
    public void NameDefaultsToTheFileStem()
    {
        var result = RulesetLoader.LoadText("version: 1\n", "some/dir/edge.yaml");
        Assert.Equal("edge", result.Ruleset!.Name);
        Assert.Equal("some/dir/edge.yaml", result.Ruleset.SourcePath);
    }

    [Fact]
    public void AllTimeoutsCanBeSet()
    {
        var r = Loads(
            """
            version: 1
            connection_tracking:
              tcp_established_timeout: 350
              udp_timeout: 45
              udp_stream_timeout: 90
              tcp_syn_sent_timeout: 1
              tcp_syn_recv_timeout: 2
              tcp_fin_wait_timeout: 3
              tcp_close_wait_timeout: 4
              tcp_last_ack_timeout: 5
              tcp_time_wait_timeout: 6
              tcp_close_timeout: 7
              icmp_timeout: 86400
            """);
        Assert.Equal(
            new TrackingSettings
            {
                TcpEstablished = 350, Udp = 45, UdpStream = 90, TcpSynSent = 1, TcpSynRecv = 2, TcpFinWait = 3,
                TcpCloseWait = 4, TcpLastAck = 5, TcpTimeWait = 6, TcpClose = 7, Icmp = 86400,
            },
            r.Tracking);
    }

    [Fact]
    public void DiagnosticPrintsLikeACompiler() =>
        Assert.Equal("a.yaml:3:7: boom", new Firewall.Rulesets.Yaml.Diagnostic("a.yaml", 3, 7, "boom").ToString());
}
