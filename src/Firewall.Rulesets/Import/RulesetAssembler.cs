using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Validation;

namespace Firewall.Rulesets.Import;

/// <summary>
/// The outcome of an import: the ruleset (null when nothing usable was read), the descriptions the model
/// has no field for (subnets' and interfaces' AWS names and tags, written to the YAML), and every note.
/// </summary>
public sealed record ImportResult(
    Ruleset? Ruleset,
    IReadOnlyDictionary<string, string> SubnetDescriptions,
    IReadOnlyDictionary<string, string> InterfaceDescriptions,
    IReadOnlyList<ImportNote> Notes)
{
    public bool Succeeded => Ruleset is not null;

    /// <summary>Where each imported network ACL came from, by its name in <see cref="Ruleset"/>.</summary>
    public IReadOnlyDictionary<string, AclOrigin> AclOrigins { get; init; } = new Dictionary<string, AclOrigin>();

    /// <summary>An import that produced no ruleset: only its notes, which say why.</summary>
    public static ImportResult Failed(ImportNotes notes) =>
        new(null, new Dictionary<string, string>(), new Dictionary<string, string>(), notes.All);

    /// <summary>The ruleset as YAML in the loader's format (docs/ruleset-format.md).</summary>
    public string ToYaml() => Ruleset is null
        ? throw new InvalidOperationException("the import produced no ruleset")
        : RulesetYamlWriter.Write(Ruleset, SubnetDescriptions, InterfaceDescriptions);
}

/// <summary>
/// Resolves a <see cref="RulesetDraft"/> into a <see cref="Ruleset"/> that satisfies every rule the loader
/// checks (RulesetValidator), reporting what it must leave out:
/// <list type="bullet">
/// <item>a rule naming a security group that was not imported (a stale reference: the group was deleted, or
/// lives in a peered VPC or another account) is <b>dropped</b> with a warning. A referenced group matches
/// the addresses of the interfaces carrying it (AWS "Security group rules"); with the group unknown there
/// are no such addresses here, so the rule would match nothing either way, and dropping it keeps the YAML
/// free of invented placeholder groups. The same holds for a prefix list whose entries were not given.</item>
/// <item>NACL entries are sorted by rule number (AWS evaluates them in ascending order, whatever order
/// describe-network-acls lists them in); a number used twice in one direction keeps the first.</item>
/// <item>a subnet whose ACL is unknown gets the VPC default ACL (<c>default</c>), as AWS does.</item>
/// </list>
/// Finally the ruleset is written as YAML and loaded back: an importer bug that produced a ruleset the
/// loader refuses is reported as an error instead of being written.
/// </summary>
internal static class RulesetAssembler
{
    public static ImportResult Assemble(RulesetDraft draft, ImportNotes notes)
    {
        var groupNames = draft.Groups.ToDictionary(g => g.Key, g => g.Name, StringComparer.Ordinal);
        var prefixLists = draft.PrefixLists.ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal);

        var groups = draft.Groups.Select(g => new SecurityGroup(
            g.Name,
            GroupRules(g, Direction.Inbound, groupNames, prefixLists, draft.WherePrefixListEntriesComeFrom, notes),
            GroupRules(g, Direction.Outbound, groupNames, prefixLists, draft.WherePrefixListEntriesComeFrom, notes),
            g.Description)).ToList();

        var acls = draft.Acls.Select(a => new NetworkAcl(
            a.Name,
            AclRules(a, Direction.Inbound, notes),
            AclRules(a, Direction.Outbound, notes),
            a.Description)).ToList();

        var subnetDescriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        var subnets = Subnets(draft, notes, subnetDescriptions);
        var interfaceDescriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        var interfaces = Interfaces(draft, subnets, groupNames, notes, interfaceDescriptions);

        acls = NetworkAcl.WithDefault(acls, subnets);

        var ruleset = new Ruleset(
            draft.Name,
            draft.Description,
            subnets,
            interfaces,
            groups,
            acls,
            draft.PrefixLists.Values.Select(p => new PrefixList(p.Name, p.Cidrs)).ToList(),
            draft.VpcCidr,
            TrackingSettings.Default);

