using CsCheck;
using Firewall.Analysis.Reachability;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Analysis.Tests.Reachability;

/// <summary>Packet sets as docs/answers.md writes them: each form, and an error with its column for what is not one.</summary>
public sealed class PacketSetParserTests
{
    private static readonly Ruleset WebTier = RulesetLoader.LoadFile(Path.Combine(Repository.Root, "rulesets", "web-tier.yaml")).Ruleset!;

    private static PacketSet Parse(string text) =>
        PacketSetParser.Parse(text, WebTier, out var error) ?? throw new Xunit.Sdk.XunitException($"'{text}': {error}");

    private static PacketSetError Error(string text)
    {
        Assert.Null(PacketSetParser.Parse(text, WebTier, out var error));
        return error;
    }

    private static UInt128 V4(string a) => IpAddr.Parse(a).V4;

    [Fact]
    public void A_flow_line_with_sets_on_both_ends()
    {
        var set = Parse("tcp 0.0.0.0/0 -> web-1:443");
        var part = Assert.Single(set.Parts);
        Assert.False(part.V6);
        Assert.Equal(IntervalSet.Of(IpProtocol.Tcp, IpProtocol.Tcp), part.Protocols);
        Assert.Equal(IntervalSet.Of(0, uint.MaxValue), part.Sources);
        Assert.Equal(IntervalSet.Of(V4("10.0.1.10"), V4("10.0.1.10")), part.Destinations);
        Assert.Equal(IntervalSet.Of(443, 443), part.DestinationPorts);
        Assert.Equal(IntervalSet.Of(1, 65535), part.SourcePorts);
        Assert.False(set.SourcePortsGiven);
    }

    [Fact]
    public void An_interface_with_both_families_gives_a_part_per_family_and_star_every_protocol_of_each()
    {
        var set = Parse("* * -> web-1");
        Assert.Equal([false, true], set.Parts.Select(p => p.V6));
        // '*' over IPv4 holds every protocol but ICMPv6; over IPv6 every one but ICMP and the extension headers.
        Assert.False(set.Parts[0].Protocols.Contains(IpProtocol.IcmpV6));
        Assert.True(set.Parts[0].Protocols.Contains(IpProtocol.Icmp));
        Assert.False(set.Parts[1].Protocols.Contains(IpProtocol.Icmp));
        Assert.False(set.Parts[1].Protocols.Contains(0)); // hop-by-hop options
        Assert.True(set.Parts[1].Protocols.Contains(IpProtocol.IcmpV6));
    }

    [Fact]
    public void Lists_ranges_groups_subnets_prefix_lists_and_icmp_types()
    {
        var set = Parse("tcp 198.51.100.0/24,203.0.113.7:1024-65535 -> sg:web-sg:80,443");
        Assert.True(set.SourcePortsGiven);
        var v4 = set.Parts.Single(p => !p.V6);
        Assert.True(v4.Sources.Contains(V4("198.51.100.200")) && v4.Sources.Contains(V4("203.0.113.7")) && !v4.Sources.Contains(V4("203.0.113.8")));
        Assert.Equal(IntervalSet.Of(1024, 65535), v4.SourcePorts);
        Assert.Equal(IntervalSet.Of([new Interval(80, 80), new Interval(443, 443)]), v4.DestinationPorts);

        var subnet = Parse("udp subnet:public -> [2001:db8::53]:53");
        var v6 = Assert.Single(subnet.Parts);
        Assert.True(v6.V6);
        Assert.Equal(IntervalSet.Of(53, 53), v6.DestinationPorts);

        // A bare IPv6 address takes no port: its last group is part of it, as in a flow line.
        var bare = Parse("udp * -> 2001:db8::1:53").Parts.Single(p => p.V6);
        Assert.Equal(IntervalSet.Of(1, 65535), bare.DestinationPorts);
        Assert.True(bare.Destinations.Contains(((UInt128)IpAddr.Parse("2001:db8::1:53").Hi << 64) | IpAddr.Parse("2001:db8::1:53").Lo));

        var icmp = Parse("icmp 198.51.100.0/24 -> web-1 type 3 code 0-4");
        Assert.Equal(IntervalSet.Of(3, 3), icmp.Parts[0].IcmpTypes);
        Assert.Equal(IntervalSet.Of(0, 4), icmp.Parts[0].IcmpCodes);

        // Ports narrow '*' to tcp and udp; a type narrows it to icmp and icmpv6.
        Assert.Equal(IntervalSet.Of([new Interval(IpProtocol.Tcp, IpProtocol.Tcp), new Interval(IpProtocol.Udp, IpProtocol.Udp)]), Parse("* * -> web-1:53").Parts[0].Protocols);
        Assert.Equal(IntervalSet.Of(IpProtocol.Icmp, IpProtocol.Icmp), Parse("* * -> web-1 type 8").Parts[0].Protocols);
    }

    [Theory]
    [InlineData("tcp * db-1:443", 0, "no '->'")]
    [InlineData("tcp * -> web-9:443", 9, "no interface of this ruleset has that name")]
    [InlineData("sctp * -> web-1", 0, "expected a protocol")]
    [InlineData("tcp * -> web-1:0", 15, "port 0 is in no set")]
    [InlineData("tcp * -> web-1:70000", 15, "")]
    [InlineData("icmp * -> web-1:443", 0, "ports apply to tcp and udp only")]
    [InlineData("tcp * -> web-1:443 type 3", 19, "cannot have both")]
    [InlineData("icmp * -> web-1 code 3", 16, "'code' needs a 'type'")]
    [InlineData("tcp * * -> web-1:443", 6, "expected one source endpoint")]
    [InlineData("tcp * ->", 8, "expected a destination endpoint")]
    public void What_is_not_a_set_is_an_error_at_its_column(string text, int column, string message)
    {
        var error = Error(text);
        Assert.Equal(column, error.Offset);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void No_text_makes_the_parser_throw()
    {
        var pieces = Gen.OneOf("tcp", "udp", "icmp", "*", "->", "web-1", "sg:web-sg", "pl:", "[", "]", ":", "::", ",", "-", "type", "code",
            "10.0.1.0/24", "2001:db8::1", "443", "0-99999", " ", "  ", "\t", "/33", "subnet:", "\u00e9", "\0");
        Gen.Select(pieces.Array[0, 12], words => string.Concat(words)).Sample(text =>
        {
            var set = PacketSetParser.Parse(text, WebTier, out var error);
            Assert.True(set is not null || (error.Offset >= 0 && error.Offset <= text.Length && error.Message.Length > 0), $"'{text}': {error}");
        }, iter: 20_000);
    }
}
