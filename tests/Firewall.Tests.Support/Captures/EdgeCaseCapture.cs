using Firewall.Capture.Reading;
using Firewall.Engine.Packets;
using static Firewall.Tests.Support.Captures.PacketBytes;

namespace Firewall.Tests.Support.Captures;

/// <summary>
/// A pcapng of hand-built frames that exercises every link type and the awkward corners of the decoder
/// (options, extension headers, fragments, ICMP quotes, VLAN stacks, VXLAN, MPLS), for cross-checking with tshark.
/// </summary>
public static class EdgeCaseCapture
{
    private const ulong Start = 1_767_261_600UL * 1_000_000_000;   // 2026-01-01T10:00:00Z, ns resolution

    public static byte[] Build()
    {
        var c = CaptureBytes.Pcapng()
            .Interface(LinkTypes.Ethernet, tsresol: 9)
            .Interface(LinkTypes.Raw, tsresol: 9)
            .Interface(LinkTypes.Null, tsresol: 9)
            .Interface(LinkTypes.Loop, tsresol: 9)
            .Interface(LinkTypes.LinuxSll, tsresol: 9)
            .Interface(LinkTypes.LinuxSll2, tsresol: 9)
            .Interface(LinkTypes.Ipv4, tsresol: 9)
            .Interface(LinkTypes.Ipv6, tsresol: 9);
        var t = Start;
        foreach (var (iface, frame) in Frames())
        {
            c.Enhanced(iface, t, frame);
            t += 1_000_123;
        }
        return c.ToArray();
    }

    private static IEnumerable<(uint, byte[])> Frames()
    {
        var syn = Ipv4("192.0.2.1", "198.51.100.2", 6, Tcp(51514, 443, TcpFlag.Syn, seq: 1), id: 1, dontFragment: true);
        var synAck = Ipv4("198.51.100.2", "192.0.2.1", 6, Tcp(443, 51514, TcpFlag.Syn | TcpFlag.Ack, seq: 9, ack: 2, payload: [1]), id: 2);
        yield return (0, EthernetIpv4(syn));
        yield return (0, [.. EthernetIpv4(synAck), .. new byte[5]]);   // Ethernet padding
        yield return (0, EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(5000, 6000, [1, 2, 3]), options: [0x94, 4, 0, 0, 1, 1, 1, 0])));
        yield return (0, EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 1, Icmp(8, 0, id: 0x1234, sequence: 1, body: new byte[16]))));
        yield return (0, EthernetIpv4(Ipv4("10.0.0.2", "10.0.0.1", 1, Icmp(0, 0, id: 0x1234, sequence: 1, body: new byte[16]))));
        var udpProbe = Ipv4("10.0.0.5", "192.0.2.53", 17, Udp(40000, 53, new byte[20]), id: 3);
        yield return (0, EthernetIpv4(Ipv4("192.0.2.53", "10.0.0.5", 1, Icmp(3, 3, body: udpProbe[..28]))));
        var tcpProbe = Ipv4("10.0.0.5", "203.0.113.9", 6, Tcp(40001, 80, TcpFlag.Syn), id: 4);
        yield return (0, EthernetIpv4(Ipv4("198.51.100.254", "10.0.0.5", 1, Icmp(11, 0, body: tcpProbe[..28]))));
        yield return (0, EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(7000, 7001, new byte[32]), id: 0x5555, moreFragments: true)));
        yield return (0, EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 17, new byte[24], id: 0x5555, fragmentOffsetBytes: 40)));
        yield return (0, EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 47, new byte[8])));
        yield return (0, Ethernet(0x0806, [0, 1, 8, 0, 6, 4, 0, 1, .. MacA, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]));
        yield return (0, Ethernet(0x0800, syn, 100));
        yield return (0, Ethernet(0x0800, synAck, 200, 300));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 6, Tcp(50000, 22, TcpFlag.Syn))));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 17, Udp(5353, 53, [1, 2]),
            OptionsHeader(0), OptionsHeader(60), OptionsHeader(43, 2))));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 17, Udp(5353, 53, new byte[16]), FragmentHeader(0, true, 0xabcdef01))));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 17, new byte[16], FragmentHeader(24, false, 0xabcdef01))));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::1", "2001:db8:1::10", 6, Tcp(50001, 443, TcpFlag.Fin | TcpFlag.Ack), AuthenticationHeader())));
        yield return (0, Ethernet(0x86dd, Ipv6("fe80::1", "ff02::1", 58, Icmp(128, 0, id: 77, sequence: 1))));
        var v6Probe = Ipv6("2001:db8::5", "2001:db8:9::9", 17, Udp(33434, 33435, new byte[8]));
        yield return (0, Ethernet(0x86dd, Ipv6("2001:db8::fe", "2001:db8::5", 58, Icmp(3, 0, body: v6Probe))));
        yield return (0, Ethernet(0x86dd, Ipv6("::ffff:192.0.2.1", "2001:db8::1:0:0:1", 59, [])));
        var mirrored = Ethernet(0x0800, Ipv4("10.1.0.5", "10.1.0.6", 6, Tcp(33000, 3306, TcpFlag.Psh | TcpFlag.Ack, payload: [1, 2, 3])), 42);
        yield return (0, EthernetIpv4(Ipv4("172.31.0.10", "172.31.0.20", 17, Udp(49152, 4789, Vxlan(7, mirrored)))));
        yield return (1, syn);
        yield return (1, Ipv6("2001:db8::1", "2001:db8::2", 58, Icmp(129, 0, id: 5)));
        yield return (2, [2, 0, 0, 0, .. synAck]);
        yield return (2, [0, 0, 0, 30, .. Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(1, 2, []))]);
        yield return (3, [0, 0, 0, 2, .. syn]);
        yield return (4, [0, 0, 0, 1, 0, 6, .. MacA, 0, 0, 0x08, 0x00, .. syn]);
        yield return (5, [0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, .. MacA, 0, 0, .. Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(1, 2, TcpFlag.Rst))]);
        yield return (6, synAck);
        yield return (7, Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(1000, 2000, [9])));
        // MPLS: IPv4 under two labels inside a VLAN; an Ethernet pseudowire with the control word carrying IPv6;
        // a G-ACh packet behind the GAL (no IP).
        yield return (0, Ethernet(0x8847, [.. MplsLabels(16001, 24001), .. syn], 100));
        yield return (0, Ethernet(0x8847, [.. MplsLabels(16001, 30001), .. ControlWord,
            .. CustomerEthernet(0x86dd, Ipv6("2001:db8::1", "2001:db8::2", 6, Tcp(50002, 22, TcpFlag.Syn)))]));
        yield return (0, Ethernet(0x8847, [.. MplsLabels(16001, 13), 0x10, 0, 0, 0x07, .. new byte[24]]));
    }
}
