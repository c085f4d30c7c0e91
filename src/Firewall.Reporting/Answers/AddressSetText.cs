using Firewall.Analysis.Reachability;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Reporting.Answers;

/// <summary>
/// An address set of an answer in words a person reads at a glance: the name of the interface or subnet
/// it is, else its CIDRs, or an enclosing set "except" a few CIDRs when that is shorter (every address but
/// the local subnet and the Amazon services is "* except 10.0.0.2, 10.0.1.0/24, …" rather than 60 CIDRs).
/// Host CIDRs are written as addresses; names follow in parentheses.
/// </summary>
internal sealed class AddressSetText
{
    private const int MaxItems = 6;
    private readonly List<(string Name, bool V6, IntervalSet Set)> _named = [];
    private readonly IntervalSet[] _services = [IntervalSet.Empty, IntervalSet.Empty];

    public AddressSetText(CompiledRuleset rules)
    {
        var model = rules.Model;
        foreach (var eni in model.Interfaces)
        {
            foreach (var v6 in new[] { false, true })
            {
                var set = IntervalSet.Of(eni.Addresses.Where(a => a.IsV6 == v6).Select(a => Interval.Point(a.Value)));
                if (!set.IsEmpty)
                {
                    _named.Add((eni.Name, v6, set));
                }
            }
        }
        foreach (var subnet in model.Subnets)
        {
            foreach (var cidr in new[] { subnet.Cidr, subnet.Ipv6Cidr }.OfType<Cidr>())
            {
                _named.Add(($"subnet {subnet.Name}", cidr.IsV6, IntervalSet.Of(PacketSetParser.Range(cidr))));
            }
        }
        foreach (var address in rules.Bypass.Addresses)
        {
            var name = rules.Bypass.Classify(new Engine.Packets.PacketInfo { Src = address, Dst = address }) switch
            {
                Bypass.Service.Dns => "Amazon DNS",
                Bypass.Service.Metadata => "instance metadata",
                Bypass.Service.TimeSync => "Time Sync",
                _ => "not filtered",
            };
            var point = IntervalSet.Of(Interval.Point(address.Value));
            _named.Add((name, address.IsV6, point));
            _services[address.IsV6 ? 1 : 0] = _services[address.IsV6 ? 1 : 0].Union(point);
        }
    }

    public string Describe(IntervalSet set, bool v6) => Best(set, v6, splitBySubnet: true).Text;

    /// <summary>The shortest of the ways to write a set, with its length in items.</summary>
    private (string Text, int Length) Best(IntervalSet set, bool v6, bool splitBySubnet)
    {
        if (Name(set, v6) is { } exact)
        {
            return (exact, 1);
        }
        var direct = Items(set, v6);
        var best = (Text: List(direct), Length: direct.Count);
        best = ByNames(set, v6, best);
        best = ByExceptions(set, v6, best);
        if (splitBySubnet && best.Length > 2)
        {
            best = BySubnets(set, v6, best);
        }
        return best;
    }

    /// <summary>A few addresses, each an interface's (or an Amazon service's): their names.</summary>
    private (string Text, int Length) ByNames(IntervalSet set, bool v6, (string Text, int Length) best)
    {
        if (set.Count <= MaxItems)
        {
            var points = set.Intervals.SelectMany(i => Enumerable.Range(0, (int)(i.Hi - i.Lo + 1)).Select(k => i.Lo + (UInt128)k)).ToList();
            var names = points.Select(a => Name(IntervalSet.Of(Interval.Point(a)), v6)).ToList();
            if (names.All(n => n is not null) && names.Count <= best.Length + 1)
            {
                best = (string.Join(", ", names), names.Count);
            }
        }
        return best;
    }

