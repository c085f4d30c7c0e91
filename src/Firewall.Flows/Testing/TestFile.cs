using Firewall.Analysis.Reachability;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Flows.Definitions;

namespace Firewall.Flows.Testing;

/// <summary>What a flow case expects of one direction.</summary>
public enum Expectation : byte
{
    Unspecified,
    Allow,
    Deny,
}

/// <summary>A flow case: a synthesized flow and what its request, reply, deciding rule and stateless outcome must be.</summary>
public sealed record FlowTestCase(
    string Name,
    SourceLocation Location,
    FlowDefinition Flow,
    Expectation Request,
    Expectation Reply,
    string? By,
    FlowOutcome? Stateless) : TestCase(Name, Location);

/// <summary>A capture case: a capture replayed against the ruleset, with flow and packet counts to match (only those named).</summary>
public sealed record CaptureTestCase(
    string Name,
    SourceLocation Location,
    string CapturePath,
    IReadOnlyDictionary<FlowOutcome, long> Flows,
    IReadOnlyDictionary<string, long> Packets) : TestCase(Name, Location);

/// <summary>
/// A reachability case: a set of packets (<c>reach: "tcp * -> db-1:5432"</c>) and the outcome every packet of
/// it must get, or, with <see cref="Some"/>, that at least one must get: answered for all packets of the
/// set, without traffic.
/// </summary>
public sealed record ReachTestCase(
    string Name,
    SourceLocation Location,
    PacketSet Set,
    string Outcome,
    bool Some) : TestCase(Name, Location);

public abstract record TestCase(string Name, SourceLocation Location);

/// <summary>A regression test file (SPEC §7), loaded and validated.</summary>
public sealed record TestFile(string Path, Ruleset Ruleset, IReadOnlyList<TestCase> Cases);
