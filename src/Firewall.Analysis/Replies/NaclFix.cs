using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>
/// The narrowest NACL rules that let a group's replies through: the ports seen, to the peers seen (the
/// subnets they are in, when they are in the ruleset's subnets), in the ACL and direction of the denying
/// rule; and <see cref="Path"/>, the rules that open the whole reply path of the security-group rules that
/// admitted those flows. <see cref="Yaml"/> are the lines to paste, one per peer CIDR.
/// </summary>
public sealed record NaclFix
{
    public required string Acl { get; init; }
    public required Direction Direction { get; init; }

    /// <summary>One number per peer CIDR, each placing its rule before the denying one; null where none is free (renumber).</summary>
    public required IReadOnlyList<int?> RuleNumbers { get; init; }

    public required byte Protocol { get; init; }

    /// <summary>
    /// The rules name every protocol (<c>protocol: all</c>): the classes of a static answer hold many
    /// protocols without ports or ICMP types (every one but tcp, udp and ICMP, say), and a NACL rule names
    /// one protocol or all of them. Never set for a capture's flows.
    /// </summary>
    public bool AnyProtocol { get; init; }

    /// <summary>The protocol as the rules and reports name it: tcp, 47, or all.</summary>
    public string ProtocolName => AnyProtocol ? "all" : IpProtocol.Name(Protocol);

    public required bool IsV6 { get; init; }

    /// <summary>The smallest range covering the reply destination ports seen (TCP/UDP only).</summary>
    public PortRange? PortsSeen { get; init; }

    public int DistinctPorts { get; init; }

    public LikelyClient Client { get; init; }

    /// <summary>The documented ephemeral range of <see cref="Client"/>; null when it does not cover the ports seen.</summary>
    public PortRange? DocumentedPorts { get; init; }

    /// <summary>For ICMP: the reply's type (echo reply).</summary>
    public IcmpMatch? Icmp { get; init; }

    /// <summary>
    /// The far end of the replies at this hop: the CIDRs of the ruleset's subnets that hold the peers when
    /// all of them are in some (see <see cref="PeerSubnets"/>), else the smallest CIDR covering the peers, or
    /// all addresses when they are spread.
    /// </summary>
    public required IReadOnlyList<Cidr> Peers { get; init; }

    /// <summary>The subnets whose CIDRs <see cref="Peers"/> are, by name; empty when the peers are not all in subnets.</summary>
    public IReadOnlyList<string> PeerSubnets { get; init; } = [];

    /// <summary>How many peer addresses: those seen in a capture, or all those of an answer's classes (up to 2^128).</summary>
    public required UInt128 PeerCount { get; init; }

    public required int Flows { get; init; }

    /// <summary>Why the peers are subnets rather than the addresses seen, as a clause ("; the peers are in subnet…"), or "".</summary>
    public string PeersNote => PeerSubnets.Count == 0 ? ""
        : $"; the peers are in subnet{(PeerSubnets.Count == 1 ? "" : "s")} {string.Join(", ", PeerSubnets)}, so the rule{(Peers.Count == 1 ? " covers it" : "s cover them")} ({string.Join(", ", Peers)}): a NACL names CIDRs, not interfaces or groups";

    /// <summary>The rules to add, one per peer CIDR, with the ports seen.</summary>
    public IReadOnlyList<NaclRuleToAdd> Rules => Peers.Select((peer, i) => new NaclRuleToAdd(Acl, Direction, RuleNumbers[i], ProtocolName, PortsSeen, Icmp, peer)).ToList();

    /// <summary><see cref="Rules"/> as the ruleset's YAML, to paste.</summary>
    public IReadOnlyList<string> Yaml => Rules.Select(NaclRuleText.Line).ToList();

    /// <summary>The rules that open the reply path of the admitting security-group rules; null when none is known (ICMP, no group on the path).</summary>
    public ReplyPathFix? Path { get; init; }
}

/// <summary>
/// The rules that open a reply path (<see cref="ReplyPath"/>) for every peer its security-group rules admit
/// and every client port (<see cref="Ports"/>): pasted into the ruleset, <c>firewall lint</c> finds the path
/// open. One rule per peer CIDR, each before any rule of the ACL that denies part of what it opens.
/// </summary>
public sealed record ReplyPathFix(
    string Acl,
    IReadOnlyList<string> SgRules,
    IReadOnlyList<Cidr> Peers,
    PortRange Ports,
    IReadOnlyList<ClientPorts> Clients,
    IReadOnlyList<int?> RuleNumbers,
    byte Protocol,
    Direction Direction)
{
    public IReadOnlyList<NaclRuleToAdd> Rules => Peers.Select((peer, i) => new NaclRuleToAdd(Acl, Direction, RuleNumbers[i], IpProtocol.Name(Protocol), Ports, null, peer)).ToList();

    public IReadOnlyList<string> Yaml => Rules.Select(NaclRuleText.Line).ToList();
}
