using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// Network interfaces: a known subnet holding every address, each address on one interface only, known
/// security groups (at most <see cref="RulesetValidator.MaxGroupsPerInterface"/>), a positive max_tracked.
/// </summary>
internal sealed class InterfaceValidator(ValidationContext context, IReadOnlyList<Subnet> subnets)
{
    private readonly Dictionary<IpAddr, (InterfaceDocument Interface, ScalarNode Node)> _owners = [];
    private readonly Dictionary<string, Subnet> _subnetsByName = subnets.ToDictionary(s => s.Name, StringComparer.Ordinal);

    private DiagnosticBag Bag => context.Bag;

    public List<NetworkInterface> Read(IReadOnlyList<InterfaceDocument> docs)
    {
        var interfaces = new List<NetworkInterface>();
        foreach (var doc in docs)
        {
            var ok = TryReadSubnet(doc, out var subnet);
            ok &= TryReadAddresses(doc, subnet, out var addresses);
            ok &= TryReadGroups(doc, out var groups);
            ok &= TryReadMaxTracked(doc, out var maxTracked);
            if (ok)
            {
                interfaces.Add(new NetworkInterface(doc.Name.Value, addresses, subnet?.Name, groups, maxTracked));
            }
        }
        return interfaces;
    }

    private bool TryReadSubnet(InterfaceDocument doc, out Subnet? subnet)
    {
        subnet = null;
        if (doc.Subnet is not { } subnetField)
        {
            return true;
        }
        subnet = _subnetsByName.GetValueOrDefault(subnetField.Text);
        if (subnet is not null)
        {
            return true;
        }
        // A subnet that failed validation exists in the file; it is reported already.
        if (!context.AllSubnetNames.Contains(subnetField.Text))
        {
            Bag.Add(subnetField.Value, $"subnet: unknown subnet '{ScalarNode.Shorten(subnetField.Text)}'; {context.Known("subnets", context.AllSubnetNames)}");
        }
        return false;
    }

    private bool TryReadAddresses(InterfaceDocument doc, Subnet? subnet, out List<IpAddr> addresses)
    {
        var ok = true;
        var name = doc.Name.Value;
        addresses = [];
        if (doc.Addresses is null || doc.Addresses.Count == 0)
        {
            ok = false;
            if (doc.Addresses is not null || doc.Node.Find("addresses") is null)
            {
                Bag.Add(doc.Name, $"interface '{name}' needs addresses: a list of its IPv4 and IPv6 addresses");
            }
        }
        foreach (var node in doc.Addresses ?? [])
        {
            if (ValueParser.Address(node, Bag) is not { } address)
            {
                ok = false;
                continue;
            }
            if (_owners.TryGetValue(address, out var owner))
            {
                ok = false;
                Bag.Add(node, owner.Interface == doc
                    ? $"address {address} is listed twice in interface '{name}': first at line {owner.Node.Line}"
                    : $"address {address} is already on interface '{owner.Interface.Name.Value}' (line {owner.Node.Line}); an address belongs to one interface");
                continue;
            }
            _owners.Add(address, (doc, node));
            if (subnet is not null && !subnet.Contains(address))
            {
                ok = false;
                var ranges = string.Join(", ", new[] { subnet.Cidr, subnet.Ipv6Cidr }.Where(c => c is not null).Select(c => c!.Value.ToString()));
                Bag.Add(node, $"address {address} is outside subnet '{subnet.Name}' ({ranges})");
            }
            addresses.Add(address);
        }
        return ok;
    }

    private bool TryReadGroups(InterfaceDocument doc, out List<string> groups)
    {
        var ok = true;
        var name = doc.Name.Value;
        groups = [];
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var groupNode in doc.SecurityGroups)
        {
            var group = groupNode.Value;
            if (!context.GroupNames.Contains(group))
            {
                ok = false;
                Bag.Add(groupNode, $"security_groups: unknown security group '{ScalarNode.Shorten(group)}'; {context.Known("security groups", context.GroupNames)}");
            }
            else if (!listed.Add(group))
            {
                ok = false;
                Bag.Add(groupNode, $"security group '{group}' is listed twice for interface '{name}'");
            }
            else
            {
                groups.Add(group);
            }
        }
        if (doc.SecurityGroups.Count > RulesetValidator.MaxGroupsPerInterface)
        {
            ok = false;
            Bag.Add(doc.SecurityGroupsKey!, $"interface '{name}' has {doc.SecurityGroups.Count} security groups; AWS allows at most {RulesetValidator.MaxGroupsPerInterface} per network interface");
        }
        return ok;
    }

    private bool TryReadMaxTracked(InterfaceDocument doc, out int? maxTracked)
    {
        maxTracked = null;
        if (doc.MaxTracked is not { } maxField)
        {
            return true;
        }
        if (ValueParser.TryInteger(maxField, 1, int.MaxValue, "a positive whole number (the most flows the interface tracks)", Bag, out var max))
        {
            maxTracked = max;
            return true;
        }
        return false;
    }
}
