using Firewall.Engine.Addressing;

namespace Firewall.Engine.Tests.Addressing;

public class AddressingTests
{
    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("::", true)]
    [InlineData("010.0.0.1", false)]   // octal to some parsers
    [InlineData("0x0a.0.0.1", false)]  // hex to some parsers
    [InlineData("10.1", false)]
    [InlineData("10", false)]
    [InlineData("256.0.0.1", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("", false)]
    public void Parses_only_canonical_notations(string text, bool ok) => Assert.Equal(ok, IpAddr.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.1.0/24", Cidr.ParseStatus.Ok)]
    [InlineData("10.0.1.5/24", Cidr.ParseStatus.HostBitsSet)]
    [InlineData("10.0.1.0/08", Cidr.ParseStatus.Malformed)]
    [InlineData("10.0.1.0/33", Cidr.ParseStatus.Malformed)]
    [InlineData("10.0.1.0", Cidr.ParseStatus.Malformed)]
    [InlineData("2001:db8:1::/64", Cidr.ParseStatus.Ok)]
    [InlineData("2001:db8:1::1/64", Cidr.ParseStatus.HostBitsSet)]
    [InlineData("::/0", Cidr.ParseStatus.Ok)]
    public void Cidr_parsing(string text, Cidr.ParseStatus status) => Assert.Equal(status, Cidr.TryParse(text, out _));

    [Fact]
    public void Host_bits_report_the_canonical_network()
    {
        Cidr.TryParse("100.68.0.18/18", out var cidr);
        Assert.Equal("100.68.0.0/18", cidr.ToString()); // AWS's own example (CreateNetworkAclEntry)
    }

    [Fact]
    public void Contains_respects_family_and_prefix()
    {
        var v4 = Cidr.Parse("10.0.0.0/8");
        Assert.True(v4.Contains(IpAddr.Parse("10.255.0.1")));
        Assert.False(v4.Contains(IpAddr.Parse("11.0.0.1")));
        Assert.False(Cidr.AllV4.Contains(IpAddr.Parse("::1")));
        Assert.True(Cidr.AllV6.Contains(IpAddr.Parse("2001:db8::1")));
        Assert.True(Cidr.Parse("2001:db8:1::/64").Contains(IpAddr.Parse("2001:db8:1::ffff")));
        Assert.False(Cidr.Parse("2001:db8:1::/64").Contains(IpAddr.Parse("2001:db8:2::1")));
        Assert.True(Cidr.Parse("2001:db8::/127").Contains(IpAddr.Parse("2001:db8::1")));
    }

    [Fact]
    public void Formatting_matches_system_net()
    {
        Span<char> buffer = stackalloc char[64];
        foreach (var text in new[] { "10.0.1.10", "0.0.0.0", "255.255.255.255", "2001:db8::10", "::ffff:1.2.3.4" })
        {
            var address = IpAddr.Parse(text);
            Assert.True(address.TryFormat(buffer, out var n));
            Assert.Equal(System.Net.IPAddress.Parse(text).ToString(), new string(buffer[..n]));
        }
    }
}