    /// <summary>An enclosing set with few exceptions: the whole family, or a named set (a subnet) that holds it.</summary>
    private (string Text, int Length) ByExceptions(IntervalSet set, bool v6, (string Text, int Length) best)
    {
        var all = IntervalSet.Of(0, v6 ? UInt128.MaxValue : uint.MaxValue);
        foreach (var (name, enclosing) in _named.Where(n => n.V6 == v6).Select(n => (n.Name, n.Set)).Prepend(("*", all)))
        {
            if (!enclosing.Intersect(set).Equals(set) || enclosing.Equals(set))
            {
                continue;
            }
            // The Amazon services' addresses, which AWS does not filter, are a class of their own in almost
            // every answer: as exceptions they are named together.
            var holes = enclosing.Subtract(set);
            var services = holes.Intersect(_services[v6 ? 1 : 0]);
            var except = Items(holes.Subtract(services), v6);
            if (!services.IsEmpty)
            {
                except.Add("the Amazon services' addresses");
            }
            if (except.Count + 1 < best.Length)
            {
                var head = name == "*" ? "*" : $"{CidrText(enclosing, v6)} ({name})";
                best = ($"{head} except {List(except)}", except.Count + 1);
            }
        }
        return best;
    }

    /// <summary>Spread over several subnets: each subnet's part on its own.</summary>
    private (string Text, int Length) BySubnets(IntervalSet set, bool v6, (string Text, int Length) best)
    {
        var parts = new List<(string Text, int Length)>();
        var rest = set;
        foreach (var (_, subnet) in _named.Where(n => n.V6 == v6 && n.Name.StartsWith("subnet ", StringComparison.Ordinal)).Select(n => (n.Name, n.Set)))
        {
            var part = set.Intersect(subnet);
            if (!part.IsEmpty)
            {
                parts.Add(Best(part, v6, splitBySubnet: false));
                rest = rest.Subtract(subnet);
            }
        }
        if (parts.Count > 1)
        {
            if (!rest.IsEmpty)
            {
                parts.Add(Best(rest, v6, splitBySubnet: false));
            }
            var length = parts.Sum(p => p.Length);
            if (length < best.Length)
            {
                best = (string.Join("; ", parts.Select(p => p.Text)), length);
            }
        }
        return best;
    }

    private string? Name(IntervalSet set, bool v6) =>
        _named.FirstOrDefault(n => n.V6 == v6 && n.Set.Equals(set)) is { Name: { } name } match ? $"{CidrText(match.Set, v6)} ({name})" : null;

    /// <summary>The set's CIDRs, each with its name when it is a named set's.</summary>
    private List<string> Items(IntervalSet set, bool v6)
    {
        var items = new List<string>();
        foreach (var interval in set.Intervals)
        {
            foreach (var (network, prefix) in IntervalSet.Cidrs(interval, v6 ? 128 : 32))
            {
                var piece = IntervalSet.Of(PacketSetParser.Range(Cidr.Create(IpAddr.FromValue(network, v6), prefix)));
                if (Name(piece, v6) is { } name)
                {
                    items.Add(name);
                    continue;
                }
                // A few addresses that are all named (two interfaces side by side): their names.
                var size = (v6 ? 128 : 32) - prefix;
                var names = size <= 2
                    ? Enumerable.Range(0, 1 << size).Select(k => Name(IntervalSet.Of(Interval.Point(network + (UInt128)k)), v6)).ToList()
                    : [];
                items.AddRange(names.Count > 0 && names.All(n => n is not null) ? names.Select(n => n!) : [CidrText(piece, v6)]);
            }
        }
        return items;
    }

    private static string List(List<string> items) =>
        items.Count <= MaxItems ? string.Join(", ", items) : $"{string.Join(", ", items.Take(MaxItems - 1))} and {items.Count - MaxItems + 1} more";

    private static string CidrText(IntervalSet set, bool v6)
    {
        var parts = new List<string>();
        foreach (var interval in set.Intervals)
        {
            foreach (var (network, prefix) in IntervalSet.Cidrs(interval, v6 ? 128 : 32))
            {
                var address = IpAddr.FromValue(network, v6);
                parts.Add(prefix == address.BitLength ? address.ToString() : $"{address}/{prefix}");
            }
        }
        return string.Join(", ", parts);
    }

}
