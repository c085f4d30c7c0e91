using Firewall.Engine.Addressing;

namespace Firewall.Engine.Compilation;

/// <summary>
/// Address → interface (exact) and address → subnet (containment) lookups. An interface address carries
/// its subnet, so the common case is one hash probe. Subnets never overlap (the loader refuses it), so a
/// subnet lookup probes one hash per distinct prefix length of the address's family, longest first.
/// </summary>
public sealed class AddressMap
{
    private readonly Dictionary<IpAddr, (int Interface, int Subnet)> _interfaces = new();
    private readonly PrefixGroup[] _v4;
    private readonly PrefixGroup[] _v6;

    private sealed record PrefixGroup(ulong MaskHi, ulong MaskLo, Dictionary<IpAddr, int> Networks);

    public AddressMap(IEnumerable<(IpAddr Address, int Interface)> interfaces, IEnumerable<(Cidr Cidr, int Subnet)> subnets)
    {
        var all = subnets.ToList();
        _v4 = Groups(all.Where(s => !s.Cidr.IsV6));
        _v6 = Groups(all.Where(s => s.Cidr.IsV6));
        foreach (var (address, index) in interfaces)
        {
            _interfaces.TryAdd(address, (index, ScanSubnets(address)));
        }
    }

    private static PrefixGroup[] Groups(IEnumerable<(Cidr Cidr, int Subnet)> subnets) => subnets
        .GroupBy(s => s.Cidr.PrefixLength)
        .OrderByDescending(g => g.Key)
        .Select(g =>
        {
            var networks = new Dictionary<IpAddr, int>();
            foreach (var (cidr, index) in g)
            {
                networks.TryAdd(cidr.Network, index);
            }
            var probe = g.First().Cidr;
            var (hi, lo) = Masks(probe);
            return new PrefixGroup(hi, lo, networks);
        })
        .ToArray();

    private static (ulong Hi, ulong Lo) Masks(Cidr cidr)
    {
        // The network of the all-ones address is the mask.
        var ones = cidr.IsV6 ? IpAddr.FromV6(ulong.MaxValue, ulong.MaxValue) : IpAddr.FromV4(uint.MaxValue);
        var n = Cidr.Create(ones, cidr.PrefixLength).Network;
        return (n.Hi, n.Lo);
    }

    /// <summary>The interface owning <paramref name="address"/> (or -1) and the subnet containing it (or -1).</summary>
    public void Locate(IpAddr address, out int nic, out int subnet)
    {
        if (_interfaces.TryGetValue(address, out var known))
        {
            nic = known.Interface;
            subnet = known.Subnet;
            return;
        }
        nic = -1;
        subnet = ScanSubnets(address);
    }

    /// <summary>The interface owning <paramref name="address"/>, or -1.</summary>
    public int InterfaceOf(IpAddr address) => _interfaces.TryGetValue(address, out var known) ? known.Interface : -1;

    /// <summary>The subnet containing <paramref name="address"/>, or -1.</summary>
    public int SubnetOf(IpAddr address)
    {
        Locate(address, out _, out var subnet);
        return subnet;
    }

    private int ScanSubnets(IpAddr address)
    {
        foreach (var group in address.IsV6 ? _v6 : _v4)
        {
            var network = address.IsV6
                ? IpAddr.FromV6(address.Hi & group.MaskHi, address.Lo & group.MaskLo)
                : IpAddr.FromV4((uint)(address.Lo & group.MaskLo));
            if (group.Networks.TryGetValue(network, out var index))
            {
                return index;
            }
        }
        return -1;
    }
}
