using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// The <see cref="PacketInfo"/> a synthesized packet decodes to, filled without writing or parsing bytes:
/// what <c>check --flows</c> evaluates. It must equal what the capture decoder produces from the frame
/// <see cref="FrameWriter"/> writes; the property tests compare the two field by field.
/// </summary>
public static class SynthDecoding
{
    public const ushort EthernetLinkType = 1;

    public static void Fill(in SynthPacket s, long frame, ref PacketInfo p)
    {
        p = default;
        p.Frame = frame;
        p.TimestampNs = s.TimestampNs;
        p.LinkType = EthernetLinkType;
        p.CapturedLength = s.FrameLength;
        p.OriginalLength = s.FrameLength;
        p.IpVersion = s.IsV6 ? (byte)6 : (byte)4;
        p.Src = s.Src;
        p.Dst = s.Dst;
        p.Protocol = s.Protocol;
        p.Ttl = s.Ttl;
        p.IpLength = s.IpLength;
        if (!s.IsV6)
        {
            p.FragId = s.IpId;
            p.Flags |= PacketFlags.DontFragment;
        }
        switch (s.Protocol)
        {
            case IpProtocol.Tcp:
                p.SrcPort = s.SrcPort;
                p.DstPort = s.DstPort;
                p.Seq = s.Seq;
                p.Ack = s.Ack;
                p.TcpFlags = s.TcpFlags;
                p.Flags |= PacketFlags.Ports | PacketFlags.Tcp;
                p.PayloadLength = s.PayloadLength;
                break;
            case IpProtocol.Udp:
                p.SrcPort = s.SrcPort;
                p.DstPort = s.DstPort;
                p.Flags |= PacketFlags.Ports;
                p.PayloadLength = s.PayloadLength;
                break;
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                FillIcmp(in s, ref p);
                break;
            default:
                p.PayloadLength = s.PayloadLength;
                break;
        }
    }

    /// <summary>The ICMP fields the decoder reads: type and code, an echo's identifier, or an error's quoted header.</summary>
    private static void FillIcmp(in SynthPacket s, ref PacketInfo p)
    {
        p.IcmpType = s.IcmpType;
        p.IcmpCode = s.IcmpCode;
        p.Flags |= PacketFlags.Icmp;
        p.PayloadLength = s.TransportPayloadLength;
        if (IcmpKind.IsEchoRequest(s.Protocol, s.IcmpType) || IcmpKind.IsEchoReply(s.Protocol, s.IcmpType))
        {
            p.IcmpId = s.IcmpId;
            p.Flags |= PacketFlags.IcmpEcho;
        }
        else if (s.Quote is { } quote && IcmpKind.IsError(s.Protocol, s.IcmpType))
        {
            var q = quote.Packet;
            p.InnerSrc = q.Src;
            p.InnerDst = q.Dst;
            p.InnerProtocol = q.Protocol;
            p.Flags |= PacketFlags.InnerHeader;
            if (IpProtocol.HasPorts(q.Protocol))
            {
                p.InnerSrcPort = q.SrcPort;
                p.InnerDstPort = q.DstPort;
                p.Flags |= PacketFlags.InnerPorts;
            }
        }
    }
}
