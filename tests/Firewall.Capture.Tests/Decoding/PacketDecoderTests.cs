using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;
using static Firewall.Tests.Support.Captures.PacketBytes;

namespace Firewall.Capture.Tests.Decoding;

public class PacketDecoderTests
{
    private static readonly DecoderOptions Plain = new();
    private static readonly DecoderOptions Vxlan = new() { DecapsulateVxlan = true };

    internal static PacketInfo Decode(byte[] frame, ushort linkType = LinkTypes.Ethernet, DecoderOptions options = default, int originalLength = 0)
    {
        var info = new PacketInfo { Frame = 7, TimestampNs = 99, OriginalLength = originalLength };
        PacketDecoder.Decode(frame, linkType, options, ref info);
        return info;
    }

    private static byte[] TcpSyn => Ipv4("192.0.2.1", "198.51.100.2", 6, Tcp(51514, 443, TcpFlag.Syn, seq: 7, ack: 9));

    [Fact]
    public void Ethernet_ipv4_tcp()
    {
        var info = Decode(EthernetIpv4(Ipv4("192.0.2.1", "198.51.100.2", 6, Tcp(51514, 443, TcpFlag.Syn | TcpFlag.Ack, seq: 7, ack: 9, payload: [1, 2, 3]), id: 77, dontFragment: true)));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(7, info.Frame);
        Assert.Equal(99, info.TimestampNs);
        Assert.Equal(4, info.IpVersion);
        Assert.Equal(IpAddr.Parse("192.0.2.1"), info.Src);
        Assert.Equal(IpAddr.Parse("198.51.100.2"), info.Dst);
        Assert.Equal(IpProtocol.Tcp, info.Protocol);
        Assert.Equal((51514, 443), (info.SrcPort, info.DstPort));
        Assert.Equal(TcpFlag.Syn | TcpFlag.Ack, info.TcpFlags);
        Assert.Equal((7u, 9u), (info.Seq, info.Ack));
        Assert.Equal(3, info.PayloadLength);
        Assert.Equal(43, info.IpLength);
        Assert.Equal(77u, info.FragId);
        Assert.Equal(64, info.Ttl);
        Assert.Equal(PacketFlags.Ports | PacketFlags.Tcp | PacketFlags.DontFragment, info.Flags);
    }

    [Fact]
    public void Ethernet_padding_is_not_payload()
    {
        var ip = Ipv4("192.0.2.1", "198.51.100.2", 17, Udp(1, 2, [0xaa]));
        var frame = EthernetIpv4(ip).Concat(new byte[60 - 14 - ip.Length]).ToArray();
        var info = Decode(frame);
        Assert.Equal(1, info.PayloadLength);
        Assert.Equal(29, info.IpLength);
    }

