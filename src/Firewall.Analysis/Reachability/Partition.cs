using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Reachability;

/// <summary>
/// The partition of a packet set into regions with one result each, built top-down as a layered tree
/// (np-guard's hypercube sets, built by splitting): dimension by dimension, a region is cut only at the
/// edges of the boxes still live in it (those that contain it on every dimension cut so far), so a box that
/// has become false, or true on all its dimensions, cuts nothing further. At a leaf every box is constant,
/// and its result is that of one request of it, played by the leaf evaluator; leaves with the same live
/// boxes share it (the atomic-predicates idea: requests on which every predicate agrees get one answer).
/// Then, bottom-up, sibling subtrees that are identical are merged, their keys joined, so that the regions
/// read back are few and each is as wide as the tree's dimension order allows.
/// </summary>
internal sealed class Partition
{
    private static readonly Dim[] PortsOrder = [Dim.Destination, Dim.Source, Dim.DestinationPort, Dim.SourcePort];
    private static readonly Dim[] IcmpOrder = [Dim.Destination, Dim.Source, Dim.IcmpType, Dim.IcmpCode];
    private static readonly Dim[] OtherOrder = [Dim.Destination, Dim.Source];

    private readonly List<HeaderBox> _boxes;
    private readonly Func<RequestHeader, int> _evaluate;
    private readonly bool _v6;
    private readonly SetPart _part;
    private readonly Dictionary<PartitionNode, int> _interned = new();
    private readonly List<PartitionNode> _nodes = [];
    private readonly Dictionary<int[], int> _memo = new(LiveBoxesComparer.Instance);
    private readonly Dictionary<int[], int>.AlternateLookup<ReadOnlySpan<int>> _memoBySpan;
    private readonly UInt128[] _picks = new UInt128[HeaderBox.Dims];
    private readonly Interval[] _pieces = new Interval[HeaderBox.Dims];

    /// <summary>
    /// The leaf of requests that are their own reply: an interface's address to itself on the same port (TCP,
    /// UDP), or with another protocol, which has no ports to tell request from reply. No exchange can play
    /// them, so they belong to no class.
    /// </summary>
    private const int SelfAddressed = int.MaxValue - 1;

    /// <summary>The leaf of a diff's cells where no changed box holds: both rulesets read the same rules there, so nothing differs.</summary>
    private const int Unchanged = int.MaxValue - 2;

    /// <summary>For a diff, per box: whether the other ruleset has no box like it; null for a query.</summary>
    private readonly bool[]? _changed;

    /// <summary>Per dimension, per box: whether it holds the piece a split is at (each dimension is split once on a path).</summary>
    private readonly int[][] _active;
    private readonly List<(UInt128 At, int Box, int Delta)>[] _events = new List<(UInt128, int, int)>[HeaderBox.Dims];
    private readonly bool[][] _everywhere = new bool[HeaderBox.Dims][];
    private readonly int[] _group;
    private readonly bool[] _allPeer;
    private readonly byte[] _ends;
    private readonly List<int>[] _kept = new List<int>[HeaderBox.Dims];

    /// <summary>Per box, the dimensions on which it holds less than the whole domain.</summary>
    private readonly int[] _constrains;

    /// <summary>Per group, while one child's boxes are pruned: 0, 1 (a box covers the cell), 2 (one that ends the group covers it).</summary>
    private readonly byte[] _covered;

