namespace Firewall.Engine.Evaluation;

/// <summary>Policy knobs of a run, each a documented departure point (docs/semantics.md). <see cref="Default"/> is what <c>firewall check</c> does without options.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// Deny a non-SYN TCP packet that matches no tracking entry (<c>--midstream strict</c>). Off by default:
    /// captures often start mid-connection, so such a packet is judged by the rules of its direction and,
    /// when allowed, opens an established entry whose direction is inferred (docs/semantics.md, "Flows: one per connection").
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

    /// <summary>
    /// The most flows kept per run for per-flow reporting (about 220 bytes each, so the default holds memory
    /// near 2 GB). Packets of flows first seen after that are still evaluated, tracked and counted, but have
    /// no flow record (flow id -1) and are counted in <see cref="Counters.PacketsOfUnrecordedFlows"/>.
    /// </summary>
    public int MaxFlows { get; init; } = 10_000_000;

    /// <summary>
    /// The most untracked entries (orientation only) an interface keeps at once. AWS counts them
    /// against no allowance, so <c>max_tracked</c> does not bound them; this bound protects the process from a
    /// flood of untracked flows. Past it a new untracked flow is still judged by its rules packet by packet,
    /// as every untracked flow is, but its orientation is not remembered; such packets are counted in
    /// <see cref="Counters.UntrackedNotKept"/>.
    /// </summary>
    public int MaxUntracked { get; init; } = Compilation.RulesetCompiler.DefaultMaxTracked;

    /// <summary>Every knob at its default: the evaluation <c>firewall check</c> does without options.</summary>
    public static EvaluationOptions Default { get; } = new();
}
