using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// <c>firewall import aws</c> on AWS-shaped JSON (fixtures written from the EC2 API reference response
/// shapes): every encoding rule, the notes, and the round trip through YAML.
/// </summary>
public class AwsImportTests
{
    private static string Fixture(string name) => ImportFixtures.PathOf("aws", name);

    private static AwsImportInput FullInput() => new()
    {
        SecurityGroups = ImportFile.Read(Fixture("security-groups.json")),
        NetworkAcls = ImportFile.Read(Fixture("network-acls.json")),
        Subnets = ImportFile.Read(Fixture("subnets.json")),
        NetworkInterfaces = ImportFile.Read(Fixture("network-interfaces.json")),
        Vpcs = ImportFile.Read(Fixture("vpcs.json")),
        PrefixLists = [("pl-0office", ImportFile.Read(Fixture("pl-0office.json")))],
    };

    private static ImportResult ImportFull() => AwsImporter.Import(FullInput());

    private static Ruleset Model(ImportResult result) => result.Ruleset ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Notes));

    [Fact]
    public void IcmpTypeIsInFromPortAndCodeInToPort()
    {
        var web = Model(ImportFull()).FindGroup("sg-0web")!;
        var icmp = web.Inbound.Where(r => r.Protocol.Value == IpProtocol.Icmp).ToList();
        // FromPort 3, ToPort 4 is type 3 code 4 (fragmentation needed), not "types 3 to 4".
        Assert.Equal(new IcmpMatch(3, 4), icmp[0].Icmp);
        Assert.Equal("PMTUD: fragmentation needed", icmp[0].Description);
        // FromPort 8, ToPort -1 is echo request with any code.
        Assert.Equal(new IcmpMatch(8, -1), icmp[1].Icmp);
        Assert.All(icmp, r => Assert.Equal(PortRange.All, r.Ports));
        // IpProtocol "58" with -1/-1 is every ICMPv6 type and code.
        var v6 = web.Inbound.Single(r => r.Protocol.Value == IpProtocol.IcmpV6);
        Assert.Equal(IcmpMatch.Any, v6.Icmp);
        Assert.Equal(Cidr.AllV6, v6.Peer.Cidr);
    }

    [Fact]
    public void EachPeerOfAPermissionIsOneRuleInApiOrder()
    {
        var web = Model(ImportFull()).FindGroup("sg-0web")!;
        Assert.Equal(
            ["0.0.0.0/0", "::/0", "203.0.113.0/24", "pl:pl-0office", "0.0.0.0/0", "10.0.0.0/16", "::/0", "sg:sg-0web"],
            web.Inbound.Select(r => r.Peer.ToString()));
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], web.Inbound.Select(r => r.Id));
        Assert.Equal("https over IPv6", web.Inbound[1].Description);
        Assert.Equal("office networks", web.Inbound[3].Description);
        Assert.Equal(new PortRange(22, 22), web.Inbound[3].Ports);
        Assert.Equal("web: web-sg: Web servers", web.Description);
        Assert.Equal(["0.0.0.0/0", "::/0"], web.Outbound.Select(r => r.Peer.ToString()));
        Assert.All(web.Outbound, r => Assert.True(r.Protocol.IsAll));
    }

    [Fact]
    public void ProtocolNumbersAsStringsAndIgnoredPorts()
    {
        var result = ImportFull();
        var app = Model(result).FindGroup("sg-0app")!;
        Assert.Equal(new RuleProtocol(IpProtocol.Tcp), app.Inbound[1].Protocol); // "6"
        Assert.Equal(new PortRange(9000, 9000), app.Inbound[1].Ports);
        Assert.Equal(new PortRange(8080, 8081), app.Inbound[0].Ports);
        Assert.Equal(new RuleProtocol(50), app.Inbound[2].Protocol);
        Assert.Equal(PortRange.All, app.Inbound[2].Ports);
        Assert.Empty(Model(result).FindGroup("sg-0db")!.Outbound);
    }

    [Fact]
    public void SecurityGroupReferencesResolveAndStaleOnesAreReportedAndDropped()
    {
        var result = ImportFull();
        var model = Model(result);
        Assert.Equal(SgPeer.ForGroup("sg-0web"), model.FindGroup("sg-0app")!.Inbound[0].Peer);
        Assert.Equal(SgPeer.ForGroup("sg-0db"), model.FindGroup("sg-0app")!.Outbound[0].Peer);
        Assert.DoesNotContain(model.SecurityGroups.SelectMany(g => g.Inbound), r => r.Peer.Name == "sg-0deleted");
        var stale = Assert.Single(result.Notes, n => n.Message.Contains("sg-0deleted"));
        Assert.Equal(ImportSeverity.Warning, stale.Severity);
        Assert.Contains("stale reference", stale.Message);
        Assert.Equal($"{Fixture("security-groups.json")}: SecurityGroups[0].IpPermissions[5].UserIdGroupPairs[1]", stale.Source);
    }

    [Fact]
    public void NaclEntriesAreSortedStarRulesDroppedAndIpv6Kept()
    {
        var acl = Model(ImportFull()).FindAcl("acl-0public")!;
        Assert.Equal([90, 100, 105, 110, 120, 130], acl.Inbound.Select(r => r.Number));
        Assert.Equal([100, 101, 140], acl.Outbound.Select(r => r.Number));
        Assert.Equal(NaclAction.Deny, acl.Inbound[0].Action);
        Assert.Equal(new PortRange(22, 22), acl.Inbound[0].Ports);
        Assert.Equal(Cidr.AllV6, acl.Inbound[2].Cidr);
        Assert.Equal(new PortRange(1024, 65535), acl.Inbound[3].Ports);
        Assert.Equal(new IcmpMatch(3, 4), acl.Inbound[4].Icmp);
        Assert.Equal(new RuleProtocol(IpProtocol.Icmp), acl.Inbound[4].Protocol);
        Assert.Equal(new IcmpMatch(128, -1), acl.Inbound[5].Icmp);
        Assert.Equal("public", acl.Description);
    }

    [Fact]
    public void Icmpv6WithAnIpv4CidrKeepsItsTypeAndMatchesEveryTypeAsAwsDoes()
    {
        // Entry 140: Protocol "58", CidrBlock 0.0.0.0/0, IcmpTypeCode {Type 128, Code -1}. AWS accepts it and
        // matches every type (CreateNetworkAclEntry); the type is kept as AWS holds it, and lint says it has no effect.
        var result = ImportFull();
        var rule = Model(result).FindAcl("acl-0public")!.Outbound.Single(r => r.Number == 140);
        Assert.Equal(new IcmpMatch(128, -1), rule.Icmp);
        Assert.Equal(IcmpMatch.Any, rule.MatchedIcmp);
        Assert.Contains("{ rule: 140, action: allow, protocol: icmpv6, icmp_type: 128, destination: \"0.0.0.0/0\" }", result.ToYaml());
        Assert.DoesNotContain(result.Notes, n => n.Source.EndsWith("NetworkAcls[0].Entries[2]", StringComparison.Ordinal));
    }

    [Fact]
    public void OtherProtocolsIgnoreThePortRange()
    {
        var rule = Model(ImportFull()).FindAcl("acl-0app")!.Inbound.Single(r => r.Number == 200);
        Assert.Equal(new RuleProtocol(50), rule.Protocol);
        Assert.Equal(PortRange.All, rule.Ports);
    }

    [Fact]
    public void SubnetsInterfacesAndVpcComeWithTheirAssociations()
    {
        var result = ImportFull();
        var model = Model(result);
        Assert.Equal(
            [new Subnet("subnet-0pub", Cidr.Parse("10.0.1.0/24"), Cidr.Parse("2600:1f18:abc:de01::/64"), "acl-0public"),
             new Subnet("subnet-0app", Cidr.Parse("10.0.2.0/24"), null, "acl-0app"),
             new Subnet("subnet-0db", Cidr.Parse("10.0.3.0/24"), null, "acl-0default")],
            model.Subnets);
        var web = model.FindInterface("eni-0web1")!;
        Assert.Equal(["10.0.1.10", "10.0.1.11", "2600:1f18:abc:de01::10"], web.Addresses.Select(a => a.ToString()));
        Assert.Equal("subnet-0pub", web.Subnet);
        Assert.Equal(["sg-0web"], web.SecurityGroups);
        Assert.Empty(model.FindInterface("eni-0nat")!.SecurityGroups);
        Assert.Equal("web-1; i-0web1", result.InterfaceDescriptions["eni-0web1"]);
        Assert.Equal("public-a, eu-west-1a", result.SubnetDescriptions["subnet-0pub"]);
        Assert.Equal(Cidr.Parse("10.0.0.0/16"), model.VpcCidr);
        Assert.Equal("vpc-0a1b2c3d", model.Name);
        Assert.Equal(["198.51.100.0/24", "192.0.2.0/25"], model.PrefixLists.Single().Cidrs.Select(c => c.ToString()));
        // The default NACL is imported under its id with its real entries, not replaced by our built-in one.
        Assert.DoesNotContain(model.NetworkAcls, a => a.Name == NetworkAcl.DefaultName);
        Assert.Contains("default network ACL", model.FindAcl("acl-0default")!.Description);
    }

    [Fact]
    public void TheWrittenYamlLoadsWithoutDiagnosticsAndRoundTrips()
    {
        var result = ImportFull();
        var yaml = result.ToYaml();
        var loaded = RulesetLoader.LoadText(yaml, "imported.yaml");
        Assert.Empty(loaded.Diagnostics);
        ModelEquality.AssertEqual(Model(result), loaded.Ruleset!);
        // Writing the loaded model again gives the same text: nothing is lost or reordered.
        Assert.Equal(yaml, RulesetYamlWriter.Write(loaded.Ruleset!, result.SubnetDescriptions, result.InterfaceDescriptions));
        Assert.Contains("description: \"public-a, eu-west-1a\"", yaml);
    }

    [Fact]
    public void MissingPrefixListEntriesAreReported()
    {
        var result = AwsImporter.Import(FullInput() with { PrefixLists = [] });
        Assert.DoesNotContain(Model(result).FindGroup("sg-0web")!.Inbound, r => r.Peer.Kind == PeerKind.PrefixList);
        Assert.Contains(result.Notes, n => n.Severity == ImportSeverity.Warning && n.Message.Contains("--prefix-lists pl-0office=FILE"));
    }

    [Fact]
    public void WithoutSubnetsAndInterfacesTheGapsAreReported()
    {
        var result = AwsImporter.Import(new AwsImportInput
        {
            SecurityGroups = ImportFile.Read(Fixture("security-groups.json")),
            NetworkAcls = ImportFile.Read(Fixture("network-acls.json")),
        });
        var model = Model(result);
        Assert.Empty(model.Subnets);
        Assert.Equal(3, model.NetworkAcls.Count);
        Assert.Contains(result.Notes, n => n.Message.StartsWith("no --subnets given", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Message.StartsWith("no --network-interfaces given", StringComparison.Ordinal));
    }

    private static ImportFile Json(string name, string text) => new(name, text);

    [Fact]
    public void MoreThanOneVpcNeedsAChoice()
    {
        const string groups = """
            { "SecurityGroups": [
              { "GroupId": "sg-1", "GroupName": "a", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": [] },
              { "GroupId": "sg-2", "GroupName": "b", "VpcId": "vpc-2", "IpPermissions": [], "IpPermissionsEgress": [] } ] }
            """;
        var refused = AwsImporter.Import(new AwsImportInput { SecurityGroups = Json("sg.json", groups) });
        Assert.Null(refused.Ruleset);
        Assert.Contains(refused.Notes, n => n.Severity == ImportSeverity.Error && n.Message.Contains("vpc-1, vpc-2") && n.Message.Contains("--vpc"));

        var chosen = Model(AwsImporter.Import(new AwsImportInput { SecurityGroups = Json("sg.json", groups), Vpc = "vpc-2" }));
        Assert.Equal(["sg-2"], chosen.SecurityGroups.Select(g => g.Name));
    }

    [Fact]
    public void AllTypesWithACodeIsRefusedAsAwsRefusesIt()
    {
        const string groups = """
            { "SecurityGroups": [ { "GroupId": "sg-1", "IpPermissionsEgress": [], "IpPermissions": [
              { "IpProtocol": "icmp", "FromPort": -1, "ToPort": 4, "IpRanges": [ { "CidrIp": "0.0.0.0/0" } ] },
              { "IpProtocol": "tcp", "FromPort": 90, "ToPort": 80, "IpRanges": [ { "CidrIp": "0.0.0.0/0" } ] },
              { "IpProtocol": "gre", "IpRanges": [ { "CidrIp": "0.0.0.0/0" } ] },
              { "IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [ { "CidrIp": "10.0.0.5/8" } ] } ] } ] }
            """;
        var result = AwsImporter.Import(new AwsImportInput { SecurityGroups = Json("sg.json", groups) });
        var rule = Assert.Single(Model(result).FindGroup("sg-1")!.Inbound);
        Assert.Equal(Cidr.Parse("10.0.0.0/8"), rule.Peer.Cidr);
        Assert.Contains(result.Notes, n => n.Source == "sg.json: SecurityGroups[0].IpPermissions[0]" && n.Message.Contains("code without a type"));
        Assert.Contains(result.Notes, n => n.Source == "sg.json: SecurityGroups[0].IpPermissions[1]" && n.Severity == ImportSeverity.Error);
        Assert.Contains(result.Notes, n => n.Source == "sg.json: SecurityGroups[0].IpPermissions[2]" && n.Message.Contains("'gre'"));
        Assert.Contains(result.Notes, n => n.Message.Contains("host bits set; read as 10.0.0.0/8"));
    }

    [Fact]
    public void BadJsonIsOneErrorWithLineAndColumn()
    {
        var result = AwsImporter.Import(new AwsImportInput { SecurityGroups = Json("sg.json", "{\n  \"SecurityGroups\": [ }") });
        Assert.Null(result.Ruleset);
        var note = Assert.Single(result.Notes);
        Assert.StartsWith("sg.json:2:", note.Source);
        Assert.Equal(ImportSeverity.Error, note.Severity);

        var wrongShape = AwsImporter.Import(new AwsImportInput { NetworkAcls = Json("acl.json", "{ \"SecurityGroups\": [] }") });
        Assert.Contains("describe-network-acls", Assert.Single(wrongShape.Notes).Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{ \"SecurityGroups\": 5 }")]
    [InlineData("{ \"SecurityGroups\": [ 1, \"x\", null, { \"GroupId\": 7, \"IpPermissions\": {} } ] }")]
    [InlineData("{ \"SecurityGroups\": [ { \"GroupId\": \"sg-x\", \"IpPermissions\": [ { \"IpProtocol\": [], \"FromPort\": \"big\", \"IpRanges\": [ { \"CidrIp\": 1 } ] } ] } ] }")]
    [InlineData("{ \"SecurityGroups\": [ { \"GroupId\": \"sg x:y\", \"IpPermissions\": [ { \"IpProtocol\": \"tcp\", \"FromPort\": 99999999999999999999, \"ToPort\": 1 } ] } ] }")]
    public void HostileShapesAreNotesNeverExceptions(string json)
    {
        var result = AwsImporter.Import(new AwsImportInput { SecurityGroups = Json("sg.json", json) });
        Assert.NotEmpty(result.Notes);
        if (result.Ruleset is { } model)
        {
            Assert.Empty(RulesetLoader.LoadText(result.ToYaml(), "x.yaml").Diagnostics);
            Assert.All(model.SecurityGroups, g => Assert.Matches("^[A-Za-z0-9._-]+$", g.Name));
        }
    }
}
