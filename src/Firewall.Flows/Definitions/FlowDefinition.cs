using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Flows.Definitions;

/// <summary>What a flow does on the wire; each protocol has its own set (SPEC §4 "Synthetic flows").</summary>
public enum Exchange : byte
{
    /// <summary>SYN, SYN/ACK, ACK, a request with data, a response with data, FIN/ACK both ways, final ACK.</summary>
    TcpFull,

    /// <summary>SYN, SYN/ACK, ACK.</summary>
    TcpHandshake,

    /// <summary>A SYN that nobody answers.</summary>
    TcpSynOnly,

    /// <summary>SYN, then RST/ACK from the server (a closed port).</summary>
    TcpReset,

    /// <summary>One datagram each way (also used for protocols other than tcp/udp/icmp).</summary>
    RequestReply,

    /// <summary>One datagram from the client, no answer.</summary>
    RequestOnly,

    /// <summary>ICMP/ICMPv6 echo request and echo reply.</summary>
    Echo,

    /// <summary>One ICMP message of an explicit type and code, client to server; an error carries a quote.</summary>
    IcmpMessage,
}

public static class ExchangeText
{
    public static string Name(Exchange exchange) => exchange switch
    {
        Exchange.TcpFull => "full",
        Exchange.TcpHandshake => "handshake",
        Exchange.TcpSynOnly => "syn-only",
        Exchange.TcpReset => "reset",
        Exchange.RequestReply => "request-reply",
        Exchange.RequestOnly => "request-only",
        Exchange.Echo => "echo",
        _ => "message",
    };

    /// <summary>The exchanges a protocol allows, the first being its default.</summary>
    public static Exchange[] For(byte protocol) => protocol switch
    {
        IpProtocol.Tcp => [Exchange.TcpFull, Exchange.TcpHandshake, Exchange.TcpSynOnly, Exchange.TcpReset],
        IpProtocol.Icmp or IpProtocol.IcmpV6 => [Exchange.Echo, Exchange.IcmpMessage],
        _ => [Exchange.RequestReply, Exchange.RequestOnly],
    };
}

/// <summary>A port as written: a number, or <c>*</c> for an ephemeral port chosen by the synthesizer.</summary>
public readonly record struct PortSpec(ushort Port, bool Ephemeral)
{
    public static PortSpec None { get; } = new(0, false);

    public override string ToString() => Ephemeral ? "*" : Port.ToString();
}

/// <summary>One end of a flow with its address resolved (an interface name becomes one of its addresses).</summary>
public readonly record struct FlowEndpoint(IpAddr Address, PortSpec Port, string? InterfaceName);

/// <summary>
/// A flow line resolved against a ruleset: protocol and both endpoints, client first. The text form is
/// <c>tcp 198.51.100.7:51514 -&gt; web-1:443</c>.
/// </summary>
public sealed record FlowTuple(byte Protocol, FlowEndpoint Client, FlowEndpoint Server, string Text)
{
    public bool IsV6 => Client.Address.IsV6;

    public bool HasPorts => IpProtocol.HasPorts(Protocol);
}

/// <summary>The packet an ICMP error answers: its header and first transport bytes are quoted in the error.</summary>
public sealed record QuotedPacket(FlowTuple Flow);

/// <summary>One entry of a flows file, validated.</summary>
public sealed record FlowDefinition
{
    /// <summary>0-based position in the file: seeds ephemeral ports, sequence numbers and identifiers.</summary>
    public required int Index { get; init; }

    public required FlowTuple Flow { get; init; }

    public required Exchange Exchange { get; init; }

    public int Count { get; init; } = 1;

    /// <summary>Absolute start in ns since the Unix epoch, or null to follow the previous flow.</summary>
    public long? StartNs { get; init; }

    /// <summary>Delay between the first request packet and the first reply.</summary>
    public long ReplyAfterNs { get; init; } = FlowTiming.DefaultReplyAfterNs;

    /// <summary>Delay between the end of one repetition and the start of the next.</summary>
    public long GapNs { get; init; } = FlowTiming.DefaultGapNs;

    public byte IcmpType { get; init; }

    public byte IcmpCode { get; init; }

    public QuotedPacket? Quoting { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.None;
}

/// <summary>A flows file (SPEC §4): an optional ruleset to name interfaces, a start time and the flows.</summary>
public sealed record FlowsFile(string Path, long StartNs, Ruleset? Ruleset, IReadOnlyList<FlowDefinition> Flows);

/// <summary>Default timings; chosen to look like a LAN/Internet exchange while staying far inside every timeout.</summary>
public static class FlowTiming
{
    public const long NsPerMs = 1_000_000L;
    public const long NsPerSecond = 1_000_000_000L;

    /// <summary>2026-01-01T00:00:00Z: a fixed default so that synthesized captures are reproducible.</summary>
    public static readonly long DefaultStartNs = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * NsPerMs;

    public const long DefaultReplyAfterNs = 1 * NsPerMs;
    public const long DefaultGapNs = 1 * NsPerSecond;

    /// <summary>Between a flow and the next one that names no start of its own.</summary>
    public const long BetweenFlowsNs = 10 * NsPerMs;

    /// <summary>Between two packets one side sends back to back (an ACK and the data after it).</summary>
    public const long SameSideNs = 100_000L;
}
