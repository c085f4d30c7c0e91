namespace Firewall.Analysis.Reachability;

/// <summary>Regions joined where they differ in one dimension only and share their result.</summary>
internal static class RegionJoin
{
    /// <summary>
    /// Joins regions that differ in one dimension only and share their result, dimension by dimension, until
    /// none do: the tree merges only siblings under one parent, so two regions with the same sources that
    /// differ in a port it cut earlier (or the reverse) are joined here. Every join is a product again, so
    /// the answer stays a partition with one result per class.
    /// </summary>
    public static List<Region> Join(List<Region> regions)
    {
        Dim[] order = [Dim.Source, Dim.SourcePort, Dim.DestinationPort, Dim.IcmpType, Dim.IcmpCode, Dim.Destination, Dim.Source];
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var dim in order)
            {
                var groups = new Dictionary<JoinKey, List<Region>>();
                foreach (var r in regions)
                {
                    if (!r.Sets.ContainsKey(dim))
                    {
                        continue;
                    }
                    var key = new JoinKey(r, dim);
                    if (!groups.TryGetValue(key, out var list))
                    {
                        groups[key] = list = [];
                    }
                    list.Add(r);
                }
                var next = new List<Region>(regions.Count);
                var joined = new HashSet<Region>(ReferenceEqualityComparer.Instance);
                foreach (var r in regions)
                {
                    if (joined.Contains(r))
                    {
                        continue;
                    }
                    if (!r.Sets.ContainsKey(dim) || groups[new JoinKey(r, dim)] is not { Count: > 1 } list)
                    {
                        next.Add(r);
                        continue;
                    }
                    var sets = new Dictionary<Dim, IntervalSet>(r.Sets) { [dim] = list.Select(x => x.Sets[dim]).Aggregate((a, b) => a.Union(b)) };
                    next.Add(new Region(r.V6, sets, r.Result));
                    foreach (var x in list)
                    {
                        joined.Add(x);
                    }
                    changed = true;
                }
                regions = next;
            }
        }
        return regions;
    }

    /// <summary>A region without one dimension: regions with equal keys differ in that dimension only.</summary>
    private sealed class JoinKey : IEquatable<JoinKey>
    {
        private readonly Region _region;
        private readonly Dim _without;
        private readonly int _hash;

        public JoinKey(Region region, Dim without)
        {
            _region = region;
            _without = without;
            var h = new HashCode();
            h.Add(region.V6);
            h.Add(region.Result);
            foreach (var (dim, set) in region.Sets.OrderBy(kv => kv.Key))
            {
                if (dim != without)
                {
                    h.Add(dim);
                    h.Add(set);
                }
            }
            _hash = h.ToHashCode();
        }

        public bool Equals(JoinKey? other)
        {
            if (other is null || other._hash != _hash || other._without != _without || other._region.V6 != _region.V6
                || other._region.Result != _region.Result || other._region.Sets.Count != _region.Sets.Count)
            {
                return false;
            }
            foreach (var (dim, set) in _region.Sets)
            {
                if (dim != _without && (!other._region.Sets.TryGetValue(dim, out var o) || !o.Equals(set)))
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as JoinKey);

        public override int GetHashCode() => _hash;
    }
}
