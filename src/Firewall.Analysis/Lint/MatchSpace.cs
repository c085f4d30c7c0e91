using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Lint;

/// <summary>
/// A box of packets a rule matches: a protocol range, an address range within one address space, and a
/// "selector" range that holds the destination port for tcp/udp or type×256+code for ICMP (so "type 3,
/// any code" is 768–1023 and "any type" is 0–65535). Rules are unions of boxes; subtracting boxes answers
/// "is everything this rule matches already matched by those" exactly, the way Capirca's aclcheck
/// finds shaded terms.
/// </summary>
internal readonly record struct Box(int ProtoLo, int ProtoHi, int Space, UInt128 AddrLo, UInt128 AddrHi, int SelLo, int SelHi)
{
    /// <summary>Address spaces: IPv4, IPv6, and one per referenced security group (members are not fixed addresses).</summary>
    public const int V4 = 0;
    public const int V6 = 1;

    public bool Overlaps(Box o) =>
        Space == o.Space && ProtoLo <= o.ProtoHi && o.ProtoLo <= ProtoHi && AddrLo <= o.AddrHi && o.AddrLo <= AddrHi && SelLo <= o.SelHi && o.SelLo <= SelHi;

    public Box Intersect(Box o) => new(
        Math.Max(ProtoLo, o.ProtoLo), Math.Min(ProtoHi, o.ProtoHi), Space,
        AddrLo > o.AddrLo ? AddrLo : o.AddrLo, AddrHi < o.AddrHi ? AddrHi : o.AddrHi,
        Math.Max(SelLo, o.SelLo), Math.Min(SelHi, o.SelHi));

    /// <summary>This box minus <paramref name="o"/>: at most six disjoint boxes.</summary>
    public void Subtract(Box o, List<Box> into)
    {
        if (!Overlaps(o))
        {
            into.Add(this);
            return;
        }
        var rest = this;
        // Peel off the parts outside o, one dimension at a time.
        if (rest.ProtoLo < o.ProtoLo) { into.Add(rest with { ProtoHi = o.ProtoLo - 1 }); rest = rest with { ProtoLo = o.ProtoLo }; }
        if (rest.ProtoHi > o.ProtoHi) { into.Add(rest with { ProtoLo = o.ProtoHi + 1 }); rest = rest with { ProtoHi = o.ProtoHi }; }
        if (rest.AddrLo < o.AddrLo) { into.Add(rest with { AddrHi = o.AddrLo - 1 }); rest = rest with { AddrLo = o.AddrLo }; }
        if (rest.AddrHi > o.AddrHi) { into.Add(rest with { AddrLo = o.AddrHi + 1 }); rest = rest with { AddrHi = o.AddrHi }; }
        if (rest.SelLo < o.SelLo) { into.Add(rest with { SelHi = o.SelLo - 1 }); rest = rest with { SelLo = o.SelLo }; }
        if (rest.SelHi > o.SelHi) { into.Add(rest with { SelLo = o.SelHi + 1 }); }
    }

    public static (UInt128 Lo, UInt128 Hi) Bounds(Cidr cidr)
    {
        var start = cidr.Network.Value;
        var hostBits = cidr.Network.BitLength - cidr.PrefixLength;
        var hostMask = hostBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - hostBits);
        return (start, start | hostMask);
    }
}

/// <summary>A union of disjoint boxes, with a bound on its size so that hostile rulesets cannot blow it up.</summary>
internal sealed class BoxSet
{
    /// <summary>Past this many boxes the analysis gives up on a question rather than answer it slowly.</summary>
    public const int MaxBoxes = 20_000;

    private List<Box> _boxes;

    public BoxSet(IEnumerable<Box> boxes) => _boxes = boxes.ToList();

    public IReadOnlyList<Box> Boxes => _boxes;

    public bool IsEmpty => _boxes.Count == 0;

    /// <summary>False when the result grew past <see cref="MaxBoxes"/> (the set is then unusable).</summary>
    public bool Subtract(IEnumerable<Box> others)
    {
        foreach (var o in others)
        {
            var next = new List<Box>(_boxes.Count);
            foreach (var b in _boxes)
            {
                b.Subtract(o, next);
            }
            _boxes = next;
            if (_boxes.Count > MaxBoxes)
            {
                return false;
            }
        }
        return true;
    }

    public bool Overlaps(IEnumerable<Box> others) => others.Any(o => _boxes.Any(b => b.Overlaps(o)));

    public BoxSet Intersect(IEnumerable<Box> others) =>
        new(others.SelectMany(o => _boxes.Where(b => b.Overlaps(o)).Select(b => b.Intersect(o))));

    public BoxSet Clone() => new(_boxes);
}