    [Fact]
    public void Ipv4_options_are_skipped()
    {
        var info = Decode(EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1000, 2000, [1, 2]), options: [0x94, 0x04, 0, 0, 1, 1, 1, 0])));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal((1000, 2000), (info.SrcPort, info.DstPort));
        Assert.Equal(2, info.PayloadLength);
    }

    [Fact]
    public void Ipv6_udp()
    {
        var info = Decode(Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 17, Udp(5353, 53, [1, 2, 3]))));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(6, info.IpVersion);
        Assert.Equal(IpAddr.Parse("2001:db8::1"), info.Src);
        Assert.Equal(IpAddr.Parse("2001:db8:1::10"), info.Dst);
        Assert.Equal(IpProtocol.Udp, info.Protocol);
        Assert.Equal((5353, 53), (info.SrcPort, info.DstPort));
        Assert.Equal(3, info.PayloadLength);
    }

    [Fact]
    public void Non_ip_frames_decode_with_ip_version_0()
    {
        var arp = Decode(Ethernet(0x0806, new byte[28]));
        Assert.Equal(DecodeError.None, arp.Error);
        Assert.Equal(0, arp.IpVersion);
        var llc = Decode(Ethernet(46, new byte[46]));   // 802.3 length field
        Assert.Equal(DecodeError.None, llc.Error);
        Assert.False(llc.IsIp);
    }

    [Theory]
    [InlineData((ushort)0x0806, NotIpKind.Arp)]
    [InlineData((ushort)0x8137, NotIpKind.Ipx)]
    [InlineData((ushort)46, NotIpKind.Llc)]                 // 802.3: a length, LLC follows
    [InlineData((ushort)1500, NotIpKind.Llc)]
    [InlineData((ushort)1536, NotIpKind.EtherType)]
    [InlineData((ushort)0x88cc, NotIpKind.EtherType)]       // LLDP
    [InlineData((ushort)0x8864, NotIpKind.EtherType)]       // PPPoE session
    public void Non_ip_frames_say_what_they_carry(ushort etherType, NotIpKind kind)
    {
        foreach (var frame in new[] { Ethernet(etherType, new byte[46]), Ethernet(etherType, new byte[46], 100, 200) })
        {
            var info = Decode(frame);
            Assert.Equal(DecodeError.None, info.Error);
            Assert.Equal(kind, info.NotIp);
            Assert.Equal(etherType, info.NotIpType);
        }
        byte[] sll = [0, 0, 0, 1, 0, 6, .. MacA, 0, 0, (byte)(etherType >> 8), (byte)etherType, .. new byte[28]];
        Assert.Equal(kind, Decode(sll, LinkTypes.LinuxSll).NotIp);
    }

    [Fact]
    public void Ip_and_undecodable_frames_have_no_not_ip_kind()
    {
        Assert.Equal(NotIpKind.None, Decode(EthernetIpv4(TcpSyn)).NotIp);
        Assert.Equal(NotIpKind.None, Decode(Ethernet(0x0800, [0x45, 0])).NotIp);
        Assert.Equal(NotIpKind.None, Decode([1, 2, 3], LinkTypes.Ethernet).NotIp);
    }

    [Fact]
    public void Vxlan_inner_arp_says_so()
    {
        var arp = Ethernet(0x0806, new byte[28]);
        var info = Decode(EthernetIpv4(Ipv4("172.31.0.10", "172.31.0.20", 17, Udp(49152, 4789, Vxlan(7, arp)))), options: Vxlan);
        Assert.True(info.Has(PacketFlags.Decapsulated));
        Assert.Equal(NotIpKind.Arp, info.NotIp);
    }

    // ---------- link types ----------

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 })]      // little-endian host
    [InlineData(new byte[] { 0, 0, 0, 2 })]      // big-endian host
    public void Null_ipv4_in_either_host_byte_order(byte[] header)
    {
        var info = Decode([.. header, .. TcpSyn], LinkTypes.Null);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(4, info.IpVersion);
        Assert.Equal(443, info.DstPort);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(30)]
    public void Null_ipv6_families_of_every_bsd(byte family)
    {
        var ip = Ipv6("2001:db8::1", "2001:db8::2", 58, Icmp(128, 0, id: 0x4242));
        Assert.Equal(6, Decode([family, 0, 0, 0, .. ip], LinkTypes.Null).IpVersion);
        var be = Decode([0, 0, 0, family, .. ip], LinkTypes.Null);
        Assert.Equal(0x4242, be.IcmpId);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x08, 0x00, 0x00 }, 4)]   // EtherType 0x0800 from a little-endian host
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x00 }, 4)]   // ... from a big-endian host
    [InlineData(new byte[] { 0xdd, 0x86, 0x00, 0x00 }, 6)]   // 0x86dd, little-endian
    [InlineData(new byte[] { 0x00, 0x00, 0x86, 0xdd }, 6)]   // 0x86dd, big-endian
    public void Null_with_an_ethertype_for_a_family(byte[] header, int version)
    {
        var ip = version == 4 ? TcpSyn : Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(1, 443, TcpFlag.Syn));
        var info = Decode([.. header, .. ip], LinkTypes.Null);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal((version, 443), (info.IpVersion, (int)info.DstPort));
    }

    [Fact]
    public void Null_with_other_ethertypes_reads_them_as_ethernet_would()
    {
        var arp = Decode([0x06, 0x08, 0, 0, .. new byte[28]], LinkTypes.Null);
        Assert.Equal((DecodeError.None, NotIpKind.Arp, 0x0806u), (arp.Error, arp.NotIp, arp.NotIpType));
        var lldp = Decode([0, 0, 0x88, 0xcc, .. new byte[28]], LinkTypes.Null);
        Assert.Equal((NotIpKind.EtherType, 0x88ccu), (lldp.NotIp, lldp.NotIpType));
        var mpls = Decode([0x47, 0x88, 0, 0, .. MplsLabels(16001), .. TcpSyn], LinkTypes.Null);
        Assert.Equal(443, mpls.DstPort);
        // The EtherType names the version, as on Ethernet: IPv6 behind 0x0800 is a bad version.
        Assert.Equal(DecodeError.BadIpVersion, Decode([0x00, 0x08, 0, 0, .. Ipv6("::1", "::2", 17, Udp(1, 2, []))], LinkTypes.Null).Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x02, 0x00, 0x00 })]      // IRIX / UNICOS/mp snoop: 16-bit big-endian AF_INET, then 2 zero bytes
    [InlineData(new byte[] { 0x00, 0x00, 0x02, 0x00 })]      // the same as Wireshark reads it from the other byte order
    public void Null_with_a_16_bit_family(byte[] header)
    {
        Assert.Equal(443, Decode([.. header, .. TcpSyn], LinkTypes.Null).DstPort);
    }

    [Fact]
    public void Loop_takes_no_ethertype_for_a_family()
    {
        // Wireshark's LOOP dissector reads only address families: 0x0800 is family 2048, no IP.
        var info = Decode([0, 0, 0x08, 0x00, .. TcpSyn], LinkTypes.Loop);
        Assert.Equal((DecodeError.None, NotIpKind.Family, 2048u), (info.Error, info.NotIp, info.NotIpType));
    }

    [Fact]
    public void Null_other_family_is_not_ip()
    {
        var info = Decode([7, 0, 0, 0, 1, 2, 3], LinkTypes.Null);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(0, info.IpVersion);
        Assert.Equal(NotIpKind.Family, info.NotIp);
        Assert.Equal(7u, info.NotIpType);
    }

    [Fact]
    public void Loop_is_network_byte_order()
    {
        Assert.Equal(4, Decode([0, 0, 0, 2, .. TcpSyn], LinkTypes.Loop).IpVersion);
        var swapped = Decode([2, 0, 0, 0, .. TcpSyn], LinkTypes.Loop);
        Assert.Equal(0, swapped.IpVersion);
        Assert.Equal((NotIpKind.Family, 0x02000000u), (swapped.NotIp, swapped.NotIpType));
    }

    [Theory]
    [InlineData(LinkTypes.Raw)]
    [InlineData(LinkTypes.RawBsd12)]
    [InlineData(LinkTypes.RawBsd14)]
    public void Raw_version_nibble_decides(ushort linkType)
    {
        Assert.Equal(4, Decode(TcpSyn, linkType).IpVersion);
        Assert.Equal(6, Decode(Ipv6("::1", "::2", 17, Udp(1, 2, [])), linkType).IpVersion);
        Assert.Equal(DecodeError.BadIpVersion, Decode([0x50, .. new byte[30]], linkType).Error);
    }

    [Fact]
    public void Ipv4_and_ipv6_link_types_decode_the_other_version_by_the_nibble_and_flag_it()
    {
        var v6 = Ipv6("::1", "::2", 17, Udp(1, 2, []));
        var v4OnV4 = Decode(TcpSyn, LinkTypes.Ipv4);
        Assert.Equal((DecodeError.None, 4), (v4OnV4.Error, (int)v4OnV4.IpVersion));
        Assert.False(v4OnV4.Has(PacketFlags.IpVersionMismatch));
        var v6OnV6 = Decode(v6, LinkTypes.Ipv6);
        Assert.Equal((DecodeError.None, 6), (v6OnV6.Error, (int)v6OnV6.IpVersion));
        Assert.False(v6OnV6.Has(PacketFlags.IpVersionMismatch));

        var v6OnV4 = Decode(v6, LinkTypes.Ipv4);
        Assert.Equal((DecodeError.None, 6, 2), (v6OnV4.Error, (int)v6OnV4.IpVersion, (int)v6OnV4.DstPort));
        Assert.True(v6OnV4.Has(PacketFlags.IpVersionMismatch));
        var v4OnV6 = Decode(TcpSyn, LinkTypes.Ipv6);
        Assert.Equal((DecodeError.None, 4, 443), (v4OnV6.Error, (int)v4OnV6.IpVersion, (int)v4OnV6.DstPort));
        Assert.True(v4OnV6.Has(PacketFlags.IpVersionMismatch));

        // Neither version: still a bad version, and no mismatch flag.
        var neither = Decode([0x50, .. new byte[30]], LinkTypes.Ipv4);
        Assert.Equal(DecodeError.BadIpVersion, neither.Error);
        Assert.False(neither.Has(PacketFlags.IpVersionMismatch));
        // The other link layers keep insisting: an EtherType or NULL family names the version.
        Assert.Equal(DecodeError.BadIpVersion, Decode(Ethernet(0x0800, v6)).Error);
        Assert.Equal(DecodeError.BadIpVersion, Decode([2, 0, 0, 0, .. v6], LinkTypes.Null).Error);
    }

    [Fact]
    public void Version_mismatches_are_counted_as_warnings_per_version()
    {
        var counts = new DecodeCounts();
        var v6 = Ipv6("::1", "::2", 17, Udp(1, 2, []));
        var frames = new (byte[] Frame, ushort LinkType)[]
        {
            (TcpSyn, LinkTypes.Ipv4), (v6, LinkTypes.Ipv4), (v6, LinkTypes.Ipv4), (TcpSyn, LinkTypes.Ipv6), (v6[..20], LinkTypes.Ipv4),
        };
        foreach (var (frame, linkType) in frames)
        {
            var info = new PacketInfo { Frame = counts.Frames + 1 };
            PacketDecoder.Decode(frame, linkType, default, ref info);
            counts.Count(in info);
        }
        Assert.Equal(4, counts.IpVersionMismatches);
        Assert.Equal(1, counts.Undecodable);   // the cut IPv6 header: undecodable, and still mislabelled
        Assert.Equal(
            [
                "frame 2: 3 frames of link type IPV4 (228) hold IPv6; decoded by the IP version nibble, as tcpdump does",
                "frame 4: 1 frame of link type IPV6 (229) holds IPv4; decoded by the IP version nibble, as tcpdump does",
            ],
            counts.Warnings());
    }

    [Fact]
    public void Linux_cooked_v1_and_v2()
    {
        byte[] sll = [0, 0, 0, 1, 0, 6, .. MacA, 0, 0, 0x08, 0x00];
        Assert.Equal(443, Decode([.. sll, .. TcpSyn], LinkTypes.LinuxSll).DstPort);
        byte[] sll2 = [0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, .. MacA, 0, 0];
        Assert.Equal(443, Decode([.. sll2, .. TcpSyn], LinkTypes.LinuxSll2).DstPort);
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(sll[..15], LinkTypes.LinuxSll).Error);
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(sll2[..19], LinkTypes.LinuxSll2).Error);
    }

    [Fact]
    public void Cisco_hdlc_carries_ip_under_ethertype_values()
    {
        // address (0x0f unicast, 0x8f broadcast), control 0, protocol (Wireshark: chdlc.protocol)
        Assert.Equal(443, Decode([0x0f, 0x00, 0x08, 0x00, .. TcpSyn], LinkTypes.CHdlc).DstPort);
        var v6 = Decode([0x8f, 0x00, 0x86, 0xdd, .. Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(1, 443, TcpFlag.Syn))], LinkTypes.CHdlc);
        Assert.Equal((6, (ushort)443), (v6.IpVersion, v6.DstPort));
        Assert.Equal(NotIpKind.EtherType, Decode([0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 1], LinkTypes.CHdlc).NotIp); // SLARP keepalive
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode([0x0f, 0x00, 0x08], LinkTypes.CHdlc).Error);
    }

    [Fact]
    public void Unknown_link_type_is_unsupported()
    {
        Assert.Equal(DecodeError.UnsupportedLinkType, Decode(TcpSyn, 147).Error);
        Assert.Equal(DecodeError.UnsupportedLinkType, Decode(TcpSyn, LinkTypes.Unknown).Error);
    }

    // ---------- VLAN ----------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(PacketDecoder.MaxVlanTags)]
    public void Vlan_tags_up_to_the_bound_report_the_outermost_id(int depth)
    {
        var tags = Enumerable.Range(0, depth).Select(i => (ushort)(0x2000 | (100 + i))).ToArray();   // PCP bits must not leak into the id
        var info = Decode(Ethernet(0x0800, TcpSyn, tags));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.True(info.Has(PacketFlags.Vlan));
        Assert.Equal(100, info.Vlan);
        Assert.Equal(443, info.DstPort);
    }

    [Fact]
    public void Legacy_qinq_tpid_is_a_vlan_tag()
    {
        byte[] frame = [.. MacB, .. MacA, 0x91, 0x00, 0x00, 0x05, 0x81, 0x00, 0x00, 0x06, 0x08, 0x00, .. TcpSyn];
        var info = Decode(frame);
        Assert.Equal(5, info.Vlan);
        Assert.Equal(443, info.DstPort);
    }

    // ---------- MPLS ----------

    private static byte[] Labels(params uint[] labels) => MplsLabels(labels);

    [Theory]
    [InlineData(0x8847, 1)]
    [InlineData(0x8847, 2)]
    [InlineData(0x8847, 3)]
    [InlineData(0x8847, PacketDecoder.MaxMplsLabels)]
    [InlineData(0x8848, 1)]                             // multicast MPLS
    public void Mpls_carries_ip_by_the_first_nibble_after_the_bottom_label(int etherType, int depth)
    {
        var labels = Labels(Enumerable.Range(16, depth).Select(l => (uint)l).ToArray());
        var v4 = Decode(Ethernet((ushort)etherType, [.. labels, .. TcpSyn]));
        Assert.Equal(DecodeError.None, v4.Error);
        Assert.Equal((4, 443), (v4.IpVersion, (int)v4.DstPort));
        var v6 = Decode(Ethernet((ushort)etherType, [.. labels, .. Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(1, 53, [1]))]));
        Assert.Equal(DecodeError.None, v6.Error);
        Assert.Equal((6, 53), (v6.IpVersion, (int)v6.DstPort));
        Assert.Equal(NotIpKind.None, v6.NotIp);
    }

    [Fact]
    public void Explicit_null_labels_decode_by_the_nibble_too()
    {
        // Label 0 is IPv4 explicit null, 2 IPv6 explicit null (RFC 3032 section 2.1): the nibble still decides.
        Assert.Equal(4, Decode(Ethernet(0x8847, [.. Labels(0), .. TcpSyn])).IpVersion);
        Assert.Equal(6, Decode(Ethernet(0x8847, [.. Labels(2), .. Ipv6("::1", "::2", 17, Udp(1, 2, []))])).IpVersion);
    }

    [Fact]
    public void Mpls_under_vlan_tags()
    {
        var info = Decode(Ethernet(0x8847, [.. Labels(16001, 24001), .. TcpSyn], 200, 100));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(200, info.Vlan);
        Assert.Equal(443, info.DstPort);
    }

    [Fact]
    public void Ethernet_pseudowire_after_a_zero_control_word()
    {
        var inner = Ethernet(0x0800, TcpSyn);
        var info = Decode(Ethernet(0x8847, [.. Labels(16001, 30001), .. ControlWord, .. inner]));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal((4, 443), (info.IpVersion, (int)info.DstPort));
        Assert.False(info.Has(PacketFlags.Vlan));
        // The control word's flags, length and sequence number are not looked at: only its first nibble.
        var sequenced = Decode(Ethernet(0x8847, [.. Labels(30001), 0x00, 0x00, 0x12, 0x34, .. inner]));
        Assert.Equal(443, sequenced.DstPort);
        // Wire lengths shrink through the layers: Ethernet padding after the inner IP packet is no payload.
        var padded = Decode(Ethernet(0x8847, [.. Labels(30001), .. ControlWord, .. inner, .. new byte[10]]));
        Assert.Equal(0, padded.PayloadLength);
        Assert.Equal(TcpSyn.Length, padded.IpLength);
    }

    [Fact]
    public void Pseudowire_frames_keep_the_outer_vlan_else_show_the_inner_one()
    {
        var innerTagged = Ethernet(0x0800, TcpSyn, 300);
        Assert.Equal(300, Decode(Ethernet(0x8847, [.. Labels(30001), .. ControlWord, .. innerTagged])).Vlan);
        Assert.Equal(100, Decode(Ethernet(0x8847, [.. Labels(30001), .. ControlWord, .. innerTagged], 100)).Vlan);
    }

    [Fact]
    public void Pseudowire_inner_arp_is_not_ip_arp()
    {
        var info = Decode(Ethernet(0x8847, [.. Labels(30001), .. ControlWord, .. Ethernet(0x0806, new byte[28])]));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal((NotIpKind.Arp, 0x0806u), (info.NotIp, info.NotIpType));
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x00, 0x00, 0x07, 0x20, 0xc0, 3, 24 })]   // G-ACh (RFC 5586): associated channel header
    [InlineData(new byte[] { 0x30, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(new byte[] { 0xf0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 1, 2 })]                 // a control word, then too little for Ethernet
    [InlineData(new byte[0])]                                                 // nothing after the bottom label
    public void Other_mpls_payloads_are_not_ip_mpls(byte[] payload)
    {
        foreach (var type in new ushort[] { 0x8847, 0x8848 })
        {
            var info = Decode(Ethernet(type, [.. Labels(16001, 13), .. payload]));
            Assert.Equal(DecodeError.None, info.Error);
            Assert.Equal((NotIpKind.Mpls, (uint)type), (info.NotIp, info.NotIpType));
            Assert.Equal(0, info.IpVersion);
        }
    }

    [Fact]
    public void Too_many_mpls_labels()
    {
        var labels = Labels(Enumerable.Range(16, PacketDecoder.MaxMplsLabels + 1).Select(l => (uint)l).ToArray());
        Assert.Equal(DecodeError.TooManyMplsLabels, Decode(Ethernet(0x8847, [.. labels, .. TcpSyn])).Error);
    }

    [Fact]
    public void Cut_mpls_headers_are_truncated_link_headers()
    {
        var frame = Ethernet(0x8847, [.. Labels(16001, 30001), .. ControlWord, .. Ethernet(0x0800, TcpSyn)]);
        // Inside the stack, between the labels, inside the control word or the inner Ethernet header: cut by the snap length.
        foreach (var cut in new[] { 15, 18, 20, 23, 25, 30, 39 })
        {
            Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(frame[..cut], originalLength: frame.Length).Error);
        }
        // A stack that the frame ends inside (no bottom-of-stack bit) is cut short too.
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(Ethernet(0x8847, [0, 0x3e, 0x80, 64, 0, 0x3e, 0x80, 64])).Error);
        // The inner IP header cut: as for plain Ethernet.
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(frame[..50], originalLength: frame.Length).Error);
    }

    [Fact]
    public void Too_many_vlan_tags()
    {
        var tags = Enumerable.Repeat((ushort)10, PacketDecoder.MaxVlanTags + 1).ToArray();
        Assert.Equal(DecodeError.TooManyVlanTags, Decode(Ethernet(0x0800, TcpSyn, tags)).Error);
    }

    [Fact]
    public void Vlan_tag_cut_short_is_a_truncated_link_header()
    {
        var frame = Ethernet(0x0800, TcpSyn, 10);
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(frame[..16]).Error);
        Assert.Equal(DecodeError.TruncatedLinkHeader, Decode(frame[..13]).Error);
    }

    // ---------- IPv4 errors and fragments ----------

    [Fact]
    public void Ipv4_errors()
    {
        var ok = EthernetIpv4(TcpSyn);
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(ok[..(14 + 19)]).Error);
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(ok[..14]).Error);
        Assert.Equal(DecodeError.BadIpHeaderLength, Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), ihlWords: 4))).Error);
        Assert.Equal(DecodeError.BadIpHeaderLength, Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), totalLength: 19))).Error);
        Assert.Equal(DecodeError.BadIpHeaderLength, Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), totalLength: 500))).Error);
        // The same total length is fine when the frame was merely cut by the snaplen.
        var cut = Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), totalLength: 500)), originalLength: 514);
        Assert.Equal(DecodeError.None, cut.Error);
        Assert.True(cut.Has(PacketFlags.Truncated));
        Assert.Equal(500 - 20 - 20, cut.PayloadLength);
        // Options announced by the IHL but cut off by the snaplen.
        var options = EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), options: new byte[20]));
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(options[..(14 + 30)], originalLength: options.Length).Error);
    }

    [Fact]
    public void Ipv4_total_length_zero_takes_the_frame_length_as_wireshark_does()
    {
        var info = Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 0x10, payload: new byte[100]), totalLength: 0)));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(100, info.PayloadLength);
    }

    [Fact]
    public void Ipv4_first_fragment_has_ports_and_later_fragment_does_not()
    {
        var first = Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 17, Udp(1111, 2222, new byte[16]), id: 0xbeef, moreFragments: true)));
        Assert.Equal(DecodeError.None, first.Error);
        Assert.True(first.Has(PacketFlags.Fragment | PacketFlags.MoreFragments));
        Assert.Equal(0, first.FragOffset);
        Assert.Equal(2222, first.DstPort);
        Assert.Equal(0xbeefu, first.FragId);

        var later = Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 17, new byte[3], id: 0xbeef, fragmentOffsetBytes: 24)));
        Assert.Equal(DecodeError.None, later.Error);
        Assert.True(later.IsLaterFragment);
        Assert.False(later.Has(PacketFlags.MoreFragments));
        Assert.False(later.Has(PacketFlags.Ports));
        Assert.Equal(24, later.FragOffset);
        Assert.Equal(IpProtocol.Udp, later.Protocol);
        Assert.Equal(3, later.PayloadLength);
    }

    // ---------- IPv6 extension headers ----------

    [Fact]
    public void Ipv6_extension_header_chain_is_walked_to_the_transport_header()
    {
        var ip = Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(40000, 22, TcpFlag.Syn),
            OptionsHeader(0), OptionsHeader(60, 2), OptionsHeader(43), AuthenticationHeader(), OptionsHeader(135), OptionsHeader(139), OptionsHeader(140));
        var info = Decode(ip, LinkTypes.Ipv6);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(IpProtocol.Tcp, info.Protocol);
        Assert.Equal(22, info.DstPort);
        Assert.Equal(0, info.PayloadLength);
    }

    [Fact]
    public void Ipv6_fragment_header_fills_offset_flag_and_id()
    {
        var first = Decode(Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(53, 5353, new byte[8]), FragmentHeader(0, true, 0xdeadbeef)), LinkTypes.Ipv6);
        Assert.Equal(DecodeError.None, first.Error);
        Assert.True(first.Has(PacketFlags.Fragment | PacketFlags.MoreFragments));
        Assert.Equal(0xdeadbeefu, first.FragId);
        Assert.Equal(5353, first.DstPort);

        var later = Decode(Ipv6("2001:db8::1", "2001:db8::2", 17, new byte[8], OptionsHeader(0), FragmentHeader(1448, false, 7)), LinkTypes.Ipv6);
        Assert.Equal(DecodeError.None, later.Error);
        Assert.True(later.IsLaterFragment);
        Assert.Equal(1448, later.FragOffset);
        Assert.Equal(IpProtocol.Udp, later.Protocol);
        Assert.False(later.Has(PacketFlags.Ports));
    }

    [Theory]
    [InlineData(50)]   // ESP
    [InlineData(59)]   // No Next Header
    public void Esp_and_no_next_header_end_the_walk(byte protocol)
    {
        var info = Decode(Ipv6("2001:db8::1", "2001:db8::2", protocol, new byte[16], OptionsHeader(60)), LinkTypes.Ipv6);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(protocol, info.Protocol);
    }

    [Fact]
    public void Extension_header_bound()
    {
        var atBound = Enumerable.Repeat(OptionsHeader(60), PacketDecoder.MaxExtensionHeaders).ToArray();
        Assert.Equal(DecodeError.None, Decode(Ipv6("::1", "::2", 17, Udp(1, 2, []), atBound), LinkTypes.Ipv6).Error);
        var beyond = Enumerable.Repeat(OptionsHeader(60), PacketDecoder.MaxExtensionHeaders + 1).ToArray();
        Assert.Equal(DecodeError.TooManyExtensionHeaders, Decode(Ipv6("::1", "::2", 17, Udp(1, 2, []), beyond), LinkTypes.Ipv6).Error);
    }

    [Fact]
    public void Extension_header_past_the_packet_is_bad_and_past_the_snaplen_is_truncated()
    {
        var ip = Ipv6("::1", "::2", 17, Udp(1, 2, []), OptionsHeader(60, 2));
        ip[41] = 9;   // claims 80 bytes in a 24-byte payload
        Assert.Equal(DecodeError.BadExtensionHeader, Decode(ip, LinkTypes.Ipv6).Error);

        var fine = Ipv6("::1", "::2", 17, Udp(1, 2, []), OptionsHeader(60, 2));
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(fine[..50], LinkTypes.Ipv6, originalLength: fine.Length).Error);
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(fine[..39], LinkTypes.Ipv6, originalLength: fine.Length).Error);
    }

    [Fact]
    public void Ipv6_payload_length_beyond_the_frame()
    {
        var ip = Ipv6("::1", "::2", 17, Udp(1, 2, [1]));
        ip[5] = 200;
        Assert.Equal(DecodeError.BadIpHeaderLength, Decode(ip, LinkTypes.Ipv6).Error);
    }

    // ---------- transport ----------

    [Fact]
    public void Tcp_errors()
    {
        var ok = Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2));
        Assert.Equal(DecodeError.TruncatedTransportHeader, Decode(ok[..(20 + 13)], LinkTypes.Ipv4, originalLength: ok.Length).Error);
        var fieldsOnly = Decode(ok[..(20 + 14)], LinkTypes.Ipv4, originalLength: ok.Length);
        Assert.Equal(DecodeError.None, fieldsOnly.Error);
        Assert.Equal(TcpFlag.Syn, fieldsOnly.TcpFlags);
        Assert.Equal(DecodeError.BadTcpHeaderLength, Decode(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2, dataOffsetWords: 4)), LinkTypes.Ipv4).Error);
        var longHeader = Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2));
        longHeader[20 + 12] = 0xf0;   // 60-byte header in a 20-byte segment
        Assert.Equal(DecodeError.BadTcpHeaderLength, Decode(longHeader, LinkTypes.Ipv4).Error);
    }

    [Fact]
    public void Udp_and_icmp_truncation()
    {
        var udp = Ipv4("1.1.1.1", "2.2.2.2", 17, Udp(1, 2, [1]));
        Assert.Equal(DecodeError.TruncatedTransportHeader, Decode(udp[..23], LinkTypes.Ipv4, originalLength: udp.Length).Error);
        Assert.Equal(2, Decode(udp[..24], LinkTypes.Ipv4, originalLength: udp.Length).DstPort);
        var echo = Ipv4("1.1.1.1", "2.2.2.2", 1, Icmp(8, 0, id: 5));
        Assert.Equal(DecodeError.TruncatedTransportHeader, Decode(echo[..21], LinkTypes.Ipv4, originalLength: echo.Length).Error);
        Assert.Equal(DecodeError.TruncatedTransportHeader, Decode(echo[..25], LinkTypes.Ipv4, originalLength: echo.Length).Error);
        Assert.Equal(5, Decode(echo[..26], LinkTypes.Ipv4, originalLength: echo.Length).IcmpId);
    }

    [Fact]
    public void Other_protocols_decode_by_number()
    {
        var info = Decode(Ipv4("1.1.1.1", "2.2.2.2", 47, new byte[12]), LinkTypes.Ipv4);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(47, info.Protocol);
        Assert.Equal(12, info.PayloadLength);
        Assert.False(info.Has(PacketFlags.Ports));
    }

    [Theory]
    [InlineData(1, 8, true)]
    [InlineData(1, 0, true)]
    [InlineData(1, 13, false)]   // timestamp: neither echo nor error
    [InlineData(58, 128, true)]
    [InlineData(58, 129, true)]
    [InlineData(58, 135, false)] // neighbour solicitation
    public void Icmp_echo_identifier(byte protocol, byte type, bool echo)
    {
        var ip = protocol == 1
            ? Ipv4("1.1.1.1", "2.2.2.2", 1, Icmp(type, 0, id: 0x1234, sequence: 1))
            : Ipv6("fe80::1", "fe80::2", 58, Icmp(type, 0, id: 0x1234, sequence: 1));
        var info = Decode(ip, LinkTypes.Raw);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.Equal(type, info.IcmpType);
        Assert.Equal(echo, info.Has(PacketFlags.IcmpEcho));
        Assert.Equal(echo ? 0x1234 : 0, info.IcmpId);
    }

    [Fact]
    public void Icmp_error_quotes_an_ipv4_udp_header()
    {
        var original = Ipv4("10.0.0.5", "192.0.2.53", 17, Udp(40000, 53, new byte[30]));
        var error = Ipv4("192.0.2.53", "10.0.0.5", 1, Icmp(3, 3, body: original[..28]));
        var info = Decode(EthernetIpv4(error));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.True(info.IsIcmpError);
        Assert.Equal((3, 3), (info.IcmpType, info.IcmpCode));
        Assert.True(info.Has(PacketFlags.InnerHeader | PacketFlags.InnerPorts));
        Assert.Equal(IpAddr.Parse("10.0.0.5"), info.InnerSrc);
        Assert.Equal(IpAddr.Parse("192.0.2.53"), info.InnerDst);
        Assert.Equal(IpProtocol.Udp, info.InnerProtocol);
        Assert.Equal((40000, 53), (info.InnerSrcPort, info.InnerDstPort));
    }

    [Fact]
    public void Icmp_error_with_a_short_quote_has_the_inner_header_without_ports()
    {
        var original = Ipv4("10.0.0.5", "192.0.2.53", 6, Tcp(40000, 80, 2));
        var info = Decode(Ipv4("192.0.2.1", "10.0.0.5", 1, Icmp(11, 0, body: original[..22])), LinkTypes.Ipv4);
        Assert.True(info.Has(PacketFlags.InnerHeader));
        Assert.False(info.Has(PacketFlags.InnerPorts));
        Assert.Equal(IpProtocol.Tcp, info.InnerProtocol);
        var tooShort = Decode(Ipv4("192.0.2.1", "10.0.0.5", 1, Icmp(11, 0, body: original[..19])), LinkTypes.Ipv4);
        Assert.Equal(DecodeError.None, tooShort.Error);
        Assert.False(tooShort.Has(PacketFlags.InnerHeader));
    }

    [Fact]
    public void Icmpv6_error_quotes_an_ipv6_tcp_header_past_extension_headers()
    {
        var original = Ipv6("2001:db8::5", "2001:db8:1::10", 6, Tcp(50000, 443, 2), OptionsHeader(60));
        var error = Ipv6("2001:db8::1", "2001:db8::5", 58, Icmp(1, 4, body: original));
        var info = Decode(Ethernet(0x86dd, error));
        Assert.Equal(DecodeError.None, info.Error);
        Assert.True(info.IsIcmpError);
        Assert.Equal(IpAddr.Parse("2001:db8:1::10"), info.InnerDst);
        Assert.Equal(IpProtocol.Tcp, info.InnerProtocol);
        Assert.Equal((50000, 443), (info.InnerSrcPort, info.InnerDstPort));
    }

    [Fact]
    public void Icmp_error_quoting_an_ipv6_packet_inside_ipv4_and_a_later_fragment()
    {
        var v6 = Ipv6("2001:db8::5", "2001:db8::6", 17, Udp(1, 2, []));
        var info = Decode(Ipv4("192.0.2.1", "10.0.0.5", 1, Icmp(3, 1, body: v6)), LinkTypes.Ipv4);
        Assert.Equal(IpAddr.Parse("2001:db8::6"), info.InnerDst);
        Assert.Equal(2, info.InnerDstPort);

        var fragment = Ipv4("10.0.0.5", "192.0.2.53", 17, new byte[8], fragmentOffsetBytes: 64);
        var quoted = Decode(Ipv4("192.0.2.1", "10.0.0.5", 1, Icmp(11, 1, body: fragment)), LinkTypes.Ipv4);
        Assert.True(quoted.Has(PacketFlags.InnerHeader));
        Assert.False(quoted.Has(PacketFlags.InnerPorts));
    }

    // ---------- VXLAN ----------

    private static byte[] Mirrored(byte[] innerEthernet, ushort dport = PacketDecoder.VxlanPort) =>
        EthernetIpv4(Ipv4("172.31.0.10", "172.31.0.20", 17, Udp(12345, dport, Vxlan(42, innerEthernet))));

    [Fact]
    public void Vxlan_is_unwrapped_when_asked()
    {
        var inner = Ethernet(0x0800, TcpSyn, 300);
        var frame = Mirrored(inner);
        var info = new PacketInfo { Frame = 12, TimestampNs = 34 };
        PacketDecoder.Decode(frame, LinkTypes.Ethernet, Vxlan, ref info);
        Assert.Equal(DecodeError.None, info.Error);
        Assert.True(info.Has(PacketFlags.Decapsulated));
        Assert.Equal((12L, 34L), (info.Frame, info.TimestampNs));
        Assert.Equal(IpAddr.Parse("192.0.2.1"), info.Src);
        Assert.Equal(443, info.DstPort);
        Assert.Equal(300, info.Vlan);
        Assert.Equal(frame.Length, info.CapturedLength);
    }

    [Fact]
    public void Vxlan_is_plain_udp_without_the_option_or_on_another_port()
    {
        var frame = Mirrored(Ethernet(0x0800, TcpSyn));
        var plain = Decode(frame, options: Plain);
        Assert.Equal(PacketDecoder.VxlanPort, plain.DstPort);
        Assert.False(plain.Has(PacketFlags.Decapsulated));
        Assert.Equal(8472, Decode(Mirrored(Ethernet(0x0800, TcpSyn), dport: 8472), options: Vxlan).DstPort);
    }

    [Fact]
    public void Vxlan_too_short_for_an_inner_frame()
    {
        var frame = Mirrored(new byte[13]);
        Assert.Equal(DecodeError.BadVxlan, Decode(frame, options: Vxlan).Error);
        var full = Mirrored(Ethernet(0x0800, TcpSyn));
        Assert.Equal(DecodeError.BadVxlan, Decode(full[..(14 + 20 + 8 + 8 + 10)], options: Vxlan, originalLength: full.Length).Error);
    }

    [Fact]
    public void Vxlan_inner_errors_are_the_inner_frames()
    {
        var inner = Ethernet(0x0800, TcpSyn)[..(14 + 10)];
        Assert.Equal(DecodeError.TruncatedIpHeader, Decode(Mirrored(inner), options: Vxlan).Error);
    }

    [Fact]
    public void Every_decode_error_is_produced_by_some_test_input()
    {
        // Keeps this file honest when DecodeError grows: each reason must have a producing input here.
        var produced = new HashSet<DecodeError>
        {
            Decode(TcpSyn, 147).Error,
            Decode(new byte[10]).Error,
            Decode(Ethernet(0x0800, TcpSyn, Enumerable.Repeat((ushort)1, 9).ToArray())).Error,
            Decode(EthernetIpv4(TcpSyn)[..20]).Error,
            Decode(Ethernet(0x0800, [0x60, .. new byte[50]])).Error,
            Decode(EthernetIpv4(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2), ihlWords: 3))).Error,
            Decode(Ipv6("::1", "::2", 17, [], (60, [0, 200, 0, 0, 0, 0, 0, 0])), LinkTypes.Ipv6).Error,
            Decode(Ipv6("::1", "::2", 17, [], Enumerable.Repeat(OptionsHeader(0), 17).ToArray()), LinkTypes.Ipv6).Error,
            Decode(Ipv4("1.1.1.1", "2.2.2.2", 6, [1, 2, 3]), LinkTypes.Ipv4).Error,
            Decode(Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, 2, dataOffsetWords: 2)), LinkTypes.Ipv4).Error,
            Decode(Mirrored([1, 2]), options: Vxlan).Error,
            Decode(Ethernet(0x8847, [.. Labels(Enumerable.Range(16, 40).Select(l => (uint)l).ToArray()), .. TcpSyn])).Error,
        };
        Assert.Equal(DecodeErrorText.All.ToHashSet(), produced);
    }
}
