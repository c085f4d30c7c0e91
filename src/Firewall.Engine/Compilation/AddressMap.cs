using Firewall.Engine.Addressing;

namespace Firewall.Engine.Compilation;

/// <summary>
/// Address → interface (exact) and address → subnet (containment) lookups. Subnets never overlap (the
/// loader refuses it), so a subnet lookup probes one hash per distinct prefix length, longest first.
/// </summary>
public sealed class AddressMap
{
    private readonly Dictionary<IpAddr, int> _interfaces = new();
    private readonly (int Prefix, bool V6, Dictionary<IpAddr, int> Networks)[] _subnetsByPrefix;

    public AddressMap(IEnumerable<(IpAddr Address, int Interface)> interfaces, IEnumerable<(Cidr Cidr, int Subnet)> subnets)
    {
        foreach (var (address, index) in interfaces)
        {
            _interfaces.TryAdd(address, index);
        }
        _subnetsByPrefix = subnets
            .GroupBy(s => (s.Cidr.PrefixLength, s.Cidr.IsV6))
            .OrderByDescending(g => g.Key.PrefixLength)
            .Select(g =>
            {
                var networks = new Dictionary<IpAddr, int>();
                foreach (var (cidr, index) in g)
                {
                    networks.TryAdd(cidr.Network, index);
                }
                return ((int)g.Key.PrefixLength, g.Key.IsV6, networks);
            })
            .ToArray();
    }

    /// <summary>The interface owning <paramref name="address"/>, or -1.</summary>
    public int InterfaceOf(IpAddr address) => _interfaces.TryGetValue(address, out var index) ? index : -1;

    /// <summary>The subnet containing <paramref name="address"/>, or -1.</summary>
    public int SubnetOf(IpAddr address)
    {
        foreach (var (prefix, v6, networks) in _subnetsByPrefix)
        {
            if (v6 != address.IsV6)
            {
                continue;
            }
            if (networks.TryGetValue(Cidr.Create(address, prefix).Network, out var index))
            {
                return index;
            }
        }
        return -1;
    }
}
