namespace Firewall.Analysis.Reachability;

/// <summary>
/// The boxes that hold on a leaf, compared by content (two leaves with the same ones get the same answer),
/// looked up from a span so that a leaf met before allocates nothing.
/// </summary>
internal sealed class LiveBoxesComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
{
    public static readonly LiveBoxesComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] live) => GetHashCode((ReadOnlySpan<int>)live);

    public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<int> live)
    {
        var h = new HashCode();
        h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(live));
        return h.ToHashCode();
    }

    public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();
}
