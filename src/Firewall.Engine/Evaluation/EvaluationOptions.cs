namespace Firewall.Engine.Evaluation;

/// <summary>Policy knobs of a run, each a documented departure point (reference/aws-semantics.md §7).</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// Deny a non-SYN TCP packet that matches no tracking entry (<c>--midstream strict</c>). Off by default:
    /// captures often start mid-connection, so such a packet is judged by the rules of its direction and,
    /// when allowed, opens an established entry whose direction is inferred (SPEC §2.7).
    /// </summary>
    public bool MidstreamStrict { get; init; }

    /// <summary>
    /// Admit ICMP errors that quote a tracked flow (netfilter's RELATED, <c>--related-icmp</c>). Off by
    /// default: AWS documents that Path MTU Discovery needs explicit ICMP rules (aws-semantics.md §2.5).
    /// </summary>
    public bool RelatedIcmp { get; init; }

    /// <summary>Seconds a first fragment's verdict is remembered for its later fragments (Linux ipfrag_time: 30; pf: 60).</summary>
    public int FragmentTimeout { get; init; } = 60;

    /// <summary>The most first-fragment verdicts remembered at once.</summary>
    public int MaxFragmentsRemembered { get; init; } = 65536;

    public static EvaluationOptions Default { get; } = new();
}
