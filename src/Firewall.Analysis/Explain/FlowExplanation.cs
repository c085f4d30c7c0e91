namespace Firewall.Analysis.Explain;

/// <summary>Why one flow gets what it gets: the request, the reply and the stateless comparison (the shape of Capirca's aclcheck).</summary>
public sealed record FlowExplanation(
    string Flow,
    string Ruleset,
    PacketExplanation Request,
    PacketExplanation? Reply,
    string Outcome,
    string StatelessOutcome,
    IReadOnlyList<string> Notes);

/// <summary>One packet (the first of its direction) through every hop.</summary>
public sealed record PacketExplanation(
    string Direction,
    string Packet,
    string Verdict,
    string Rule,
    IReadOnlyList<HopExplanation> Hops,
    string Tracking,
    string StatelessVerdict,
    string StatelessRule,
    IReadOnlyList<HopExplanation> StatelessHops);

/// <summary>
/// One hop: where (<see cref="Hop"/> at <see cref="Target"/>), the result, the deciding reference and what
/// that rule says; when no rule allowed the packet, the rules of that direction that came closest and why
/// each missed.
/// </summary>
public sealed record HopExplanation(
    string Hop,
    string Target,
    string Result,
    string Rule,
    string RuleText,
    string Basis,
    IReadOnlyList<NearMiss> Closest);

/// <summary>A rule that did not match, and every field that kept it from matching.</summary>
public sealed record NearMiss(string Rule, string RuleText, IReadOnlyList<string> Reasons);
