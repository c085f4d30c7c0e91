using System.Runtime.CompilerServices;

namespace Firewall.Engine.Evaluation;

/// <summary>What happened to a packet: <see cref="PacketResult.Verdict"/>.</summary>
public enum Verdict : byte
{
    /// <summary>Every hop on the packet's path let it through (or AWS does not filter it).</summary>
    Allow,

    /// <summary>A hop dropped it: <see cref="PacketResult.RuleId"/> is the rule, or implicit deny, that did.</summary>
    Deny,

    /// <summary>Out of scope: no hop on the packet's path (or not an IP packet).</summary>
    Skip,

    /// <summary>The frame could not be decoded (its reason is <see cref="Packets.PacketInfo.Error"/>); no rule saw it.</summary>
    Undecodable,
}

/// <summary>One point of evaluation on a packet's path, in path order (docs/semantics.md, "The path of a packet").</summary>
public enum HopKind : byte
{
    SgOutbound,
    NaclOutbound,
    NaclInbound,
    SgInbound,
}

/// <summary>How a hop reached its result.</summary>
public enum HopBasis : byte
{
    /// <summary>A rule matched (or, for a deny, none did).</summary>
    Rule,

    /// <summary>A live tracking entry admitted the packet without consulting rules.</summary>
    Tracked,

    /// <summary>An ICMP error admitted because it quotes a tracked flow (<c>--related-icmp</c>).</summary>
    Related,

    /// <summary>Denied because the interface's tracking table is full.</summary>
    TableFull,

    /// <summary>Denied because a non-SYN TCP packet matched no entry under <c>--midstream strict</c>.</summary>
    Midstream,
}

/// <summary>Why a packet was denied: one reason per drop, one counter per reason.</summary>
public enum DenyReason : byte
{
    None,
    NaclRule,
    NaclDefault,
    SgNoMatch,
    TableFull,
    Midstream,
}

public static class ResultText
{
    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.Allow => "allow",
        Verdict.Deny => "deny",
        Verdict.Skip => "skip",
        _ => "undecodable",
    };

    public static string Name(HopKind hop) => hop switch
    {
        HopKind.SgOutbound => "sg-outbound",
        HopKind.NaclOutbound => "nacl-outbound",
        HopKind.NaclInbound => "nacl-inbound",
        _ => "sg-inbound",
    };

    public static string Name(HopBasis basis) => basis switch
    {
        HopBasis.Rule => "rule",
        HopBasis.Tracked => "tracked",
        HopBasis.Related => "related",
        HopBasis.TableFull => "table-full",
        _ => "midstream",
    };

    public static string Name(DenyReason reason) => reason switch
    {
        DenyReason.None => "",
        DenyReason.NaclRule => "nacl-deny-rule",
        DenyReason.NaclDefault => "nacl-default-deny",
        DenyReason.SgNoMatch => "sg-no-matching-rule",
        DenyReason.TableFull => "tracking-table-full",
        _ => "midstream-strict",
    };
}

public struct HopTrace
{
    public HopKind Kind;
    public bool Allowed;
    public HopBasis Basis;

    /// <summary>The reference id (into the compiled ruleset's rule table) that decided this hop.</summary>
    public int RuleId;

    /// <summary>The interface (SG hops) or ACL (NACL hops) index in the compiled ruleset.</summary>
    public int Target;
}

[InlineArray(4)]
public struct HopTraces
{
    private HopTrace _first;
}

[Flags]
public enum PacketResultFlags : byte
{
    None = 0,

    /// <summary>AWS does not filter this traffic (DNS resolver, metadata, time sync, DHCP).</summary>
    NotFiltered = 1 << 0,

    /// <summary>The flow is untracked at an SG hop (AWS "Untracked connections"): its packets were decided by rules.</summary>
    Untracked = 1 << 1,

    /// <summary>A non-first fragment that took its first fragment's verdict.</summary>
    FragmentFollowed = 1 << 2,

    /// <summary>A non-first fragment whose first fragment was not seen: matched only rules without ports or ICMP fields.</summary>
    FragmentWithoutFirst = 1 << 3,

    /// <summary>This packet created a tracking entry whose direction was inferred (mid-stream pickup).</summary>
    Inferred = 1 << 4,
}

/// <summary>The evaluation of one packet; filled in place by the evaluator, reused across packets.</summary>
public struct PacketResult
{
    /// <summary>The frame number of the packet, from <see cref="Packets.PacketInfo.Frame"/> (counting from 1).</summary>
    public long Frame;

    /// <summary>The packet's outcome, with security groups keeping state as AWS's do.</summary>
    public Verdict Verdict;

    /// <summary>
    /// The deciding reference: the denying hop's, or for an allowed packet the last hop's. An id into
    /// <see cref="Compilation.CompiledRuleset.Rules"/>: <c>rules.Rules.Reference(result.RuleId)</c> is its
    /// text, such as <c>nacl:public-nacl:inbound:*</c> or <c>sg:web-1:outbound:none</c>.
    /// </summary>
    public int RuleId;

    /// <summary>Why a denied packet was denied; <see cref="DenyReason.None"/> otherwise.</summary>
    public DenyReason Reason;

    /// <summary>Facts about the packet's evaluation beyond its verdict; test with <see cref="Has"/>.</summary>
    public PacketResultFlags Flags;

    /// <summary>The flow (index into the flow table), or -1 for packets outside any flow.</summary>
    public int FlowId;

    /// <summary>True when the packet goes in the flow's reply direction.</summary>
    public bool IsReply;

    /// <summary>How many of <see cref="Hops"/> the packet met: its path stops at the hop that denied it.</summary>
    public int HopCount;

    /// <summary>Each hop's result in path order, the first <see cref="HopCount"/> of them valid.</summary>
    public HopTraces Hops;

    /// <summary>What the packet would get if security groups kept no state.</summary>
    public Verdict StatelessVerdict;

    /// <summary>The deciding reference of <see cref="StatelessVerdict"/>, an id like <see cref="RuleId"/>.</summary>
    public int StatelessRuleId;

    /// <summary>True when <see cref="Flags"/> holds <paramref name="flag"/>.</summary>
    public readonly bool Has(PacketResultFlags flag) => (Flags & flag) != 0;
}
