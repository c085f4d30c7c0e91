using Firewall.Analysis.Descriptions;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Reachability;

/// <summary>One request packet of a set: what an exchange starts from.</summary>
public readonly record struct RequestHeader(byte Protocol, IpAddr Source, IpAddr Destination, ushort SourcePort, ushort DestinationPort, byte IcmpType, byte IcmpCode)
{
    /// <summary>The flow line of this request, as <c>explain</c> and flows files read it.</summary>
    public override string ToString()
    {
        var proto = IpProtocol.Name(Protocol);
        if (IpProtocol.HasPorts(Protocol))
        {
            return $"{proto} {EndpointText.Format(Source, SourcePort)} -> {EndpointText.Format(Destination, DestinationPort)}";
        }
        var text = $"{proto} {Source} -> {Destination}";
        // An echo request of code 0 is what an ICMP flow line means; anything else names its type and code.
        return IpProtocol.IsIcmp(Protocol) && (!IcmpKind.IsEchoRequest(Protocol, IcmpType) || IcmpCode != 0) ? $"{text} type {IcmpType} code {IcmpCode}" : text;
    }
}

/// <summary>What <c>check</c> gives a fresh flow that starts with a request: the four facts an answer class shares.</summary>
/// <param name="Outcome">allowed, request-denied, reply-denied, partially-denied, or skip (no hop on the path).</param>
/// <param name="RequestRule">The deciding reference of the first request packet, as in per-packet records; -1 when check takes the only message for a reply (an echo reply with no request).</param>
/// <param name="ReplyRule">The deciding reference of the first reply packet; -1 when no reply is sent.</param>
public readonly record struct ExchangeResult(string Outcome, string StatelessOutcome, int RequestRule, int ReplyRule);

/// <summary>
/// Plays the exchange a request starts, as <c>check</c> would see it in a capture, through an
/// <see cref="Evaluator"/> whose tables are empty: for TCP the handshake, data both ways and the close;
/// for UDP a request and a reply; for an ICMP echo request the echo and its reply; for another ICMP message
/// the message alone; for another protocol the packet and one packet of that protocol back. A packet is sent
/// only while every earlier one got through: the responder answers only what reaches it, so a denied request
/// gets no reply. The evaluator, its tracking and its rule matching are those of <c>check</c>; this class
/// only writes the packets.
/// </summary>
internal sealed class Exchange
{
    private const long StepNs = 1_000_000; // 1 ms between packets: far inside every timeout
    private readonly Evaluator _evaluator;
    private long _clock = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z
    private long _frame;

    /// <summary>Exchanges judged by <paramref name="rules"/> with the evaluator of <c>check</c> and its default options; each starts with empty tables.</summary>
    public Exchange(CompiledRuleset rules) => _evaluator = new Evaluator(rules);

    /// <summary>The record of the last exchange's flow (the references its packets met among them), or null when it had none.</summary>
    public FlowRecord? Flow { get; private set; }

    public ExchangeResult Run(in RequestHeader request)
    {
        _evaluator.Forget();
        var result = default(PacketResult);
        var firstRequestRule = -1;
        var firstReplyRule = -1;
        var flowId = -1;
        var skipped = false;
        var bypass = false;
        Span<(bool FromClient, byte TcpFlags)> script = stackalloc (bool, byte)[8];
        var steps = Script(request, script);
        for (var i = 0; i < steps; i++)
        {
            var (fromClient, flags) = script[i];
            var packet = Packet(request, fromClient, flags, i);
            _evaluator.Evaluate(in packet, ref result);
            if (i == 0)
            {
                flowId = result.FlowId;
                skipped = result.Verdict == Verdict.Skip;
                bypass = result.Has(PacketResultFlags.NotFiltered);
            }
            // Request and reply as check's per-packet records name them: by the flow's direction (a lone echo
            // reply is a reply), and by who sends for packets that belong to no flow (not filtered, skipped).
            var isReply = result.FlowId >= 0 ? result.IsReply : !fromClient;
            if (!isReply && firstRequestRule < 0)
            {
                firstRequestRule = result.RuleId;
            }
            else if (isReply && firstReplyRule < 0)
            {
                firstReplyRule = result.RuleId;
            }
            if (result.Verdict == Verdict.Deny)
            {
                break;
            }
        }
        _clock += StepNs * 16;
        Flow = flowId >= 0 ? _evaluator.Flows[flowId] : null;
        if (skipped)
        {
            return new ExchangeResult("skip", "skip", firstRequestRule, firstReplyRule);
        }
        if (flowId < 0)
        {
            // Not filtered (bypass): no flow is kept; every packet of it passes.
            return new ExchangeResult(bypass ? "allowed" : "skip", bypass ? "allowed" : "skip", firstRequestRule, firstReplyRule);
        }
        ref var flow = ref _evaluator.Flows[flowId];
        return new ExchangeResult(FlowRecord.Name(flow.Outcome), FlowRecord.Name(flow.StatelessOutcome), firstRequestRule, firstReplyRule);
    }

