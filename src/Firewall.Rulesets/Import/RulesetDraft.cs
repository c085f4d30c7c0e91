using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import;

/// <summary>The far end of an imported security-group rule before references are resolved.</summary>
internal readonly record struct DraftPeer(PeerKind Kind, Cidr Cidr, string? Reference)
{
    public static DraftPeer ForCidr(Cidr cidr) => new(PeerKind.Cidr, cidr, null);

    /// <summary>A group by its source id (AWS GroupId or Terraform address), resolved at assembly.</summary>
    public static DraftPeer ForGroup(string reference) => new(PeerKind.Group, default, reference);

    public static DraftPeer ForPrefixList(string reference) => new(PeerKind.PrefixList, default, reference);
}

/// <summary>A rule's match fields as AWS encodes them, decoded (see <see cref="AwsEncoding"/>).</summary>
internal readonly record struct DraftMatch(RuleProtocol Protocol, PortRange Ports, IcmpMatch Icmp);

internal sealed record DraftSgRule(Direction Direction, DraftMatch Match, DraftPeer Peer, string? Description, string Source);

internal sealed record DraftNaclRule(Direction Direction, int Number, NaclAction Action, DraftMatch Match, Cidr Cidr, string? Description, string Source);

internal sealed class DraftGroup(string key, string name, string? description, string source)
{
    public string Key { get; } = key;
    public string Name { get; } = name;
    public string? Description { get; } = description;
    public string Source { get; } = source;
    public List<DraftSgRule> Rules { get; } = [];
}

internal sealed class DraftAcl(string key, string name, string? description, string source)
{
    public string Key { get; } = key;
    public string Name { get; } = name;
    public string? Description { get; } = description;
    public string Source { get; } = source;
    public List<DraftNaclRule> Rules { get; } = [];

    /// <summary>Where the ACL came from (its AWS id, or its Terraform resource), for fixes written in that syntax.</summary>
    public AclOrigin? Origin { get; set; }
}

internal sealed class DraftSubnet(string key, string name, Cidr? cidr, Cidr? ipv6Cidr, string? description, string source)
{
    public string Key { get; } = key;
    public string Name { get; } = name;
    public Cidr? Cidr { get; } = cidr;
    public Cidr? Ipv6Cidr { get; } = ipv6Cidr;
    public string? Description { get; } = description;
    public string Source { get; } = source;

    /// <summary>The key of the ACL associated with this subnet, when one is.</summary>
    public string? AclKey { get; set; }
}

internal sealed class DraftInterface(string name, string? description, string source)
{
    public string Name { get; } = name;
    public string? Description { get; } = description;
    public string Source { get; } = source;
    public List<IpAddr> Addresses { get; } = [];
    public string? SubnetKey { get; set; }
    public List<string> GroupKeys { get; } = [];
}

/// <summary>
/// What an importer read, keyed by the source's own ids (AWS ids or Terraform addresses), before
/// references are resolved. <see cref="RulesetAssembler"/> turns it into a <see cref="Ruleset"/> the
/// loader would accept, reporting everything it has to leave out.
/// </summary>
internal sealed class RulesetDraft
{
    public string Name { get; set; } = "imported";
    public string? Description { get; set; }
    public Cidr? VpcCidr { get; set; }
    public List<DraftGroup> Groups { get; } = [];
    public List<DraftAcl> Acls { get; } = [];
    public List<DraftSubnet> Subnets { get; } = [];
    public List<DraftInterface> Interfaces { get; } = [];

    /// <summary>Prefix lists by source id: (name, CIDRs).</summary>
    public Dictionary<string, (string Name, List<Cidr> Cidrs)> PrefixLists { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// For the note that leaves out a rule naming a prefix list whose entries are not in the input: where
    /// the entries of list <c>ID</c> can come from, for this importer's input.
    /// </summary>
    public Func<string, string> WherePrefixListEntriesComeFrom { get; set; } =
        id => $"give them with --prefix-lists {id}=FILE, the output of get-managed-prefix-list-entries";

    public ImportNames GroupNames { get; } = new();
    public ImportNames AclNames { get; } = new();
    public ImportNames SubnetNames { get; } = new();
    public ImportNames InterfaceNames { get; } = new();
    public ImportNames PrefixListNames { get; } = new();

    public DraftGroup? FindGroup(string key) => Groups.FirstOrDefault(g => g.Key == key);

    public DraftAcl? FindAcl(string key) => Acls.FirstOrDefault(a => a.Key == key);
}
