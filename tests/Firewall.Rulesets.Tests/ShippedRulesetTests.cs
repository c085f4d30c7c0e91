using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Tests.Support;

namespace Firewall.Rulesets.Tests;

/// <summary>Every ruleset in rulesets/ loads without a diagnostic, and says what its header says it teaches.</summary>
public class ShippedRulesetTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Repository.ShippedRulesets())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    private static Ruleset Load(string name)
    {
        var path = Repository.PathOf(Path.Combine("rulesets", name));
        var result = RulesetLoader.LoadFile(path);
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(path, result.Ruleset!.SourcePath);
        return result.Ruleset;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadsWithoutDiagnostics(string name)
    {
        var ruleset = Load(name);
        Assert.Equal(Path.GetFileNameWithoutExtension(name), ruleset.Name);
        foreach (var acl in ruleset.NetworkAcls)
        {
            Assert.Equal(acl.Inbound.OrderBy(r => r.Number).Select(r => r.Number), acl.Inbound.Select(r => r.Number));
            Assert.Equal(acl.Outbound.OrderBy(r => r.Number).Select(r => r.Number), acl.Outbound.Select(r => r.Number));
        }
        Assert.All(ruleset.SecurityGroups.SelectMany(g => g.Inbound.Concat(g.Outbound)), r => Assert.True(r.Location.Line >= 1));
    }

    [Fact]
    public void TheFolderHoldsTheDocumentedExamples() =>
        Assert.Superset(
            new HashSet<string> { "web-tier.yaml", "three-tier.yaml", "dual-stack.yaml", "nacl-only.yaml", "sg-only.yaml", "dns-resolver.yaml" },
            Repository.ShippedRulesets().Select(Path.GetFileName).ToHashSet()!);

    [Fact]
    public void WebTier()
    {
        var r = Load("web-tier.yaml");
        var acl = r.FindAcl("public-nacl")!;
        Assert.Equal([100, 110, 115, 120, 130, 140], acl.Inbound.Select(x => x.Number));
        Assert.Equal("nacl:public-nacl:inbound:115", acl.Inbound[2].Reference);
        Assert.True(acl.Inbound[2].Cidr.IsV6);
        Assert.Equal(new PortRange(1024, 65535), acl.Inbound[5].Ports);
        Assert.Equal(new IcmpMatch(8, -1), acl.Inbound[4].Icmp);
        var sg = r.FindGroup("web-sg")!;
        Assert.Equal("sg:web-sg:inbound:4", sg.Inbound[3].Reference);
        Assert.Equal(Cidr.Parse("203.0.113.0/24"), sg.Inbound[3].Peer.Cidr);
        Assert.Equal(new SourceLocation(r.SourcePath!, 28, 9), sg.Inbound[3].Location);
        var web = r.FindInterface("web-1")!;
        Assert.Equal([IpAddr.Parse("10.0.1.10"), IpAddr.Parse("2001:db8:1::10")], web.Addresses);
        Assert.Equal("public", web.Subnet);
        Assert.Equal(Cidr.Parse("10.0.0.0/16"), r.VpcCidr);
        Assert.Equal(TrackingSettings.Default, r.Tracking);
        Assert.Null(r.FindAcl(NetworkAcl.DefaultName));
    }

    [Fact]
    public void ThreeTier()
    {
        var r = Load("three-tier.yaml");
        Assert.Equal(["public", "app", "db"], r.Subnets.Select(s => s.Name));
        Assert.Equal(6, r.Interfaces.Count);
        var app = r.FindGroup("app-sg")!;
        Assert.Equal("sg:app-sg:inbound:from-lb", app.Inbound[0].Reference);
        Assert.Equal(SgPeer.ForGroup("lb-sg"), app.Inbound[0].Peer);
        Assert.Equal(SgPeer.ForPrefixList("office"), r.FindGroup("bastion-sg")!.Inbound[0].Peer);
        Assert.Empty(r.FindGroup("db-sg")!.Outbound);
        Assert.Equal([Cidr.Parse("203.0.113.0/24"), Cidr.Parse("198.51.100.0/25")], r.PrefixLists.Single(p => p.Name == "office").Cidrs);
        Assert.Equal("nacl:public-nacl:inbound:121", r.FindAcl("public-nacl")!.Inbound[3].Reference);
    }

    [Fact]
    public void DualStack()
    {
        var r = Load("dual-stack.yaml");
        var sg = r.FindGroup("web-sg")!;
        var wrong = sg.Inbound.Single(x => x.Id == "ping-v6-wrong");
        Assert.Equal(IpProtocol.Icmp, wrong.Protocol.Value);
        Assert.True(wrong.Peer.Cidr.IsV6);
        var ping6 = sg.Inbound.Single(x => x.Id == "ping6");
        Assert.Equal((IpProtocol.IcmpV6, new IcmpMatch(128, -1)), (ping6.Protocol.Value, ping6.Icmp));
        Assert.Equal(new IcmpMatch(3, 4), sg.Inbound.Single(x => x.Id == "pmtud-v4").Icmp);
        var acl = r.FindAcl("dual-nacl")!;
        Assert.Equal(acl.Inbound.Count / 2, acl.Inbound.Count(x => x.Cidr.IsV6));
        Assert.Equal(Cidr.Parse("2001:db8:10::/64"), r.FindSubnet("web")!.Ipv6Cidr);
    }

    [Fact]
    public void NaclOnly()
    {
        var r = Load("nacl-only.yaml");
        Assert.Empty(r.SecurityGroups);
        Assert.All(r.Interfaces, i => Assert.Empty(i.SecurityGroups));
        var web = r.FindAcl("web-nacl")!;
        Assert.Equal((90, NaclAction.Deny), (web.Inbound[0].Number, web.Inbound[0].Action));
        Assert.Equal("nacl:batch-nacl:inbound:32766", r.FindAcl("batch-nacl")!.Inbound[^1].Reference);
    }

    [Fact]
    public void SgOnlyUsesTheAwsDefaultAcl()
    {
        var r = Load("sg-only.yaml");
        Assert.Equal(NetworkAcl.DefaultName, r.FindSubnet("private")!.NetworkAcl);
        var acl = Assert.Single(r.NetworkAcls);
        var aws = NetworkAcl.CreateDefault();
        Assert.Equal(aws.Inbound, acl.Inbound);
        Assert.Equal(aws.Outbound, acl.Outbound);
        Assert.Equal(["nacl:default:inbound:100", "nacl:default:inbound:101"], acl.Inbound.Select(x => x.Reference));
        Assert.Equal(["api-sg", "ops-sg"], r.FindInterface("api-1")!.SecurityGroups);
        Assert.Equal(100000, r.FindInterface("api-1")!.MaxTracked);
        Assert.Equal("sg:worker-sg:inbound:1", r.FindGroup("worker-sg")!.Inbound[0].Reference);
        Assert.Equal(SgPeer.ForGroup("ops-sg"), r.FindGroup("ops-sg")!.Inbound[1].Peer);
        Assert.Equal(TrackingSettings.Default with { TcpEstablished = 3600, Udp = 60, UdpStream = 120 }, r.Tracking);
    }

    [Fact]
    public void DnsResolver()
    {
        var r = Load("dns-resolver.yaml");
        var sg = r.FindGroup("resolver-sg")!;
        Assert.Equal((IpProtocol.Udp, new PortRange(53, 53)), (sg.Inbound[0].Protocol.Value, sg.Inbound[0].Ports));
        Assert.Equal(SgPeer.ForPrefixList("upstream-dns"), sg.Outbound[0].Peer);
        var acl = r.FindAcl("dns-nacl")!;
        Assert.Contains(acl.Inbound, x => x.Protocol.Value == IpProtocol.Udp && x.Ports == new PortRange(1024, 65535));
        Assert.Equal(["dns-nacl", NetworkAcl.DefaultName], r.NetworkAcls.Select(a => a.Name));
    }
}