    /// <summary>The packets of the exchange, in order: who sends each, and its TCP flags.</summary>
    private static int Script(in RequestHeader r, Span<(bool, byte)> script)
    {
        const byte S = TcpFlag.Syn, A = TcpFlag.Ack, P = TcpFlag.Psh, F = TcpFlag.Fin;
        switch (r.Protocol)
        {
            case IpProtocol.Tcp:
                script[0] = (true, S);
                script[1] = (false, (byte)(S | A));
                script[2] = (true, A);
                script[3] = (true, (byte)(P | A));
                script[4] = (false, (byte)(P | A));
                script[5] = (true, (byte)(F | A));
                script[6] = (false, (byte)(F | A));
                script[7] = (true, A);
                return 8;
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                script[0] = (true, 0);
                if (!IcmpKind.IsEchoRequest(r.Protocol, r.IcmpType))
                {
                    return 1;
                }
                script[1] = (false, 0);
                return 2;
            default:
                script[0] = (true, 0);
                script[1] = (false, 0);
                return 2;
        }
    }

    private PacketInfo Packet(in RequestHeader r, bool fromClient, byte tcpFlags, int step)
    {
        var p = default(PacketInfo);
        p.Frame = ++_frame;
        p.TimestampNs = _clock + step * StepNs;
        p.LinkType = 1;
        var v6 = r.Source.IsV6;
        p.IpVersion = v6 ? (byte)6 : (byte)4;
        p.Src = fromClient ? r.Source : r.Destination;
        p.Dst = fromClient ? r.Destination : r.Source;
        p.Protocol = r.Protocol;
        p.Ttl = 64;
        var header = v6 ? 40 : 20;
        switch (r.Protocol)
        {
            case IpProtocol.Tcp:
                p.SrcPort = fromClient ? r.SourcePort : r.DestinationPort;
                p.DstPort = fromClient ? r.DestinationPort : r.SourcePort;
                p.Flags |= PacketFlags.Ports | PacketFlags.Tcp;
                p.TcpFlags = tcpFlags;
                // Sequence numbers as a real connection's: the client's ISN 1000, the server's 5000.
                p.Seq = fromClient ? 1000u + (uint)(step > 0 ? 1 : 0) : 5000u + (uint)(step > 1 ? 1 : 0);
                p.Ack = (tcpFlags & TcpFlag.Ack) == 0 ? 0 : fromClient ? 5001u : 1001u;
                p.PayloadLength = (tcpFlags & TcpFlag.Psh) != 0 ? 100 : 0;
                p.IpLength = header + 20 + p.PayloadLength;
                break;
            case IpProtocol.Udp:
                p.SrcPort = fromClient ? r.SourcePort : r.DestinationPort;
                p.DstPort = fromClient ? r.DestinationPort : r.SourcePort;
                p.Flags |= PacketFlags.Ports;
                p.PayloadLength = 32;
                p.IpLength = header + 8 + 32;
                break;
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                p.Flags |= PacketFlags.Icmp;
                p.IcmpType = fromClient ? r.IcmpType : r.Protocol == IpProtocol.Icmp ? IcmpKind.V4EchoReply : IcmpKind.V6EchoReply;
                p.IcmpCode = r.IcmpCode;
                if (IcmpKind.IsEchoRequest(r.Protocol, p.IcmpType) || IcmpKind.IsEchoReply(r.Protocol, p.IcmpType))
                {
                    p.Flags |= PacketFlags.IcmpEcho;
                    p.IcmpId = 1;
                }
                p.PayloadLength = 32;
                p.IpLength = header + 8 + 32;
                break;
            default:
                p.PayloadLength = 32;
                p.IpLength = header + 32;
                break;
        }
        p.CapturedLength = p.OriginalLength = p.IpLength + 14;
        return p;
    }
}
