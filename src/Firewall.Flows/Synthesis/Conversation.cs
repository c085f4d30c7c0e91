using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// One repetition of one flow with everything decided: concrete ports, start time, sizes and the seed of
/// its sequence numbers and identifiers. <see cref="ConversationBuilder"/> turns it into packets.
/// </summary>
public struct Conversation
{
    public int FlowIndex;
    public int Repetition;
    public byte Protocol;
    public IpAddr Client;
    public IpAddr Server;
    public ushort ClientPort;
    public ushort ServerPort;
    public Exchange Exchange;
    public long StartNs;
    public long ReplyAfterNs;

    /// <summary>Wanted message sizes; fixed-size protocols (DNS, NTP, SSH banners) ignore them.</summary>
    public int RequestBytes;
    public int ResponseBytes;

    public byte IcmpType;
    public byte IcmpCode;
    public ushort EchoId;
    public ushort EchoSeq;

    /// <summary>The packet an ICMP error quotes (<see cref="Exchange.IcmpMessage"/> of an error type).</summary>
    public QuotedSynth? Quote;

    /// <summary>Seeds initial sequence numbers, IP identifications and DNS ids.</summary>
    public ulong Seed;

    public byte ClientTtl;
    public byte ServerTtl;
}

/// <summary>Builds the packets of a <see cref="Conversation"/>, in time order, with sequence numbers that advance with the data.</summary>
public static class ConversationBuilder
{
    /// <summary>Between a reply and the next data the other side sends in return (one LAN/Internet round trip).</summary>
    public const long RoundTripNs = FlowTiming.DefaultReplyAfterNs;

    public const ushort SynWindow = 64240;
    /// <summary>No window scaling is negotiated (no options), so the window is in bytes and must cover the largest response.</summary>
    public const ushort Window = 64240;

    /// <summary>Appends the conversation's packets; returns the time of the last one.</summary>
    public static long Build(in Conversation c, List<SynthPacket> output)
    {
        var state = new Builder(c, output);
        switch (c.Exchange)
        {
            case Exchange.TcpFull:
            case Exchange.TcpHandshake:
            case Exchange.TcpSynOnly:
            case Exchange.TcpReset:
                state.Tcp();
                break;
            case Exchange.Echo:
                state.Echo();
                break;
            case Exchange.IcmpMessage:
                state.IcmpMessage();
                break;
            default:
                state.Datagrams(c.Exchange == Exchange.RequestReply);
                break;
        }
        return state.Now;
    }

    /// <summary>The first packet of a conversation alone, as quoted by an ICMP error (no other side effects).</summary>
    public static SynthPacket FirstPacket(in Conversation c)
    {
        var list = new List<SynthPacket>(8);
        Build(c, list);
        return list[0];
    }

    private struct Builder(Conversation c, List<SynthPacket> output)
    {
        private readonly Conversation _c = c;
        private ushort _clientIpId = (ushort)Mix(c.Seed, 3);
        private ushort _serverIpId = (ushort)Mix(c.Seed, 4);

        public long Now = c.StartNs;

        public void Tcp()
        {
            var clientIsn = (uint)Mix(_c.Seed, 1);
            var serverIsn = (uint)Mix(_c.Seed, 2);
            var (requestKind, responseKind) = Payloads.For(IpProtocol.Tcp, _c.ServerPort);
            var messageId = (ushort)Mix(_c.Seed, 5);

            Segment(false, TcpFlag.Syn, clientIsn, 0, SynWindow, PayloadKind.None, 0, 0, messageId);
            if (_c.Exchange == Exchange.TcpSynOnly)
            {
                return;
            }
            Now += _c.ReplyAfterNs;
            if (_c.Exchange == Exchange.TcpReset)
            {
                // RFC 9293 §3.10.7.1: a SYN to a closed port is answered with RST/ACK, seq 0, ack = SEG.SEQ + 1.
                Segment(true, TcpFlag.Rst | TcpFlag.Ack, 0, clientIsn + 1, 0, PayloadKind.None, 0, 0, messageId);
                return;
            }
            Segment(true, TcpFlag.Syn | TcpFlag.Ack, serverIsn, clientIsn + 1, SynWindow, PayloadKind.None, 0, 0, messageId);
            Now += FlowTiming.SameSideNs;
            var cSeq = clientIsn + 1;
            var sSeq = serverIsn + 1;
            Segment(false, TcpFlag.Ack, cSeq, sSeq, Window, PayloadKind.None, 0, 0, messageId);
            if (_c.Exchange == Exchange.TcpHandshake)
            {
                return;
            }

            var requestLength = Payloads.MessageLength(requestKind, _c.RequestBytes);
            Now += FlowTiming.SameSideNs;
            cSeq = Data(false, cSeq, sSeq, requestKind, requestLength, messageId);
            Now += RoundTripNs;
            var responseLength = Payloads.MessageLength(responseKind, _c.ResponseBytes);
            sSeq = Data(true, sSeq, cSeq, responseKind, responseLength, messageId);

            // The client closes: FIN/ACK, the server's FIN/ACK, the final ACK (RFC 9293 §3.6).
            Now += FlowTiming.SameSideNs;
            Segment(false, TcpFlag.Fin | TcpFlag.Ack, cSeq, sSeq, Window, PayloadKind.None, 0, 0, messageId);
            cSeq++;
            Now += RoundTripNs;
            Segment(true, TcpFlag.Fin | TcpFlag.Ack, sSeq, cSeq, Window, PayloadKind.None, 0, 0, messageId);
            sSeq++;
            Now += FlowTiming.SameSideNs;
            Segment(false, TcpFlag.Ack, cSeq, sSeq, Window, PayloadKind.None, 0, 0, messageId);
        }

