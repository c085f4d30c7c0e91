using System.Runtime.CompilerServices;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Selection;

/// <summary>
/// A pcap-filter(7) expression (the subset in <see cref="FilterParser"/>), compiled as BPF compiles one:
/// a flat array of primitive tests, each with the step to take when it holds and when it does not, ending
/// in accept or reject. <c>and</c>, <c>or</c> and <c>not</c> become jumps, so matching a packet walks the
/// array once with no recursion, no stack and no allocation.
/// </summary>
public sealed class PacketFilter
{
    private const int Accept = -1, Reject = -2;

    private readonly Step[] _steps;
    private readonly int _entry;

    private readonly record struct Step(FilterTest Test, int WhenTrue, int WhenFalse);

    private PacketFilter(string text, string canonical, Step[] steps, int entry)
    {
        Text = text;
        Canonical = canonical;
        _steps = steps;
        _entry = entry;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The expression as it was read: every qualifier spelled out, every <c>and</c>/<c>or</c> parenthesized.</summary>
    public string Canonical { get; }

    /// <summary>The filter, or null with where and why the expression is refused.</summary>
    public static PacketFilter? Parse(string text, out FilterError error)
    {
        if (FilterParser.Parse(text, out error) is not { } tree)
        {
            return null;
        }
        var steps = new List<Step>();
        var entry = Emit(tree, Accept, Reject, steps);
        return new PacketFilter(text, tree.ToString(), [.. steps], entry);
    }

    /// <summary>Appends the steps of <paramref name="node"/>, which go on to <paramref name="whenTrue"/> or <paramref name="whenFalse"/>; returns its first step.</summary>
    private static int Emit(FilterNode node, int whenTrue, int whenFalse, List<Step> steps)
    {
        switch (node)
        {
            case FilterAnd and:
                return Emit(and.Left, Emit(and.Right, whenTrue, whenFalse, steps), whenFalse, steps);
            case FilterOr or:
                return Emit(or.Left, whenTrue, Emit(or.Right, whenTrue, whenFalse, steps), steps);
            case FilterNot not:
                return Emit(not.Operand, whenFalse, whenTrue, steps);
            default:
                steps.Add(new Step(((FilterLeaf)node).Test, whenTrue, whenFalse));
                return steps.Count - 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(in PacketInfo packet)
    {
        var steps = _steps;
        var at = _entry;
        while (at >= 0)
        {
            ref readonly var step = ref steps[at];
            at = step.Test.Matches(in packet) ? step.WhenTrue : step.WhenFalse;
        }
        return at == Accept;
    }

    public override string ToString() => Text;
}
