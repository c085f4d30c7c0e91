using Firewall.Engine.Addressing;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// One synthesized packet, described by value: everything needed to write its bytes (<see cref="FrameWriter"/>,
/// <see cref="PacketDotNetFrameBuilder"/>) or its decoded form (<see cref="SynthDecoding"/>) — the two must agree,
/// and the tests hold them to it.
/// </summary>
public struct SynthPacket
{
    public long TimestampNs;

    /// <summary>The flow definition (flows file position) or random flow number this packet belongs to.</summary>
    public int FlowIndex;

    public int Repetition;

    /// <summary>Sent by the flow's server (the reply direction).</summary>
    public bool FromServer;

    public IpAddr Src;
    public IpAddr Dst;
    public byte Protocol;
    public byte Ttl;

    /// <summary>IPv4 identification (ignored for IPv6, which has none outside fragments).</summary>
    public ushort IpId;

    public ushort SrcPort;
    public ushort DstPort;
    public byte TcpFlags;
    public uint Seq;
    public uint Ack;
    public ushort Window;

    public byte IcmpType;
    public byte IcmpCode;

    /// <summary>Echo identifier and sequence number (bytes 4-7 of an echo message).</summary>
    public ushort IcmpId;
    public ushort IcmpSeq;

    /// <summary>Bytes 4-7 of an ICMP error: the next-hop MTU of "fragmentation needed" or "packet too big".</summary>
    public uint IcmpRest;

    /// <summary>What the transport payload contains, and its length in bytes.</summary>
    public PayloadKind Payload;
    public int PayloadLength;

    /// <summary>Identifies the message inside the payload: the DNS transaction id, the seed of TLS record bytes.</summary>
    public ushort MessageId;

    /// <summary>Which segment of a multi-segment message this is (selects the content of TLS records and text).</summary>
    public int SegmentIndex;

    /// <summary>The packet an ICMP error quotes; null for everything else.</summary>
    public QuotedSynth? Quote;

    public readonly bool IsV6 => Src.IsV6;

    public readonly int IpHeaderLength => IsV6 ? 40 : 20;

    public readonly int TransportHeaderLength => Protocol switch
    {
        IpProtocol.Tcp => 20,
        IpProtocol.Udp => 8,
        IpProtocol.Icmp or IpProtocol.IcmpV6 => 8,
        _ => 0,
    };

    /// <summary>Bytes after the transport header: the payload, or for an ICMP error the quoted bytes.</summary>
    public readonly int TransportPayloadLength => Quote is { } q ? q.QuotedLength : PayloadLength;

    public readonly int IpLength => IpHeaderLength + TransportHeaderLength + TransportPayloadLength;

    public readonly int FrameLength => FrameWriter.EthernetHeaderLength + IpLength;
}

/// <summary>
/// The original packet an ICMP error answers. RFC 792 quotes the IP header and the first 8 bytes of its
/// payload; RFC 4443 §2.4 quotes "as much of invoking packet as possible" — we quote header + 8 for both,
/// enough for the ports every firewall reads.
/// </summary>
public sealed class QuotedSynth(SynthPacket packet)
{
    public SynthPacket Packet { get; } = packet;

    public int QuotedLength => Math.Min(Packet.IpLength, Packet.IpHeaderLength + 8);
}
