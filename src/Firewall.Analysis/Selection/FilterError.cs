namespace Firewall.Analysis.Selection;

/// <summary>Why a filter expression was refused, and where: <paramref name="Offset"/> counts characters from 0.</summary>
public readonly record struct FilterError(int Offset, string Message)
{
    public override string ToString() => $"column {Offset + 1}: {Message}";
}
