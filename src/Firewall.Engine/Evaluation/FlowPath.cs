namespace Firewall.Engine.Evaluation;

/// <summary>
/// Where a flow's two endpoints sit in the ruleset (interface and subnet, -1 when none), in the flow key's
/// A/B order. The hops a packet meets depend only on these, so a flow remembers them and later packets
/// plan their path without looking addresses up again.
/// </summary>
public readonly record struct FlowPath(FlowPath.Place A, FlowPath.Place B)
{
    public readonly record struct Place(int Interface, int Subnet);

    /// <summary>The same endpoints with A and B exchanged.</summary>
    public FlowPath Reversed => new(B, A);

    /// <summary>Endpoint A's place when <paramref name="a"/>, else B's.</summary>
    public Place Of(bool a) => a ? A : B;
}