        var result = new ImportResult(ruleset, subnetDescriptions, interfaceDescriptions, notes.All)
        {
            AclOrigins = draft.Acls.Where(a => a.Origin is not null).ToDictionary(a => a.Name, a => a.Origin!, StringComparer.Ordinal),
        };
        var reloaded = RulesetLoader.LoadText(result.ToYaml(), "imported.yaml");
        foreach (var d in reloaded.Diagnostics)
        {
            notes.Error("import", $"the written ruleset does not load (a bug in the importer, please report it): {d}");
        }
        return reloaded.Succeeded ? result with { Notes = notes.All } : new ImportResult(null, subnetDescriptions, interfaceDescriptions, notes.All);
    }

    private static List<SgRule> GroupRules(
        DraftGroup group, Direction direction, Dictionary<string, string> groupNames, Dictionary<string, string> prefixLists,
        Func<string, string> whereEntriesComeFrom, ImportNotes notes)
    {
        var rules = new List<SgRule>();
        foreach (var draft in group.Rules.Where(r => r.Direction == direction))
        {
            SgPeer peer;
            switch (draft.Peer.Kind)
            {
                case PeerKind.Group when groupNames.TryGetValue(draft.Peer.Reference!, out var name):
                    peer = SgPeer.ForGroup(name);
                    break;
                case PeerKind.Group:
                    notes.Warning(draft.Source, $"stale reference: security group '{draft.Peer.Reference}' is not among the imported groups (deleted, in a peered VPC or another account, or not in the input); the rule is left out: it would match no address here");
                    continue;
                case PeerKind.PrefixList when prefixLists.TryGetValue(draft.Peer.Reference!, out var name):
                    peer = SgPeer.ForPrefixList(name);
                    break;
                case PeerKind.PrefixList:
                    notes.Warning(draft.Source, $"prefix list '{draft.Peer.Reference}' has no entries in the input ({whereEntriesComeFrom(draft.Peer.Reference!)}); the rule is left out");
                    continue;
                default:
                    peer = SgPeer.ForCidr(draft.Peer.Cidr);
                    break;
            }
            // Rules are named by position (SPEC §3), counted after anything left out.
            var id = (rules.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            rules.Add(new SgRule(group.Name, direction, id, draft.Match.Protocol, draft.Match.Ports, draft.Match.Icmp, peer, draft.Description));
        }
        return rules;
    }

    private static List<NaclRule> AclRules(DraftAcl acl, Direction direction, ImportNotes notes)
    {
        var rules = new List<NaclRule>();
        var seen = new HashSet<int>();
        foreach (var draft in acl.Rules.Where(r => r.Direction == direction).OrderBy(r => r.Number))
        {
            if (!seen.Add(draft.Number))
            {
                notes.Warning(draft.Source, $"rule number {draft.Number} appears twice in the {DirectionText.Name(direction)} entries of {acl.Name}; the first is kept");
                continue;
            }
            rules.Add(new NaclRule(acl.Name, direction, draft.Number, draft.Action, draft.Match.Protocol, draft.Match.Ports, draft.Match.Icmp, draft.Cidr, draft.Description));
        }
        return rules;
    }

    private static List<Subnet> Subnets(RulesetDraft draft, ImportNotes notes, Dictionary<string, string> descriptions)
    {
        var subnets = new List<Subnet>();
        var taken = new List<(Cidr Cidr, string Name)>();
        foreach (var s in draft.Subnets)
        {
            if (s.Cidr is null && s.Ipv6Cidr is null)
            {
                notes.Warning(s.Source, $"subnet {s.Name} has no known CIDR block; it is left out");
                continue;
            }
            var clash = taken.FirstOrDefault(t => (s.Cidr is { } c && t.Cidr.Overlaps(c)) || (s.Ipv6Cidr is { } c6 && t.Cidr.Overlaps(c6)));
            if (clash.Name is not null)
            {
                notes.Error(s.Source, $"subnet {s.Name} overlaps subnet {clash.Name} ({clash.Cidr}); subnets of one VPC cannot overlap, so the input mixes VPCs (choose one with --vpc); it is left out");
                continue;
            }
            var acl = NetworkAcl.DefaultName;
            if (s.AclKey is { } key)
            {
                if (draft.FindAcl(key) is { } found)
                {
                    acl = found.Name;
                }
                else
                {
                    notes.Warning(s.Source, $"subnet {s.Name} is associated with network ACL '{key}', which is not in the input; it gets AWS's default ACL (allow all) instead");
                }
            }
            else
            {
                notes.Warning(s.Source, $"subnet {s.Name} is associated with no imported network ACL; it gets AWS's default ACL (allow all), named 'default'");
            }
            foreach (var c in new[] { s.Cidr, s.Ipv6Cidr })
            {
                if (c is { } cidr)
                {
                    taken.Add((cidr, s.Name));
                }
            }
            subnets.Add(new Subnet(s.Name, s.Cidr, s.Ipv6Cidr, acl));
            if (s.Description is { Length: > 0 } d)
            {
                descriptions[s.Name] = d;
            }
        }
        return subnets;
    }

    private static List<NetworkInterface> Interfaces(
        RulesetDraft draft, List<Subnet> subnets, Dictionary<string, string> groupNames, ImportNotes notes, Dictionary<string, string> descriptions)
    {
        var interfaces = new List<NetworkInterface>();
        var owners = new Dictionary<IpAddr, string>();
        var subnetByKey = draft.Subnets
            .Where(d => subnets.Any(s => s.Name == d.Name))
            .ToDictionary(d => d.Key, d => subnets.First(s => s.Name == d.Name), StringComparer.Ordinal);
        foreach (var i in draft.Interfaces)
        {
            Subnet? subnet = null;
            if (i.SubnetKey is { } key && !subnetByKey.TryGetValue(key, out subnet))
            {
                notes.Warning(i.Source, $"interface {i.Name} is in subnet '{key}', which is not in the input; it is imported without a subnet (no NACL hop)");
            }
            var addresses = new List<IpAddr>();
            foreach (var address in i.Addresses)
            {
                if (owners.TryGetValue(address, out var owner))
                {
                    notes.Warning(i.Source, $"address {address} is already on interface {owner}; left out of {i.Name}");
                }
                else if (subnet is not null && !subnet.Contains(address))
                {
                    notes.Warning(i.Source, $"address {address} is outside subnet {subnet.Name}; left out of {i.Name}");
                }
                else
                {
                    owners.Add(address, i.Name);
                    addresses.Add(address);
                }
            }
            if (addresses.Count == 0)
            {
                notes.Warning(i.Source, $"interface {i.Name} has no known address; it is left out");
                continue;
            }
            var groups = InterfaceGroups(i, groupNames, notes);
            interfaces.Add(new NetworkInterface(i.Name, addresses, subnet?.Name, groups, null));
            if (i.Description is { Length: > 0 } d)
            {
                descriptions[i.Name] = d;
            }
        }
        return interfaces;
    }

    /// <summary>The names of the interface's groups that the input holds, each once, at most AWS's maximum.</summary>
    private static List<string> InterfaceGroups(DraftInterface i, Dictionary<string, string> groupNames, ImportNotes notes)
    {
        var groups = new List<string>();
        foreach (var groupKey in i.GroupKeys)
        {
            if (!groupNames.TryGetValue(groupKey, out var name))
            {
                notes.Warning(i.Source, $"interface {i.Name} carries security group '{groupKey}', which is not in the input; the interface is imported without it");
            }
            else if (!groups.Contains(name))
            {
                groups.Add(name);
            }
        }
        if (groups.Count > RulesetValidator.MaxGroupsPerInterface)
        {
            notes.Error(i.Source, $"interface {i.Name} carries {groups.Count} security groups, more than AWS's maximum of {RulesetValidator.MaxGroupsPerInterface}; only the first {RulesetValidator.MaxGroupsPerInterface} are kept");
            groups.RemoveRange(RulesetValidator.MaxGroupsPerInterface, groups.Count - RulesetValidator.MaxGroupsPerInterface);
        }
        return groups;
    }
}
