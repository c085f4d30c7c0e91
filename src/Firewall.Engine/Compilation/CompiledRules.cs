using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Engine.Compilation;

/// <summary>
/// A security-group rule in evaluation form. Its far-end addresses are a slice of the owning
/// <see cref="CompiledSgRuleSet.Peers"/> array: a CIDR rule has one, a prefix list its entries, an
/// <c>sg:</c> reference one host CIDR per member address.
/// </summary>
public readonly struct CompiledSgRule
{
    public readonly short Protocol;
    public readonly PortRange Ports;
    public readonly IcmpMatch Icmp;
    public readonly int PeerStart;
    public readonly int PeerCount;
    public readonly int RuleId;

    /// <summary>The rule's far end is exactly 0.0.0.0/0 or ::/0 (AWS "all traffic", §2.2 untracked).</summary>
    public readonly bool PeerIsAll;

    public CompiledSgRule(short protocol, PortRange ports, IcmpMatch icmp, int peerStart, int peerCount, int ruleId, bool peerIsAll)
    {
        Protocol = protocol;
        Ports = ports;
        Icmp = icmp;
        PeerStart = peerStart;
        PeerCount = peerCount;
        RuleId = ruleId;
        PeerIsAll = peerIsAll;
    }
}

/// <summary>
/// The union of an interface's security-group rules for one direction and one address family, in
/// reference order (groups as the interface lists them, rules in file order), bucketed by protocol so
/// that a packet scans only the rules that can match it.
/// </summary>
public sealed class CompiledSgRuleSet
{
    public CompiledSgRuleSet(CompiledSgRule[] rules, Cidr[] peers)
    {
        Rules = rules;
        Peers = peers;
        var lists = new List<int>[256];
        for (var p = 0; p < 256; p++)
        {
            lists[p] = [];
        }
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Protocol < 0)
            {
                foreach (var list in lists) list.Add(i);
            }
            else
            {
                lists[rules[i].Protocol].Add(i);
            }
        }
        var buckets = lists.Select(l => l.ToArray()).ToArray();
        ByProtocol = buckets;
        PortIndexes = new PortIndex?[256];
        foreach (var p in new[] { IpProtocol.Tcp, IpProtocol.Udp })
        {
            PortIndexes[p] = PortIndex.Build(rules, buckets[p]);
        }
        foreach (var r in rules)
        {
            if (!r.PeerIsAll || !r.Ports.IsAll)
            {
                continue;
            }
            for (var p = 0; p < 256; p++)
            {
                if (r.Protocol < 0 || (r.Protocol == p && (!IpProtocol.IsIcmp((byte)p) || r.Icmp.IsAny)))
                {
                    OpenToAll[p] = true;
                }
            }
        }
    }

    public CompiledSgRule[] Rules { get; }

    public Cidr[] Peers { get; }

    /// <summary>For each protocol number, indexes into <see cref="Rules"/> of the rules that name it or all.</summary>
    public int[][] ByProtocol { get; }

    /// <summary>For TCP and UDP, when the bucket is large enough to pay for it: its rules by destination port.</summary>
    public PortIndex?[] PortIndexes { get; }

    /// <summary>
    /// For each protocol, whether a rule with far end 0/0 admits that protocol on all ports: the
    /// "corresponding rule in the other direction" of AWS's untracked-flow condition.
    /// </summary>
    public bool[] OpenToAll { get; } = new bool[256];

    public static CompiledSgRuleSet Empty { get; } = new([], []);
}

/// <summary>A NACL rule in evaluation form; the list it lives in is already filtered by family and sorted.</summary>
public readonly struct CompiledNaclRule
{
    public readonly Cidr Cidr;
    public readonly PortRange Ports;
    public readonly IcmpMatch Icmp;
    public readonly short Protocol;
    public readonly bool Allow;
    public readonly int RuleId;

    public CompiledNaclRule(Cidr cidr, short protocol, PortRange ports, IcmpMatch icmp, bool allow, int ruleId)
    {
        Cidr = cidr;
        Protocol = protocol;
        Ports = ports;
        Icmp = icmp;
        Allow = allow;
        RuleId = ruleId;
    }
}

/// <summary>One network ACL: per direction and family, rules in ascending number; then the <c>*</c> rule.</summary>
public sealed class CompiledNacl
{
    public CompiledNacl(string name, CompiledNaclRule[][] lists, int[] starIds)
    {
        Name = name;
        Lists = lists;
        StarIds = starIds;
    }

    public string Name { get; }

    /// <summary>Indexed by <see cref="Slot"/>: inbound-v4, inbound-v6, outbound-v4, outbound-v6.</summary>
    public CompiledNaclRule[][] Lists { get; }

    /// <summary>The <c>*</c> rule's id per direction (inbound, outbound).</summary>
    public int[] StarIds { get; }

    public static int Slot(Direction direction, bool v6) => ((int)direction << 1) | (v6 ? 1 : 0);
}

/// <summary>An interface in evaluation form.</summary>
public sealed class CompiledInterface
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    public required bool HasGroups { get; init; }

    /// <summary>Indexed by <see cref="CompiledNacl.Slot"/>.</summary>
    public required CompiledSgRuleSet[] Rules { get; init; }

    /// <summary>Reference id for "no rule matched", per direction (inbound, outbound).</summary>
    public required int[] NoMatchIds { get; init; }

    public required int TrackedId { get; init; }
    public required int TableFullId { get; init; }
    public required int MidstreamId { get; init; }

    /// <summary>The bound of this interface's tracking table (its <c>max_tracked</c>, or the process default).</summary>
    public required int MaxTracked { get; init; }
}
