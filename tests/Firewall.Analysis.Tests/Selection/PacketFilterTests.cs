using Firewall.Analysis.Selection;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Tests.Selection;

/// <summary>What a compiled filter matches on decoded packets, with BPF's rules for ports and fragments.</summary>
public sealed class PacketFilterTests
{
    private static PacketInfo Packet(string src, string dst, byte protocol = IpProtocol.Tcp, ushort sport = 40000, ushort dport = 80)
    {
        var s = IpAddr.Parse(src);
        var p = new PacketInfo
        {
            Frame = 1,
            IpVersion = (byte)(s.IsV6 ? 6 : 4),
            Src = s,
            Dst = IpAddr.Parse(dst),
            Protocol = protocol,
        };
        if (protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            p.SrcPort = sport;
            p.DstPort = dport;
            p.Flags |= PacketFlags.Ports;
        }
        return p;
    }

    private static bool Matches(string filter, in PacketInfo p) =>
        (PacketFilter.Parse(filter, out var error) ?? throw new InvalidOperationException(error.ToString())).Matches(in p);

    [Theory]
    [InlineData("host 10.0.0.1", true)]
    [InlineData("host 10.0.0.3", false)]
    [InlineData("src host 10.0.0.1", true)]
    [InlineData("dst host 10.0.0.1", false)]
    [InlineData("src and dst net 10.0.0.0/24", true)]
    [InlineData("src and dst host 10.0.0.1", false)]
    [InlineData("net 10.0.0.0 mask 255.0.0.255", false)]
    [InlineData("net 10.0.0.0 mask 255.0.255.0", true)]
    [InlineData("port 80", true)]
    [InlineData("src port 80", false)]
    [InlineData("dst port 80", true)]
    [InlineData("portrange 30000-40000", true)]
    [InlineData("src portrange 40001-65535", false)]
    [InlineData("udp port 80", false)]
    [InlineData("tcp port 80 and not host 10.0.0.2", false)]
    [InlineData("tcp port 80 and (host 10.0.0.9 or host 10.0.0.2)", true)]
    [InlineData("ip", true)]
    [InlineData("ip6", false)]
    [InlineData("tcp", true)]
    [InlineData("not tcp or port 80", true)]
    [InlineData("icmp", false)]
    [InlineData("host 2001:db8::1", false)]
    public void Matches_a_tcp_packet(string filter, bool expected)
    {
        var p = Packet("10.0.0.1", "10.0.0.2");
        Assert.Equal(expected, Matches(filter, in p));
    }

    [Fact]
    public void Families_do_not_mix()
    {
        var v6 = Packet("2001:db8::1", "2001:db8::2");
        Assert.True(Matches("ip6 and host 2001:db8::1 and net 2001:db8::/32", in v6));
        Assert.False(Matches("ip", in v6));
        Assert.False(Matches("net 0.0.0.0/0", in v6));
        Assert.True(Matches("net ::/0", in v6));
        var icmp6 = Packet("2001:db8::1", "2001:db8::2", IpProtocol.IcmpV6);
        Assert.True(Matches("icmp6", in icmp6));
        Assert.False(Matches("icmp", in icmp6));
        var icmp4 = Packet("10.0.0.1", "10.0.0.2", IpProtocol.Icmp);
        Assert.True(Matches("icmp", in icmp4));
        Assert.False(Matches("icmp6 or port 80", in icmp4));
    }

    [Fact]
    public void Ports_are_read_only_where_bpf_reads_them()
    {
        var later = Packet("10.0.0.1", "10.0.0.2");
        later.Flags |= PacketFlags.Fragment;
        later.FragOffset = 1480;
        Assert.False(Matches("port 80", in later)); // a later IPv4 fragment has no transport header
        Assert.True(Matches("tcp", in later));
        var first = Packet("10.0.0.1", "10.0.0.2");
        first.Flags |= PacketFlags.Fragment | PacketFlags.MoreFragments;
        Assert.True(Matches("port 80", in first));
        var v6First = Packet("2001:db8::1", "2001:db8::2");
        v6First.Flags |= PacketFlags.Fragment | PacketFlags.MoreFragments;
        Assert.False(Matches("port 80", in v6First)); // BPF reads IPv6 ports only right after the fixed header
        Assert.True(Matches("tcp", in v6First));
    }

    [Fact]
    public void Frames_without_a_decoded_ip_packet_match_no_primitive()
    {
        var arp = new PacketInfo { Frame = 1, NotIp = NotIpKind.Arp };
        Assert.False(Matches("host 10.0.0.1 or ip or tcp or port 80", in arp));
        Assert.True(Matches("not ip", in arp));
        var broken = Packet("10.0.0.1", "10.0.0.2");
        broken.Error = DecodeError.TruncatedIpHeader;
        Assert.False(Matches("host 10.0.0.1", in broken));
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        var filter = PacketFilter.Parse("(tcp port 80 or udp portrange 1-1024) and not net 10.1.0.0/16 or host 2001:db8::1", out _)!;
        var p = Packet("10.0.0.1", "10.0.0.2");
        var matched = 0;
        // Rounds until one allocates nothing: the JIT's tiering may allocate on this thread in the first ones,
        // while a match that allocated would do so in every round.
        var fewest = long.MaxValue;
        for (var round = 0; round < 20 && fewest > 0; round++)
        {
            matched = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                p.DstPort = (ushort)i;
                matched += filter.Matches(in p) ? 1 : 0;
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
        Assert.Equal(1, matched); // port 80 only; 10.0.0.0/8 is not in 10.1.0.0/16
    }
}