        /// <summary>Sends a message as segments of at most <see cref="Payloads.MaxSegment"/> bytes; returns the next sequence number.</summary>
        private uint Data(bool fromServer, uint seq, uint ack, PayloadKind kind, int length, ushort messageId)
        {
            var segment = 0;
            // A TLS record per segment keeps every segment a whole record; other messages are split plainly.
            while (length > 0)
            {
                var n = Math.Min(length, Payloads.MaxSegment);
                if (kind == PayloadKind.TlsRecord && length - n is > 0 and < 6)
                {
                    n = length - 6; // never leave a last record too short for its 5-byte header and a byte
                }
                if (segment > 0)
                {
                    Now += FlowTiming.SameSideNs;
                }
                Segment(fromServer, TcpFlag.Psh | TcpFlag.Ack, seq, ack, Window, kind, n, segment, messageId);
                seq += (uint)n;
                length -= n;
                segment++;
            }
            return seq;
        }

        private void Segment(bool fromServer, byte flags, uint seq, uint ack, ushort window, PayloadKind kind, int length, int segment, ushort messageId)
        {
            var p = Start(fromServer);
            p.TcpFlags = flags;
            p.Seq = seq;
            p.Ack = ack;
            p.Window = window;
            p.Payload = kind;
            p.PayloadLength = length;
            p.SegmentIndex = segment;
            p.MessageId = messageId;
            output.Add(p);
        }

        public void Datagrams(bool reply)
        {
            var (requestKind, responseKind) = Payloads.For(_c.Protocol, _c.ServerPort);
            var messageId = (ushort)Mix(_c.Seed, 5);
            var p = Start(false);
            p.Payload = requestKind;
            p.PayloadLength = Payloads.MessageLength(requestKind, _c.RequestBytes);
            p.MessageId = messageId;
            output.Add(p);
            if (!reply)
            {
                return;
            }
            Now += _c.ReplyAfterNs;
            p = Start(true);
            p.Payload = responseKind;
            // One datagram, unfragmented: a response larger than a segment is cut to one (DNS-sized answers stay whole).
            p.PayloadLength = Math.Min(Payloads.MessageLength(responseKind, _c.ResponseBytes), Payloads.MaxSegment);
            p.MessageId = messageId;
            output.Add(p);
        }

        public void Echo()
        {
            var v6 = _c.Protocol == IpProtocol.IcmpV6;
            var p = Start(false);
            p.IcmpType = v6 ? IcmpKind.V6EchoRequest : IcmpKind.V4EchoRequest;
            p.IcmpCode = _c.IcmpCode; // 0 unless explain is given an echo of another code; the reply echoes it
            p.IcmpId = _c.EchoId;
            p.IcmpSeq = _c.EchoSeq;
            p.Payload = PayloadKind.EchoData;
            p.PayloadLength = Payloads.EchoDataLength;
            output.Add(p);
            Now += _c.ReplyAfterNs;
            p.IcmpType = v6 ? IcmpKind.V6EchoReply : IcmpKind.V4EchoReply;
            (p.Src, p.Dst) = (p.Dst, p.Src);
            p.FromServer = true;
            p.TimestampNs = Now;
            p.Ttl = _c.ServerTtl;
            p.IpId = _serverIpId++;
            output.Add(p);
        }

        public void IcmpMessage()
        {
            var p = Start(false);
            p.IcmpType = _c.IcmpType;
            p.IcmpCode = _c.IcmpCode;
            if (_c.Quote is { } quote)
            {
                p.Quote = quote;
                // RFC 1191 §4: "fragmentation needed" carries the next-hop MTU in the low 16 bits;
                // RFC 4443 §3.2: "packet too big" carries the MTU in all 32.
                p.IcmpRest = (_c.Protocol, _c.IcmpType, _c.IcmpCode) switch
                {
                    (IpProtocol.Icmp, IcmpKind.V4DestinationUnreachable, 4) => 1400,
                    (IpProtocol.IcmpV6, IcmpKind.V6PacketTooBig, _) => 1280,
                    _ => 0,
                };
            }
            else
            {
                // An informational message (echo-like layout: identifier and sequence, then data).
                p.IcmpId = _c.EchoId;
                p.IcmpSeq = _c.EchoSeq;
                p.Payload = PayloadKind.EchoData;
                p.PayloadLength = Payloads.EchoDataLength;
            }
            output.Add(p);
        }

        private SynthPacket Start(bool fromServer) => new()
        {
            TimestampNs = Now,
            FlowIndex = _c.FlowIndex,
            Repetition = _c.Repetition,
            FromServer = fromServer,
            Src = fromServer ? _c.Server : _c.Client,
            Dst = fromServer ? _c.Client : _c.Server,
            SrcPort = fromServer ? _c.ServerPort : _c.ClientPort,
            DstPort = fromServer ? _c.ClientPort : _c.ServerPort,
            Protocol = _c.Protocol,
            Ttl = fromServer ? _c.ServerTtl : _c.ClientTtl,
            IpId = fromServer ? _serverIpId++ : _clientIpId++,
        };
    }

    /// <summary>SplitMix64 of a seed and a salt: cheap, well mixed, reproducible on every platform.</summary>
    public static ulong Mix(ulong seed, ulong salt)
    {
        var z = seed + salt * 0x9E3779B97F4A7C15UL + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
