using System.Buffers.Binary;
using System.Net.NetworkInformation;
using Firewall.Engine.Addressing;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// Builds a <see cref="SynthPacket"/> as an Ethernet frame with PacketDotNet: headers set field by field,
/// lengths and checksums computed by the library's own update methods. This is how <c>synth</c> writes
/// flows files; <see cref="FrameWriter"/> is the allocation-free twin used for <c>--random</c>.
/// </summary>
public static class PacketDotNetFrameBuilder
{
    public static byte[] Build(in SynthPacket s)
    {
        Span<byte> mac = stackalloc byte[6];
        FrameWriter.WriteMac(s.Src, mac);
        var srcMac = new PhysicalAddress(mac.ToArray());
        FrameWriter.WriteMac(s.Dst, mac);
        var dstMac = new PhysicalAddress(mac.ToArray());
        var ethernet = new EthernetPacket(srcMac, dstMac, s.IsV6 ? EthernetType.IPv6 : EthernetType.IPv4);
        var ip = IpHeader(in s);
        ethernet.PayloadPacket = ip;
        switch (s.Protocol)
        {
            case IpProtocol.Tcp:
            {
                var tcp = new TcpPacket(s.SrcPort, s.DstPort)
                {
                    SequenceNumber = s.Seq,
                    AcknowledgmentNumber = s.Ack,
                    Flags = s.TcpFlags,
                    WindowSize = s.Window,
                    PayloadData = Payload(in s),
                };
                ip.PayloadPacket = tcp;
                ip.UpdateCalculatedValues();
                tcp.UpdateTcpChecksum();
                break;
            }
            case IpProtocol.Udp:
            {
                var udp = new UdpPacket(s.SrcPort, s.DstPort) { PayloadData = Payload(in s) };
                ip.PayloadPacket = udp;
                ip.UpdateCalculatedValues();
                udp.UpdateUdpChecksum();
                break;
            }
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                AddIcmp(in s, ip);
                break;
            default:
                ip.PayloadData = Payload(in s);
                ip.UpdateCalculatedValues();
                break;
        }
        ethernet.UpdateCalculatedValues();
        if (ip is IPv4Packet v4)
        {
            v4.UpdateIPChecksum();
        }
        return ethernet.Bytes;
    }

    private static IPPacket IpHeader(in SynthPacket s)
    {
        IPPacket ip = s.IsV6
            ? new IPv6Packet(s.Src.ToIPAddress(), s.Dst.ToIPAddress()) { HopLimit = s.Ttl }
            : new IPv4Packet(s.Src.ToIPAddress(), s.Dst.ToIPAddress())
            {
                TimeToLive = s.Ttl,
                Id = s.IpId,
                FragmentFlags = 0x2, // don't fragment
            };
        ip.Protocol = (ProtocolType)s.Protocol;
        return ip;
    }

    private static byte[] Payload(in SynthPacket s)
    {
        var payload = new byte[s.PayloadLength];
        Payloads.Write(s.Payload, s.FromServer, s.SegmentIndex, s.MessageId, payload);
        return payload;
    }

    private static void AddIcmp(in SynthPacket s, IPPacket ip)
    {
        // PacketDotNet builds ICMP from bytes: type, code, checksum, then bytes 4-7 and the data.
        var message = new byte[8 + s.TransportPayloadLength];
        message[0] = s.IcmpType;
        message[1] = s.IcmpCode;
        if (s.Quote is { } quote)
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), s.IcmpRest);
            var original = new byte[quote.Packet.IpLength];
            FrameWriter.WriteIpPacket(quote.Packet, original);
            original.AsSpan(0, quote.QuotedLength).CopyTo(message.AsSpan(8));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), s.IcmpId);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), s.IcmpSeq);
            Payloads.Write(s.Payload, s.FromServer, s.SegmentIndex, s.MessageId, message.AsSpan(8));
        }
        if (s.Protocol == IpProtocol.Icmp)
        {
            var icmp = new IcmpV4Packet(new ByteArraySegment(message));
            ip.PayloadPacket = icmp;
            ip.UpdateCalculatedValues();
            icmp.UpdateIcmpChecksum();
            return;
        }
        var icmp6 = new IcmpV6Packet(new ByteArraySegment(message), ip);
        ip.PayloadPacket = icmp6;
        ip.UpdateCalculatedValues();
        // PacketDotNet 1.4.8's IcmpV6Packet.UpdateIcmpChecksum writes a value that neither tshark nor
        // PacketDotNet itself (re-parsing the bytes) accepts, so the RFC 4443 §2.3 checksum (pseudo-header +
        // message) is computed here.
        icmp6.Checksum = 0;
        icmp6.Checksum = FrameWriter.PseudoHeaderChecksum(s.Src, s.Dst, s.Protocol, icmp6.Bytes);
    }
}
