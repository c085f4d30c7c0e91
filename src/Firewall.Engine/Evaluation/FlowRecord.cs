using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Evaluation;

public enum FlowOutcome : byte
{
    /// <summary>Every packet allowed.</summary>
    Allowed,

    /// <summary>Every request-direction packet denied.</summary>
    RequestDenied,

    /// <summary>Every request allowed, at least one reply denied.</summary>
    ReplyDenied,

    /// <summary>Some request-direction packets allowed and some denied.</summary>
    PartiallyDenied,
}

[Flags]
public enum FlowFlags : byte
{
    None = 0,

    /// <summary>The client/server orientation was inferred from a mid-stream packet.</summary>
    Inferred = 1 << 0,

    /// <summary>At least one SG hop left this flow untracked (AWS §2.2).</summary>
    Untracked = 1 << 1,

    /// <summary>At least one SG hop tracked this flow.</summary>
    Tracked = 1 << 2,

    /// <summary>A packet of this flow was admitted by a tracking entry.</summary>
    UsedTracking = 1 << 3,
}

[InlineArray(FlowRecord.InlineRules)]
public struct FlowRuleSet
{
    private int _first;
}

/// <summary>
/// One flow: a connection keyed by protocol and both endpoints (ICMP echo by identifier), first packet
/// = request; endpoints reused by a later connection make a new flow (<see cref="Connections"/>).
/// Counters per direction for the stateful evaluation and for the stateless comparison.
/// </summary>
public struct FlowRecord
{
    public const int InlineRules = 10;

    // Fields are ordered by size so the record packs without padding: it is the largest per-flow structure.

    /// <summary>Canonical key (smaller endpoint in A).</summary>
    public FlowKey Key;

    public long FirstFrame;
    public long FirstTimeNs;
    public long LastTimeNs;
    public long RequestBytes;
    public long ReplyBytes;
    public long DeniedFrame;

    public int RequestAllowed;
    public int RequestDenied;
    public int ReplyAllowed;
    public int ReplyDenied;

    public int StatelessRequestAllowed;
    public int StatelessRequestDenied;
    public int StatelessReplyAllowed;
    public int StatelessReplyDenied;

    /// <summary>Reference id of the first packet that was denied, or -1.</summary>
    public int DeniedBy;

    /// <summary>TCP: the client's initial sequence number, when <see cref="ConnectionFlags.IsnKnown"/>.</summary>
    public uint ClientIsn;

    public int StatelessDeniedBy;

    /// <summary>The distinct references this flow's packets met, for per-rule flow counts.</summary>
    public FlowRuleSet Rules;

    /// <summary>Where the key's endpoints sit in the ruleset (the evaluator's path plan).</summary>
    internal FlowPath Path;

    /// <summary>What the rules said at each hop for each side (the evaluator's, kept beside the flow it serves).</summary>
    internal RuleResultCache RuleCache;

    /// <summary>The client (request sender) is the key's A endpoint.</summary>
    public bool ClientIsA;

    public bool DeniedPacketWasReply;

    /// <summary>The most recent TCP tracking state seen for this flow.</summary>
    public TcpState TcpState;

    public FlowFlags Flags;

    /// <summary>What tells this connection's end from the next one on the same endpoints (<see cref="Connections"/>).</summary>
    public ConnectionFlags Connection;

    public byte RuleCount;

    public readonly IpAddr Client => ClientIsA ? Key.A : Key.B;
    public readonly IpAddr Server => ClientIsA ? Key.B : Key.A;
    public readonly ushort ClientPort => ClientIsA ? Key.APort : Key.BPort;
    public readonly ushort ServerPort => ClientIsA ? Key.BPort : Key.APort;

    public readonly FlowOutcome Outcome => Classify(RequestAllowed, RequestDenied, ReplyDenied);

    public readonly FlowOutcome StatelessOutcome => Classify(StatelessRequestAllowed, StatelessRequestDenied, StatelessReplyDenied);

    public readonly bool Has(FlowFlags flag) => (Flags & flag) != 0;

    public static FlowOutcome Classify(int requestAllowed, int requestDenied, int replyDenied) =>
        requestDenied > 0
            ? requestAllowed == 0 ? FlowOutcome.RequestDenied : FlowOutcome.PartiallyDenied
            : replyDenied > 0 ? FlowOutcome.ReplyDenied : FlowOutcome.Allowed;

    public static string Name(FlowOutcome outcome) => outcome switch
    {
        FlowOutcome.Allowed => "allowed",
        FlowOutcome.RequestDenied => "request-denied",
        FlowOutcome.ReplyDenied => "reply-denied",
        _ => "partially-denied",
    };
}
