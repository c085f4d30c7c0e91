using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Engine.Tests.Support;

/// <summary>Builds validated rulesets in code, with the ruleset file's vocabulary.</summary>
public sealed class RulesetBuilder
{
    private readonly List<Subnet> _subnets = new();
    private readonly List<NetworkInterface> _interfaces = new();
    private readonly Dictionary<string, (List<SgRule> In, List<SgRule> Out)> _groups = new();
    private readonly Dictionary<string, (List<NaclRule> In, List<NaclRule> Out)> _acls = new();
    private readonly List<PrefixList> _prefixLists = new();
    private TrackingSettings _tracking = TrackingSettings.Default;
    private Cidr? _vpc;

    public RulesetBuilder Subnet(string name, string cidr, string? acl = null, string? ipv6 = null)
    {
        _subnets.Add(new Subnet(name, Cidr.Parse(cidr), ipv6 is null ? null : Cidr.Parse(ipv6), acl ?? NetworkAcl.DefaultName));
        return this;
    }

    public RulesetBuilder Interface(string name, string addresses, string? subnet = null, string groups = "", int? maxTracked = null)
    {
        _interfaces.Add(new NetworkInterface(
            name,
            addresses.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(IpAddr.Parse).ToList(),
            subnet,
            groups.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
            maxTracked));
        return this;
    }

    public RulesetBuilder Group(string name)
    {
        _groups.TryAdd(name, (new(), new()));
        return this;
    }

    /// <summary>Adds a security-group rule: protocol "tcp"/"udp"/"icmp"/"icmpv6"/"all"/number; ports "443" or "a-b"; peer CIDR, sg:X or pl:X.</summary>
    public RulesetBuilder Sg(string group, Direction direction, string protocol, string peer, string? ports = null, int icmpType = -1, int icmpCode = -1, string? id = null)
    {
        Group(group);
        var lists = _groups[group];
        var list = direction == Direction.Inbound ? lists.In : lists.Out;
        list.Add(new SgRule(group, direction, id ?? (list.Count + 1).ToString(), Protocol(protocol), Ports(ports), new IcmpMatch((short)icmpType, (short)icmpCode), Peer(peer)));
        return this;
    }

    public RulesetBuilder Nacl(string acl, Direction direction, int number, string action, string protocol, string cidr, string? ports = null, int icmpType = -1, int icmpCode = -1)
    {
        _acls.TryAdd(acl, (new(), new()));
        var lists = _acls[acl];
        (direction == Direction.Inbound ? lists.In : lists.Out).Add(new NaclRule(
            acl, direction, number, action == "allow" ? NaclAction.Allow : NaclAction.Deny,
            Protocol(protocol), Ports(ports), new IcmpMatch((short)icmpType, (short)icmpCode), Cidr.Parse(cidr)));
        return this;
    }

    public RulesetBuilder EmptyAcl(string acl)
    {
        _acls.TryAdd(acl, (new(), new()));
        return this;
    }

    public RulesetBuilder PrefixList(string name, params string[] cidrs)
    {
        _prefixLists.Add(new PrefixList(name, cidrs.Select(Cidr.Parse).ToList()));
        return this;
    }

    public RulesetBuilder Tracking(TrackingSettings settings)
    {
        _tracking = settings;
        return this;
    }

    public RulesetBuilder Vpc(string cidr)
    {
        _vpc = Cidr.Parse(cidr);
        return this;
    }

    public Ruleset Build() => new(
        "test",
        null,
        _subnets,
        _interfaces,
        _groups.Select(g => new SecurityGroup(g.Key, g.Value.In, g.Value.Out)).ToList(),
        _acls.Select(a => new NetworkAcl(a.Key, a.Value.In.OrderBy(r => r.Number).ToList(), a.Value.Out.OrderBy(r => r.Number).ToList())).ToList(),
        _prefixLists,
        _vpc,
        _tracking);

    public CompiledRuleset Compile() => RulesetCompiler.Compile(Build());

    private static RuleProtocol Protocol(string text) => text switch
    {
        "all" or "-1" => RuleProtocol.All,
        "tcp" => new RuleProtocol(IpProtocol.Tcp),
        "udp" => new RuleProtocol(IpProtocol.Udp),
        "icmp" => new RuleProtocol(IpProtocol.Icmp),
        "icmpv6" => new RuleProtocol(IpProtocol.IcmpV6),
        _ => new RuleProtocol(short.Parse(text)),
    };

    private static PortRange Ports(string? text)
    {
        if (text is null)
        {
            return PortRange.All;
        }
        var parts = text.Split('-');
        return new PortRange(ushort.Parse(parts[0]), ushort.Parse(parts[^1]));
    }

    private static SgPeer Peer(string text) =>
        text.StartsWith("sg:") ? SgPeer.ForGroup(text[3..])
        : text.StartsWith("pl:") ? SgPeer.ForPrefixList(text[3..])
        : SgPeer.ForCidr(Cidr.Parse(text));
}
