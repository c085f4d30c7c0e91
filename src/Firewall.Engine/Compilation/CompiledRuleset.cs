using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Engine.Compilation;

/// <summary>
/// A ruleset in evaluation form: immutable, built once by <see cref="RulesetCompiler"/>, shared by every
/// evaluator (and every thread). The evaluator never sees text; rule references are ids into <see cref="Rules"/>.
/// </summary>
public sealed class CompiledRuleset
{
    internal CompiledRuleset(
        Ruleset model,
        RuleTable rules,
        AddressMap addresses,
        CompiledInterface[] interfaces,
        int[] subnetAcl,
        CompiledNacl[] acls,
        Bypass bypass,
        int[] bypassIds)
    {
        Model = model;
        Rules = rules;
        Addresses = addresses;
        Interfaces = interfaces;
        SubnetAcl = subnetAcl;
        Acls = acls;
        Bypass = bypass;
        BypassIds = bypassIds;
    }

    /// <summary>The validated ruleset it was compiled from.</summary>
    public Ruleset Model { get; }

    /// <summary>Every rule reference a result can name, by id (<see cref="RuleTable.Reference"/>).</summary>
    public RuleTable Rules { get; }

    /// <summary>Which interface or subnet each address belongs to.</summary>
    public AddressMap Addresses { get; }

    /// <summary>The interfaces with their security groups' rules, in ruleset order.</summary>
    public CompiledInterface[] Interfaces { get; }

    /// <summary>For each subnet (model order), the index of its ACL in <see cref="Acls"/>.</summary>
    public int[] SubnetAcl { get; }

    /// <summary>The network ACLs with their rules in evaluation order, the VPC's default ACL included.</summary>
    public CompiledNacl[] Acls { get; }

    /// <summary>The traffic AWS does not filter (DNS resolver, metadata, time sync, DHCP) for this VPC.</summary>
    public Bypass Bypass { get; }

    /// <summary>Reference ids of <c>bypass:NAME</c>, indexed by <see cref="Bypass.Service"/>.</summary>
    public int[] BypassIds { get; }

    /// <summary>The ruleset's connection-tracking timeouts.</summary>
    public TrackingSettings Tracking => Model.Tracking;
}

/// <summary>Turns a validated <see cref="Ruleset"/> into the <see cref="CompiledRuleset"/> an <see cref="Evaluation.Evaluator"/> runs.</summary>
public static class RulesetCompiler
{
    /// <summary>The tracking-table bound of an interface without <c>max_tracked</c>: protects the process.</summary>
    public const int DefaultMaxTracked = 4_000_000;

    /// <summary>Compiles a ruleset once; the result is immutable and may be shared by evaluators on any thread.</summary>
    /// <param name="model">A ruleset as a loader returns it (<c>RulesetLoader</c> in Firewall.Rulesets).</param>
    /// <param name="defaultMaxTracked">The tracking-table bound of interfaces whose ruleset entry sets no <c>max_tracked</c>.</param>
    public static CompiledRuleset Compile(Ruleset model, int defaultMaxTracked = DefaultMaxTracked)
    {
        var rules = new RuleTable();

        // Intern references in ruleset order so ids follow the file (hit-count tables print in this order).
        foreach (var group in model.SecurityGroups)
        {
            foreach (var r in group.Inbound.Concat(group.Outbound))
            {
                rules.Intern(r.Reference, RuleKind.SgRule);
            }
        }
        var acls = NetworkAcl.WithDefault(model.NetworkAcls, model.Subnets);
        var compiledAcls = acls.Select(a => CompileAcl(a, rules)).ToArray();
        var subnetAcl = model.Subnets
            .Select(s => acls.FindIndex(a => a.Name == s.NetworkAcl) is var i and >= 0
                ? i
                : throw new ArgumentException($"subnet {s.Name} names unknown network ACL {s.NetworkAcl}"))
            .ToArray();

        var interfaces = new CompiledInterface[model.Interfaces.Count];
        for (var i = 0; i < interfaces.Length; i++)
        {
            interfaces[i] = CompileInterface(model, model.Interfaces[i], i, rules, defaultMaxTracked);
        }

        var bypassIds = new int[5];
        foreach (var service in Enum.GetValues<Bypass.Service>().Where(s => s != Bypass.Service.None))
        {
            bypassIds[(int)service] = rules.Intern($"bypass:{Bypass.Name(service)}", RuleKind.Bypass);
        }

        var addresses = new AddressMap(
            model.Interfaces.SelectMany((nic, i) => nic.Addresses.Select(a => (a, i))),
            model.Subnets.SelectMany((s, i) => new[] { s.Cidr, s.Ipv6Cidr }.Where(c => c is not null).Select(c => (c!.Value, i))));

        return new CompiledRuleset(model, rules, addresses, interfaces, subnetAcl, compiledAcls, new Bypass(model.VpcCidr), bypassIds);
    }

