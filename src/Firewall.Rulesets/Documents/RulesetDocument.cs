using Firewall.Engine.Model;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Documents;

// The ruleset file as written (SPEC §3): every field is the YAML scalar with its position, nothing parsed
// or resolved yet. RulesetValidator turns these into the Engine's model. A field is null when the key is
// absent or its value had the wrong shape (already reported).

public sealed record RulesetDocument(
    MappingNode Node,
    ScalarField? Version,
    ScalarField? Name,
    ScalarField? Description,
    IReadOnlyList<SubnetDocument> Subnets,
    IReadOnlyList<InterfaceDocument> Interfaces,
    IReadOnlyList<SecurityGroupDocument> SecurityGroups,
    IReadOnlyList<NetworkAclDocument> NetworkAcls,
    IReadOnlyList<PrefixListDocument> PrefixLists,
    ScalarField? VpcCidr,
    TrackingDocument? ConnectionTracking);

public sealed record SubnetDocument(ScalarNode Name, MappingNode Node, ScalarField? Cidr, ScalarField? Ipv6Cidr, ScalarField? NetworkAcl);

/// <summary><see cref="Addresses"/> is null when the key is missing; <see cref="SecurityGroupsKey"/> locates the list.</summary>
public sealed record InterfaceDocument(
    ScalarNode Name,
    MappingNode Node,
    IReadOnlyList<ScalarNode>? Addresses,
    ScalarField? Subnet,
    ScalarNode? SecurityGroupsKey,
    IReadOnlyList<ScalarNode> SecurityGroups,
    ScalarField? MaxTracked);

public sealed record SecurityGroupDocument(
    ScalarNode Name,
    ScalarField? Description,
    IReadOnlyList<SgRuleDocument> Inbound,
    IReadOnlyList<SgRuleDocument> Outbound);

/// <summary><see cref="Peer"/> is <c>source</c> for inbound rules and <c>destination</c> for outbound ones.</summary>
public sealed record SgRuleDocument(
    MappingNode Node,
    Direction Direction,
    int Position,
    ScalarField? Protocol,
    ScalarField? Ports,
    ScalarField? IcmpType,
    ScalarField? IcmpCode,
    ScalarField? Peer,
    ScalarField? Id,
    ScalarField? Description);

public sealed record NetworkAclDocument(
    ScalarNode Name,
    ScalarField? Description,
    IReadOnlyList<NaclRuleDocument> Inbound,
    IReadOnlyList<NaclRuleDocument> Outbound);

public sealed record NaclRuleDocument(
    MappingNode Node,
    Direction Direction,
    ScalarField? Rule,
    ScalarField? Protocol,
    ScalarField? Ports,
    ScalarField? IcmpType,
    ScalarField? IcmpCode,
    ScalarField? Peer,
    ScalarField? Action,
    ScalarField? Description);

public sealed record PrefixListDocument(ScalarNode Name, IReadOnlyList<ScalarNode> Cidrs);

/// <summary>The timeouts as written, keyed by their YAML names (see <c>TrackingTimeouts</c>).</summary>
public sealed record TrackingDocument(MappingNode Node, IReadOnlyList<ScalarField> Timeouts);
