using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>Subnets: one CIDR per family, no overlaps, a known network ACL or AWS's default.</summary>
internal sealed class SubnetValidator(ValidationContext context)
{
    private DiagnosticBag Bag => context.Bag;

    public List<Subnet> Read(IReadOnlyList<SubnetDocument> docs)
    {
        var subnets = new List<Subnet>();
        var v4 = new List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)>();
        var v6 = new List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)>();
        foreach (var doc in docs)
        {
            var ok = TryReadFamilyCidr(doc, doc.Cidr, v6: false, v4, out var cidr);
            ok &= TryReadFamilyCidr(doc, doc.Ipv6Cidr, v6: true, v6, out var ipv6);
            if (!doc.Node.Entries.Any(e => e.Key.Value is "cidr" or "ipv6_cidr"))
            {
                ok = false;
                Bag.Add(doc.Name, $"subnet '{doc.Name.Value}' needs a cidr (IPv4), an ipv6_cidr, or both");
            }
            ok &= TryReadAcl(doc, out var acl);
            if (ok)
            {
                subnets.Add(new Subnet(doc.Name.Value, cidr, ipv6, acl));
            }
        }
        ReportOverlaps(v4);
        ReportOverlaps(v6);
        return subnets;
    }

    /// <summary>The subnet's CIDR of one family, if written, added to <paramref name="blocks"/> for the overlap check.</summary>
    private bool TryReadFamilyCidr(SubnetDocument doc, ScalarField? field, bool v6, List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)> blocks, out Cidr? cidr)
    {
        cidr = null;
        if (field is null)
        {
            return true;
        }
        cidr = ReadFamilyCidr(field, v6);
        if (cidr is { } c)
        {
            blocks.Add((c, doc, field));
            return true;
        }
        return false;
    }

    private Cidr? ReadFamilyCidr(ScalarField field, bool v6)
    {
        var expected = v6 ? "an IPv6 CIDR such as 2001:db8:1::/64" : "an IPv4 CIDR such as 10.0.1.0/24";
        if (context.ReadCidr(field, expected, c => c.IsV6 ? null : "CreateSubnet") is not { } cidr)
        {
            return null;
        }
        if (cidr.IsV6 != v6)
        {
            var hint = v6 ? "IPv4 goes under cidr" : "IPv6 goes under ipv6_cidr";
            Bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found the {(cidr.IsV6 ? "IPv6" : "IPv4")} CIDR {cidr}; {hint}");
            return null;
        }
        return cidr;
    }

    private bool TryReadAcl(SubnetDocument doc, out string acl)
    {
        acl = NetworkAcl.DefaultName;
        if (doc.NetworkAcl is not { } aclField)
        {
            return true;
        }
        acl = aclField.Text;
        if (!context.AclNames.Contains(acl) && acl != NetworkAcl.DefaultName)
        {
            Bag.Add(aclField.Value, $"network_acl: unknown network ACL '{ScalarNode.Shorten(acl)}'; {context.Known("network ACLs", context.AclNames)} (or omit network_acl for the AWS default)");
            return false;
        }
        return true;
    }

    /// <summary>
    /// AWS refuses overlapping subnet CIDRs in a VPC (VPC "Subnet CIDR blocks"), and an address must belong
    /// to one subnet for the path of a packet to be defined. CIDR blocks are either nested or disjoint, so
    /// after sorting by first address a block overlaps an earlier one exactly when it starts before the
    /// furthest end seen so far: O(n log n) even for hostile files.
    /// </summary>
    private void ReportOverlaps(List<(Cidr Cidr, SubnetDocument Doc, ScalarField Field)> blocks)
    {
        blocks.Sort((a, b) =>
        {
            var c = a.Cidr.Network.CompareTo(b.Cidr.Network);
            return c != 0 ? c : a.Cidr.PrefixLength.CompareTo(b.Cidr.PrefixLength);
        });
        var widest = -1;
        UInt128 widestEnd = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var (start, end) = Bounds(blocks[i].Cidr);
            if (widest >= 0 && start <= widestEnd)
            {
                var (site, other) = IsBefore(blocks[widest].Field.Value, blocks[i].Field.Value)
                    ? (blocks[i], blocks[widest])
                    : (blocks[widest], blocks[i]);
                Bag.Add(site.Field.Value, $"{site.Field.Key.Value}: subnet '{site.Doc.Name.Value}' ({site.Cidr}) overlaps subnet '{other.Doc.Name.Value}' ({other.Cidr}, line {other.Field.Value.Line}); subnets of a VPC cannot overlap");
            }
            if (widest < 0 || end > widestEnd)
            {
                widest = i;
                widestEnd = end;
            }
        }
    }

    private static bool IsBefore(YamlNode a, YamlNode b) => a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column);

    private static (UInt128 Start, UInt128 End) Bounds(Cidr cidr)
    {
        var start = cidr.Network.Value;
        var hostBits = cidr.Network.BitLength - cidr.PrefixLength;
        var hostMask = hostBits == 0 ? UInt128.Zero : UInt128.MaxValue >> (128 - hostBits);
        return (start, start | hostMask);
    }
}
