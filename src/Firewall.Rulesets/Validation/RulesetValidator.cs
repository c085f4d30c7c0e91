using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// Turns a <see cref="RulesetDocument"/> into the Engine's validated <see cref="Ruleset"/>: values parsed,
/// names resolved, NACL rules sorted, cross-references and AWS limits checked. Every error of the file is
/// reported; the ruleset is returned only when there was none.
/// </summary>
public sealed class RulesetValidator
{
    /// <summary>AWS's hard maximum of security groups per network interface (VPC quotas page).</summary>
    public const int MaxGroupsPerInterface = 16;

    private readonly ValidationContext _context;
    private readonly DiagnosticBag _bag;

    private RulesetValidator(RulesetDocument document, string file, DiagnosticBag bag)
    {
        _context = new ValidationContext(document, file, bag);
        _bag = bag;
    }

    /// <summary>The ruleset, or null when the bag holds any error (from this step or an earlier one).</summary>
    /// <param name="document">The document as read, with positions.</param>
    /// <param name="file">The file name diagnostics and <see cref="Ruleset.SourcePath"/> carry.</param>
    /// <param name="defaultName">The ruleset's name when the file gives none (the file name without extension).</param>
    /// <param name="bag">Where every error of this step is added, beside those of earlier steps.</param>
    public static Ruleset? Validate(RulesetDocument document, string file, string defaultName, DiagnosticBag bag)
    {
        var ruleset = new RulesetValidator(document, file, bag).Build(document, defaultName);
        return bag.HasErrors ? null : ruleset;
    }

    private Ruleset Build(RulesetDocument doc, string defaultName)
    {
        CheckVersion(doc);
        CheckNames("subnet", doc.Subnets.Select(s => s.Name));
        CheckNames("interface", doc.Interfaces.Select(i => i.Name));
        CheckNames("security group", doc.SecurityGroups.Select(g => g.Name));
        CheckNames("network ACL", doc.NetworkAcls.Select(a => a.Name));
        CheckNames("prefix list", doc.PrefixLists.Select(p => p.Name));

        var prefixLists = doc.PrefixLists.Select(ReadPrefixList).ToList();
        var aclValidator = new NetworkAclValidator(_context);
        var readAcls = doc.NetworkAcls.Select(aclValidator.Read).ToList();
        var groupValidator = new SecurityGroupValidator(_context);
        var groups = doc.SecurityGroups.Select(groupValidator.Read).ToList();
        var subnets = new SubnetValidator(_context).Read(doc.Subnets);
        var interfaces = new InterfaceValidator(_context, subnets).Read(doc.Interfaces);
        var acls = NetworkAcl.WithDefault(readAcls, subnets);
        var vpcCidr = ReadVpcCidr(doc.VpcCidr);

        return new Ruleset(
            doc.Name?.Text ?? defaultName,
            doc.Description?.Text,
            subnets,
            interfaces,
            groups,
            acls,
            prefixLists,
            vpcCidr,
            ReadTracking(doc.ConnectionTracking))
        {
            SourcePath = _context.File,
            HostBitsCidrs = _context.HostBits,
        };
    }

    private Cidr? ReadVpcCidr(ScalarField? field)
    {
        if (field is null || _context.ReadCidr(field, "the VPC's IPv4 CIDR", c => c.IsV6 ? null : "CreateVpc") is not { } vpc)
        {
            return null;
        }
        if (vpc.IsV6)
        {
            _bag.Add(field.Value, $"vpc_cidr: expected the VPC's IPv4 CIDR (it locates the Amazon DNS resolver at its base + 2), found the IPv6 CIDR {vpc}");
            return null;
        }
        return vpc;
    }

    private void CheckVersion(RulesetDocument doc)
    {
        if (doc.Version is not { } version)
        {
            if (doc.Node.Find("version") is null)
            {
                _bag.Add(doc.Node, "missing 'version': expected 'version: 1' (the format version) at the top of the file");
            }
            return;
        }
        if (version.Text != "1")
        {
            _bag.Add(version.Value, $"version: expected 1 (the only format version this loader reads), found '{ScalarNode.Shorten(version.Text)}'");
        }
    }

    private void CheckNames(string kind, IEnumerable<ScalarNode> names)
    {
        foreach (var name in names)
        {
            if (!ValueParser.IsSimpleName(name.Value))
            {
                _bag.Add(name, $"{kind} name '{ScalarNode.Shorten(name.Value)}' is not a simple name: use {ValueParser.SimpleNameRule} (names appear in rule references such as sg:NAME:inbound:1)");
            }
        }
    }

    private PrefixList ReadPrefixList(PrefixListDocument doc)
    {
        var cidrs = new List<Cidr>();
        foreach (var item in doc.Cidrs)
        {
            if (ValueParser.Cidr(new ScalarField(doc.Name, item), "a CIDR", _bag) is { } cidr)
            {
                cidrs.Add(cidr);
            }
        }
        return new PrefixList(doc.Name.Value, cidrs);
    }

    private TrackingSettings ReadTracking(TrackingDocument? doc)
    {
        var settings = TrackingSettings.Default;
        foreach (var field in doc?.Timeouts ?? [])
        {
            var timeout = TrackingTimeouts.Find(field.Key.Value)!;
            var source = timeout.SetByAws ? "the range AWS allows" : "AWS publishes no value; this project's bound";
            if (ValueParser.TryInteger(field, timeout.Min, timeout.Max, $"a number of seconds {timeout.Min}-{timeout.Max} ({source})", _bag, out var seconds))
            {
                settings = timeout.Apply(settings, seconds);
            }
        }
        return settings;
    }
}
