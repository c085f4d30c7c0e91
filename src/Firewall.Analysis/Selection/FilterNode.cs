namespace Firewall.Analysis.Selection;

/// <summary>
/// A parsed filter expression. <see cref="object.ToString"/> writes it back with every qualifier spelled out
/// and every binary operator parenthesized, which shows how it was read (<c>a or b and c</c> is
/// <c>((a or b) and c)</c>: pcap-filter's <c>and</c> and <c>or</c> have equal precedence, left to right).
/// </summary>
internal abstract record FilterNode;

internal sealed record FilterAnd(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} and {Right})";
}

internal sealed record FilterOr(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} or {Right})";
}

internal sealed record FilterNot(FilterNode Operand) : FilterNode
{
    public override string ToString() => $"not {Operand}";
}

internal sealed record FilterLeaf(FilterTest Test) : FilterNode
{
    public override string ToString() => Test.Text;
}
