using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>Network interfaces: <c>aws_network_interface</c>, and <c>aws_instance</c> as its primary interface.</summary>
internal sealed class TfInterfaceReader(TerraformPlan plan, RulesetDraft draft, ImportNotes notes, TfReferences refs)
{
    /// <summary>
    /// An instance is imported as its primary network interface (addresses, subnet, groups). Where the
    /// plan knows that interface's id (<c>primary_network_interface_id</c>, an existing instance) the
    /// interface is named by it, as <c>import aws</c> names it; and when that interface is an
    /// aws_network_interface of the plan (attached at launch as device 0), it is imported once, from
    /// that resource, which is where its groups and addresses are configured. Otherwise the interface
    /// is named by the instance, as before.
    /// </summary>
    public void ReadInstance(TfResource r)
    {
        var v = r.Values;
        if (v.IsUnknown("primary_network_interface_id") || v.Str("primary_network_interface_id") is not { Length: > 0 } eniId)
        {
            ReadInterface(r, "private_ip", "vpc_security_group_ids", refs.NameOf(r), []);
            return;
        }
        if (refs.TryFindById(eniId, out var owner) && plan.Find(owner) is { Type: "aws_network_interface" })
        {
            notes.Info(r.Address, $"its primary network interface {eniId} is {owner}; imported once, from that resource");
            return;
        }
        var instanceId = refs.NameOf(r);
        ReadInterface(r, "private_ip", "vpc_security_group_ids", eniId, [instanceId == r.Address ? null : instanceId]);
    }

    public void ReadInterface(TfResource r, string addressesAttr, string groupsAttr, string name, string?[] moreDescription)
    {
        var v = r.Values;
        var description = string.Join("; ", new[] { v.Tag("Name") }.Concat(moreDescription).Append(r.Address).Where(p => !string.IsNullOrWhiteSpace(p)).Distinct());
        var eni = new DraftInterface(draft.InterfaceNames.Claim(name), description, r.Address);
        var subnetKeys = refs.Keys(r, v, "subnet_id", topLevel: true);
        eni.SubnetKey = subnetKeys.FirstOrDefault();
        var texts = new List<string>();
        foreach (var attr in new[] { addressesAttr, "private_ip", "secondary_private_ips", "ipv6_addresses" }.Distinct())
        {
            // The provider marks ipv6_addresses and secondary_private_ips unknown on every new resource;
            // they hold addresses only when the configuration asks for some.
            var expected = attr switch
            {
                "ipv6_addresses" => v.IsUnknown("ipv6_address_count") || v.Long("ipv6_address_count") > 0,
                "secondary_private_ips" => v.IsUnknown("secondary_private_ip_count") || v.Long("secondary_private_ip_count") > 0,
                // aws_network_interface: private_ip is the first of private_ips when those are given.
                "private_ip" when attr != addressesAttr => !v.IsList(addressesAttr) || v.Strings(addressesAttr).Count == 0,
                _ => true,
            };
            if (v.IsUnknown(attr) && expected)
            {
                // AWS assigns addresses at creation unless the configuration fixes them.
                r.WarnUnknown(attr, "those addresses are not on the interface here");
            }
            if (v.IsList(attr))
            {
                texts.AddRange(v.Strings(attr));
            }
            else if (v.Str(attr) is { Length: > 0 } single)
            {
                texts.Add(single);
            }
        }
        foreach (var text in texts)
        {
            if (IpAddr.TryParse(text, out var address))
            {
                if (!eni.Addresses.Contains(address))
                {
                    eni.Addresses.Add(address);
                }
            }
            else
            {
                notes.Error(r.Address, $"'{text}' is not an IP address; left out");
            }
        }
        eni.GroupKeys.AddRange(refs.Keys(r, v, groupsAttr, topLevel: true));
        draft.Interfaces.Add(eni);
    }
}
