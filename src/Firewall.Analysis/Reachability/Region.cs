namespace Firewall.Analysis.Reachability;

/// <summary>One region of an answer: a product of value sets, one per dimension of its protocol kind, and what every request in it gets.</summary>
/// <param name="Result">The index of the result shared by the whole region (what the leaf evaluator returned).</param>
internal sealed record Region(bool V6, IReadOnlyDictionary<Dim, IntervalSet> Sets, int Result);
