using Firewall.Engine.Model;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// Structural equality of two rulesets, ignoring where rules were written (<see cref="SourceLocation"/>,
/// <see cref="Ruleset.SourcePath"/>): the model records hold lists, which records compare by reference.
/// </summary>
internal static class ModelEquality
{
    public static void AssertEqual(Ruleset expected, Ruleset actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.VpcCidr, actual.VpcCidr);
        Assert.Equal(expected.Tracking, actual.Tracking);
        Assert.Equal(expected.Subnets, actual.Subnets);
        Assert.Equal(
            expected.Interfaces.Select(i => (i.Name, string.Join(",", i.Addresses), i.Subnet, string.Join(",", i.SecurityGroups), i.MaxTracked)),
            actual.Interfaces.Select(i => (i.Name, string.Join(",", i.Addresses), i.Subnet, string.Join(",", i.SecurityGroups), i.MaxTracked)));
        Assert.Equal(
            expected.PrefixLists.Select(p => (p.Name, string.Join(",", p.Cidrs))),
            actual.PrefixLists.Select(p => (p.Name, string.Join(",", p.Cidrs))));
        Assert.Equal(expected.SecurityGroups.Select(g => (g.Name, g.Description)), actual.SecurityGroups.Select(g => (g.Name, g.Description)));
        foreach (var (e, a) in expected.SecurityGroups.Zip(actual.SecurityGroups))
        {
            Assert.Equal(Strip(e.Inbound), Strip(a.Inbound));
            Assert.Equal(Strip(e.Outbound), Strip(a.Outbound));
        }
        Assert.Equal(expected.NetworkAcls.Select(n => (n.Name, n.Description)), actual.NetworkAcls.Select(n => (n.Name, n.Description)));
        foreach (var (e, a) in expected.NetworkAcls.Zip(actual.NetworkAcls))
        {
            Assert.Equal(Strip(e.Inbound), Strip(a.Inbound));
            Assert.Equal(Strip(e.Outbound), Strip(a.Outbound));
        }
    }

    private static List<SgRule> Strip(IEnumerable<SgRule> rules) => rules.Select(r => r with { Location = SourceLocation.None }).ToList();

    private static List<NaclRule> Strip(IEnumerable<NaclRule> rules) => rules.Select(r => r with { Location = SourceLocation.None }).ToList();
}