    private Partition(List<HeaderBox> boxes, SetPart part, Func<RequestHeader, int> evaluate, bool[]? changed)
    {
        _changed = changed;
        _boxes = boxes;
        _part = part;
        _v6 = part.V6;
        _evaluate = evaluate;
        _memoBySpan = _memo.GetAlternateLookup<ReadOnlySpan<int>>();
        _active = new int[HeaderBox.Dims][];
        for (var d = 0; d < HeaderBox.Dims; d++)
        {
            _active[d] = new int[boxes.Count];
            _events[d] = [];
            _everywhere[d] = [];
            _kept[d] = [];
        }
        _group = [.. boxes.Select(b => b.Group)];
        _allPeer = [.. boxes.Select(b => b.AllPeer)];
        _ends = [.. boxes.Select(b => b.AllPeer || !b.SecurityGroup ? (byte)2 : (byte)1)];
        _constrains = new int[boxes.Count];
        for (var b = 0; b < boxes.Count; b++)
        {
            for (var d = 0; d < HeaderBox.Dims; d++)
            {
                if (boxes[b].Sets[d] is { } set && !Domain((Dim)d).Subtract(set).IsEmpty)
                {
                    _constrains[b] |= 1 << d;
                }
            }
        }
        _covered = new byte[boxes.Count == 0 ? 0 : boxes.Max(b => b.Group) + 1];
    }

    /// <summary>Leaves evaluated (requests played), and leaves answered from an earlier one with the same live boxes.</summary>
    public int Evaluated { get; private set; }

    public int Memoized { get; private set; }

    /// <summary>
    /// The regions of <paramref name="part"/>: <paramref name="evaluate"/> is called for one request per
    /// leaf and returns the index of its result; regions with equal results and equal subtrees are merged.
    /// </summary>
    public static (List<Region> Regions, Partition Stats) Of(List<HeaderBox> boxes, SetPart part, Func<RequestHeader, int> evaluate, bool[]? changed = null)
    {
        var p = new Partition(boxes, part, evaluate, changed);
        var live = Enumerable.Range(0, boxes.Count).ToArray();
        var root = p.Split(Dim.Protocol, [], 0, live);
        var regions = new List<Region>();
        p.Collect(root, new Dictionary<Dim, IntervalSet>(), regions);
        return (RegionJoin.Join(regions), p);
    }

    private IntervalSet Domain(Dim dim) => dim switch
    {
        Dim.Protocol => _part.Protocols,
        Dim.Source => _part.Sources,
        Dim.Destination => _part.Destinations,
        Dim.SourcePort => _part.SourcePorts,
        Dim.DestinationPort => _part.DestinationPorts,
        Dim.IcmpType => _part.IcmpTypes,
        _ => _part.IcmpCodes,
    };

    private static Dim[] OrderFor(byte protocol, bool v6) => protocol switch
    {
        IpProtocol.Tcp or IpProtocol.Udp => PortsOrder,
        IpProtocol.Icmp when !v6 => IcmpOrder,
        IpProtocol.IcmpV6 when v6 => IcmpOrder,
        _ => OtherOrder,
    };