    private static CompiledNacl CompileAcl(NetworkAcl acl, RuleTable rules)
    {
        var lists = new CompiledNaclRule[4][];
        var stars = new int[2];
        foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
        {
            foreach (var v6 in new[] { false, true })
            {
                lists[CompiledNacl.Slot(direction, v6)] = acl.Rules(direction)
                    .Where(r => r.Cidr.IsV6 == v6)
                    .OrderBy(r => r.Number)
                    .Select(r => new CompiledNaclRule(
                        r.Cidr,
                        r.Protocol.Value,
                        r.MatchedPorts,
                        r.MatchedIcmp,
                        r.Action == NaclAction.Allow,
                        rules.Intern(r.Reference, RuleKind.NaclRule)))
                    .ToArray();
            }
            stars[(int)direction] = rules.Intern(NetworkAcl.StarReference(acl.Name, direction), RuleKind.NaclDefault);
        }
        return new CompiledNacl(acl.Name, lists, stars);
    }

    private static CompiledInterface CompileInterface(Ruleset model, NetworkInterface nic, int index, RuleTable rules, int defaultMaxTracked)
    {
        var groups = nic.SecurityGroups.Select(name => model.FindGroup(name)
            ?? throw new ArgumentException($"interface {nic.Name} names unknown security group {name}")).ToList();
        var sets = new CompiledSgRuleSet[4];
        foreach (var direction in new[] { Direction.Inbound, Direction.Outbound })
        {
            foreach (var v6 in new[] { false, true })
            {
                var compiled = new List<CompiledSgRule>();
                var peers = new List<Cidr>();
                foreach (var rule in groups.SelectMany(g => g.Rules(direction)))
                {
                    var ruleCidrs = model.PeerCidrs(rule.Peer).Where(c => c.IsV6 == v6).Distinct().ToList();
                    if (ruleCidrs.Count == 0)
                    {
                        continue; // an empty address list matches nothing, never "any" (Capirca's rule)
                    }
                    compiled.Add(new CompiledSgRule(
                        rule.Protocol.Value,
                        rule.MatchedPorts,
                        rule.MatchedIcmp,
                        peers.Count,
                        ruleCidrs.Count,
                        rules.Intern(rule.Reference, RuleKind.SgRule),
                        rule.Peer.Kind == PeerKind.Cidr && rule.Peer.Cidr.IsAll));
                    peers.AddRange(ruleCidrs);
                }
                sets[CompiledNacl.Slot(direction, v6)] = new CompiledSgRuleSet(compiled.ToArray(), peers.ToArray());
            }
        }
        return new CompiledInterface
        {
            Name = nic.Name,
            Index = index,
            HasGroups = groups.Count > 0,
            Rules = sets,
            NoMatchIds =
            [
                rules.Intern($"sg:{nic.Name}:inbound:none", RuleKind.SgNoMatch),
                rules.Intern($"sg:{nic.Name}:outbound:none", RuleKind.SgNoMatch),
            ],
            TrackedId = rules.Intern($"conntrack:{nic.Name}", RuleKind.Tracked),
            TableFullId = rules.Intern($"conntrack:{nic.Name}:full", RuleKind.TableFull),
            MidstreamId = rules.Intern($"conntrack:{nic.Name}:midstream", RuleKind.Midstream),
            MaxTracked = nic.MaxTracked ?? defaultMaxTracked,
        };
    }
}
