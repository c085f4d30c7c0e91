namespace Firewall.Analysis.Reachability;

/// <summary>An interned subtree of a <see cref="Partition"/>: the dimension it cuts and, per branch, the values and the child (a leaf's id is -(result + 1)).</summary>
internal sealed class PartitionNode(Dim dim, (IntervalSet Key, int Child)[] children) : IEquatable<PartitionNode>
{
    private readonly int _hash = Hash(dim, children);

    public Dim Dim { get; } = dim;

    public (IntervalSet Key, int Child)[] Children { get; } = children;

    private static int Hash(Dim dim, (IntervalSet Key, int Child)[] children)
    {
        var h = new HashCode();
        h.Add(dim);
        foreach (var (key, child) in children)
        {
            h.Add(key);
            h.Add(child);
        }
        return h.ToHashCode();
    }

    public bool Equals(PartitionNode? other)
    {
        if (other is null || other._hash != _hash || other.Dim != Dim || other.Children.Length != Children.Length)
        {
            return false;
        }
        for (var i = 0; i < Children.Length; i++)
        {
            if (Children[i].Child != other.Children[i].Child || !Children[i].Key.Equals(other.Children[i].Key))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as PartitionNode);

    public override int GetHashCode() => _hash;
}