    /// <summary>Splits the current region on <paramref name="dim"/>; returns the id of the interned subtree (a leaf's is -(result + 1)).</summary>
    private int Split(Dim dim, Dim[] order, int level, int[] live)
    {
        var d = (int)dim;
        var everywhere = Edges(d, live);
        var events = _events[d];
        var active = _active[d];
        var e = 0;
        var children = new List<(Interval Piece, int Child)>(events.Count + Domain(dim).Intervals.Count);
        var kept = _kept[d];
        var free = dim == Dim.Protocol ? AllDims & ~(1 << (int)Dim.Protocol) : Undecided(order, level);
        // Below the last dimension a child is a leaf: its boxes are looked up without an array of their own.
        var leaves = dim != Dim.Protocol && level + 1 >= order.Length;
        foreach (var range in Domain(dim).Intervals)
        {
            var lo = range.Lo;
            while (true)
            {
                while (e < events.Count && events[e].At <= lo)
                {
                    active[events[e].Box] += events[e].Delta;
                    e++;
                }
                var hi = e < events.Count && events[e].At - 1 < range.Hi ? events[e].At - 1 : range.Hi;
                var piece = new Interval(lo, hi);
                _picks[d] = ExampleRequest.Pick(dim, piece);
                _pieces[d] = piece;
                Prune(live, everywhere, active, free, kept);
                children.Add((piece, _changed is not null && !AnyChanged(kept) ? -(Unchanged + 1) : leaves
                    ? -(Leaf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept)) + 1)
                    : Descend(dim, order, level, [.. kept])));
                if (hi == range.Hi)
                {
                    break;
                }
                lo = hi + 1;
            }
        }
        foreach (var b in live)
        {
            active[b] = 0;
        }
        return Intern(dim, children);
    }

    /// <summary>
    /// Fills the events of dimension <paramref name="d"/> with the edges of the live boxes, in order; returns,
    /// per live box, whether it holds every value of the dimension.
    /// </summary>
    private bool[] Edges(int d, int[] live)
    {
        // The edges of the live boxes on this dimension, as events in order: a box enters the pieces from
        // its interval's start and leaves them after its end. Sweeping them keeps, per box, whether it holds
        // the current piece (pieces never straddle an edge), instead of searching its set for every piece.
        // Buffers kept per dimension: a split's children split other dimensions only.
        var events = _events[d];
        events.Clear();
        if (_everywhere[d].Length < live.Length)
        {
            _everywhere[d] = new bool[Math.Max(live.Length, 2 * _everywhere[d].Length)];
        }
        var everywhere = _everywhere[d]; // the boxes that hold every value of this dimension
        for (var k = 0; k < live.Length; k++)
        {
            var b = live[k];
            everywhere[k] = _boxes[b].Sets[d] is null;
            if (_boxes[b].Sets[d] is { } set)
            {
                foreach (var i in set.Intervals)
                {
                    events.Add((i.Lo, b, 1));
                    if (i.Hi != UInt128.MaxValue)
                    {
                        events.Add((i.Hi + 1, b, -1));
                    }
                }
            }
        }
        events.Sort((x, y) => x.At.CompareTo(y.At));
        return everywhere;
    }

    private bool AnyChanged(List<int> live)
    {
        foreach (var b in live)
        {
            if (_changed![b])
            {
                return true;
            }
        }
        return false;
    }

    private const int AllDims = (1 << HeaderBox.Dims) - 1;

    /// <summary>The dimensions not yet cut below level <paramref name="level"/> of <paramref name="order"/> (after the protocol).</summary>
    private static int Undecided(Dim[] order, int level)
    {
        var decided = 1 << (int)Dim.Protocol;
        for (var i = 0; i <= level; i++)
        {
            decided |= 1 << (int)order[i];
        }
        return AllDims & ~decided;
    }

    /// <summary>
    /// The live boxes that can still change a result in the cell: a hop reads its rules in order and stops
    /// at the first that matches, so once a box of a group covers the cell (it holds every value of the
    /// dimensions not cut yet), the group's later boxes never decide there, and are dropped. A security
    /// group's later rules for 0.0.0.0/0 or ::/0 stay until one of them covers the cell: whether such a rule
    /// matches decides whether the flow is tracked (the engine's RuleMatching.FirstSgRule reads on for it).
    /// Fewer boxes mean fewer cuts below and more leaves that share one exchange.
    /// </summary>
    private void Prune(int[] live, bool[] everywhere, int[] active, int free, List<int> kept)
    {
        kept.Clear();
        for (var k = 0; k < live.Length; k++)
        {
            var b = live[k];
            if (!everywhere[k] && active[b] == 0)
            {
                continue; // not in this piece
            }
            var group = _group[b];
            if (group < 0)
            {
                kept.Add(b);
                continue;
            }
            var state = _covered[group];
            if (state == 2 || (state == 1 && !_allPeer[b]))
            {
                continue;
            }
            kept.Add(b);
            if ((_constrains[b] & free) == 0)
            {
                // A NACL list ends at its first match; a group's rules end at the first that covers for 0.0.0.0/0.
                _covered[group] = _ends[b];
            }
        }
        foreach (var b in kept)
        {
            if (_group[b] >= 0)
            {
                _covered[_group[b]] = 0;
            }
        }
    }

    private int Descend(Dim dim, Dim[] order, int level, int[] live)
    {
        if (dim == Dim.Protocol)
        {
            order = OrderFor((byte)_picks[(int)Dim.Protocol], _v6);
            return Split(order[0], order, 0, live);
        }
        if (level + 1 < order.Length)
        {
            return Split(order[level + 1], order, level + 1, live);
        }
        return -(Leaf(live) + 1);
    }

    private int Leaf(ReadOnlySpan<int> live)
    {
        var request = ExampleRequest.Of(_picks, _v6);
        if (request.Source == request.Destination && !IpProtocol.IsIcmp(request.Protocol))
        {
            var source = _pieces[(int)Dim.Source];
            if (source.Lo != source.Hi)
            {
                // A cell of many addresses on both sides (the rest of the world, a subnet's hosts): stand
                // for it by two different ones.
                var s = _picks[(int)Dim.Source];
                _picks[(int)Dim.Source] = s == source.Lo ? source.Lo + 1 : source.Lo;
                request = ExampleRequest.Of(_picks, _v6);
            }
            else
            {
                // One address on both sides: an interface to itself.
                var ports = _pieces[(int)Dim.SourcePort];
                if (!IpProtocol.HasPorts(request.Protocol) || (request.SourcePort == request.DestinationPort && ports.Lo == ports.Hi && _pieces[(int)Dim.DestinationPort] == ports))
                {
                    return SelfAddressed;
                }
                if (request.SourcePort == request.DestinationPort)
                {
                    // Another port of the same cell on whichever side has one (not both are single ports).
                    var side = ports.Lo != ports.Hi ? Dim.SourcePort : Dim.DestinationPort;
                    var piece = _pieces[(int)side];
                    _picks[(int)side] = _picks[(int)side] == piece.Lo ? piece.Lo + 1 : piece.Lo;
                    request = ExampleRequest.Of(_picks, _v6);
                }
            }
        }
        if (_memoBySpan.TryGetValue(live, out var known))
        {
            Memoized++;
            return known;
        }
        Evaluated++;
        var result = _evaluate(request);
        _memo[live.ToArray()] = result;
        return result;
    }

    private int Intern(Dim dim, List<(Interval Piece, int Child)> children)
    {
        // Siblings with the same subtree are one branch, keyed by the union of their pieces. The pieces come in
        // ascending order, so each branch's intervals do too (adjacent ones joined), and the branches are in
        // the order of their first piece. A protocol with a name (tcp, udp, icmp, icmpv6) stays a branch of
        // its own, so that a class's protocol is one name or a set of numbers without names, never "6,17".
        var pieces = new Dictionary<(int Child, int Named), List<Interval>>();
        var firsts = new List<(int Child, int Named)>();
        foreach (var (piece, child) in children)
        {
            var branch = (child, dim == Dim.Protocol && piece.Lo == piece.Hi && Named((byte)piece.Lo) ? (int)piece.Lo : -1);
            if (!pieces.TryGetValue(branch, out var list))
            {
                pieces[branch] = list = [];
                firsts.Add(branch);
            }
            if (list.Count > 0 && list[^1].Hi + 1 == piece.Lo)
            {
                list[^1] = new Interval(list[^1].Lo, piece.Hi);
            }
            else
            {
                list.Add(piece);
            }
        }
        var merged = new (IntervalSet Key, int Child)[firsts.Count];
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = (IntervalSet.OfCanonical([.. pieces[firsts[i]]]), firsts[i].Child);
        }
        var key = new PartitionNode(dim, merged);
        if (!_interned.TryGetValue(key, out var id))
        {
            id = _nodes.Count;
            _nodes.Add(key);
            _interned[key] = id;
        }
        return id;
    }

    private static bool Named(byte protocol) => protocol is IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Icmp or IpProtocol.IcmpV6;

    private void Collect(int id, Dictionary<Dim, IntervalSet> path, List<Region> regions)
    {
        if (id < 0)
        {
            if (-id - 1 is not SelfAddressed and not Unchanged)
            {
                regions.Add(new Region(_v6, new Dictionary<Dim, IntervalSet>(path), -id - 1));
            }
            return;
        }
        var node = _nodes[id];
        foreach (var (key, child) in node.Children)
        {
            path[node.Dim] = key;
            Collect(child, path, regions);
        }
        path.Remove(node.Dim);
    }
}
