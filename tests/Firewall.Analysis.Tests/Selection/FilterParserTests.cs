using Firewall.Analysis.Selection;

namespace Firewall.Analysis.Tests.Selection;

/// <summary>
/// How an expression is read: the canonical form spells out every qualifier and parenthesizes every
/// and/or, so each case pins precedence (not binds tightest; and, or equal, left to right, as in
/// pcap-filter(7)), implied qualifiers and the normalisation of ids.
/// </summary>
public sealed class FilterParserTests
{
    [Theory]
    [InlineData("host 10.0.0.1", "host 10.0.0.1")]
    [InlineData("src host 10.0.0.1", "src host 10.0.0.1")]
    [InlineData("dst 10.0.0.1", "dst host 10.0.0.1")]
    [InlineData("src or dst host 10.0.0.1", "host 10.0.0.1")]
    [InlineData("dst and src host 10.0.0.1", "src and dst host 10.0.0.1")]
    [InlineData("ip host 10.0.0.1", "ip host 10.0.0.1")]
    [InlineData("host 2001:db8::1", "host 2001:db8::1")]
    [InlineData("ip6 net 2001:db8::/32", "ip6 net 2001:db8::/32")]
    [InlineData("net 10.0.0.0/8", "net 10.0.0.0/8")]
    [InlineData("net 10", "net 10.0.0.0/8")]
    [InlineData("net 192.168", "net 192.168.0.0/16")]
    [InlineData("net 10/8", "net 10.0.0.0/8")]
    [InlineData("net 10.0.0.0 mask 255.0.0.0", "net 10.0.0.0/8")]
    [InlineData("net 10.0.0.0 mask 255.0.255.0", "net 10.0.0.0 mask 255.0.255.0")]
    [InlineData("src 10.0.0.0/8", "src net 10.0.0.0/8")]
    [InlineData("port 80", "port 80")]
    [InlineData("tcp dst port 80", "tcp dst port 80")]
    [InlineData("udp src portrange 1-1024", "udp src portrange 1-1024")]
    [InlineData("portrange 80-70", "portrange 70-80")]
    [InlineData("tcp", "tcp")]
    [InlineData("icmp6", "icmp6")]
    [InlineData("not tcp", "not tcp")]
    [InlineData("! tcp && udp || ip6", "((not tcp and udp) or ip6)")]
    [InlineData("tcp or udp and icmp", "((tcp or udp) and icmp)")]
    [InlineData("tcp and udp or icmp", "((tcp and udp) or icmp)")]
    [InlineData("tcp and (udp or icmp)", "(tcp and (udp or icmp))")]
    [InlineData("not tcp or udp", "(not tcp or udp)")]
    [InlineData("not (tcp or udp)", "not (tcp or udp)")]
    [InlineData("host 10.0.0.1 or 10.0.0.2", "(host 10.0.0.1 or host 10.0.0.2)")]
    [InlineData("port 80 or 443", "(port 80 or port 443)")]
    [InlineData("tcp dst port 80 or 443 and udp", "((tcp dst port 80 or tcp dst port 443) and udp)")]
    [InlineData("host 10.0.0.1 and not 10.0.0.2", "(host 10.0.0.1 and not host 10.0.0.2)")]
    [InlineData("src host (10.0.0.1 or 10.0.0.2)", "(src host 10.0.0.1 or src host 10.0.0.2)")]
    [InlineData("tcp port 5432 and not net 10.0.0.0/8", "(tcp port 5432 and not net 10.0.0.0/8)")]
    public void Reads_as_pcap_filter_does(string text, string canonical)
    {
        var filter = PacketFilter.Parse(text, out var error);
        Assert.True(filter is not null, error.ToString());
        Assert.Equal(canonical, filter.Canonical);
    }

    [Theory]
    [InlineData("", 0, "expected a primitive")]
    [InlineData("ether host 00:11:22:33:44:55", 0, "'ether' is not supported")]
    [InlineData("tcp and vlan 10", 8, "'vlan' is not supported")]
    [InlineData("greater 100", 0, "'greater' is not supported")]
    [InlineData("tcp[13] & 2 != 0", 3, "'[' is not supported")]
    [InlineData("host example.com", 5, "host names are not looked up")]
    [InlineData("port http", 5, "service names are not looked up")]
    [InlineData("port 70000", 5, "expected a port number 0-65535")]
    [InlineData("portrange 80", 10, "expected a range N-M")]
    [InlineData("net 10.0.0.1/8", 4, "non-network bits set")]
    [InlineData("net 10.0.0.0/33", 13, "prefix length")]
    [InlineData("host 10.0.0.0/8", 5, "for '10.0.0.0/8' write net")]
    [InlineData("tcp host 10.0.0.1", 9, "'tcp' cannot qualify host")]
    [InlineData("ip6 host 10.0.0.1", 9, "'ip6 host' takes an IPv6 address")]
    [InlineData("ip port 80", 8, "'ip' cannot qualify port")]
    [InlineData("10.0.0.1", 0, "expected a primitive")]
    [InlineData("tcp or 80", 7, "has no host, net, port or portrange before it")]
    [InlineData("(tcp or udp", 11, "expected ')' to close the '(' at column 1")]
    [InlineData("tcp)", 3, "')' without a '('")]
    [InlineData("tcp udp", 4, "expected and, or or the end")]
    [InlineData("host", 4, "expected an address after host, found the end")]
    [InlineData("src", 3, "expected an address or a network")]
    [InlineData("tcp and", 7, "found the end of the expression")]
    [InlineData("foo", 0, "expected a primitive")]
    public void Refuses_with_the_column_of_the_problem(string text, int offset, string message)
    {
        Assert.Null(PacketFilter.Parse(text, out var error));
        Assert.Contains(message, error.Message);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Nesting_and_length_are_bounded()
    {
        Assert.Null(PacketFilter.Parse(new string('(', 100) + "tcp" + new string(')', 100), out var deep));
        Assert.Contains("levels of not and parentheses", deep.Message);
        Assert.Null(PacketFilter.Parse(string.Join(" or ", Enumerable.Repeat("tcp", FilterParser.MaxPrimitives + 1)), out var wide));
        Assert.Contains("primitives", wide.Message);
        Assert.NotNull(PacketFilter.Parse(string.Join(" or ", Enumerable.Repeat("tcp", FilterParser.MaxPrimitives)), out _));
    }
}
