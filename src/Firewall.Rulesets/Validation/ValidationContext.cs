using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// What every part of one file's validation shares: where errors go, the names the file defines (for
/// references), and the CIDRs written with host bits set (for lint).
/// </summary>
internal sealed class ValidationContext
{
    private readonly Dictionary<string, string> _known = [];

    public ValidationContext(RulesetDocument document, string file, DiagnosticBag bag)
    {
        Bag = bag;
        File = file;
        GroupNames = document.SecurityGroups.Select(g => g.Name.Value).ToHashSet(StringComparer.Ordinal);
        PrefixListNames = document.PrefixLists.Select(p => p.Name.Value).ToHashSet(StringComparer.Ordinal);
        AclNames = document.NetworkAcls.Select(a => a.Name.Value).ToHashSet(StringComparer.Ordinal);
        AllSubnetNames = document.Subnets.Select(s => s.Name.Value).ToHashSet(StringComparer.Ordinal);
    }

    public DiagnosticBag Bag { get; }

    public string File { get; }

    public HashSet<string> GroupNames { get; }

    public HashSet<string> PrefixListNames { get; }

    public HashSet<string> AclNames { get; }

    /// <summary>Every subnet the file names, including those that fail validation.</summary>
    public HashSet<string> AllSubnetNames { get; }

    public List<HostBitsCidr> HostBits { get; } = [];

    public SourceLocation Location(YamlNode node) => new(File, node.Line, node.Column);

    public void ReportMissing(YamlNode node, string key, string what, string expected) =>
        Bag.Add(node, $"missing '{key}' in this {what}: expected {expected}");

    /// <summary>
    /// A CIDR. Host bits set are accepted where <paramref name="awsPage"/> names the EC2 API page that documents
    /// AWS keeping the network (it returns null where AWS documents no such reading: those stay refused,
    /// so that nothing is guessed); what was written is recorded for lint.
    /// </summary>
    public Cidr? ReadCidr(ScalarField field, string expected, Func<Cidr, string?> awsPage, string? rule = null)
    {
        string? page = null;
        var cidr = ValueParser.Cidr(field, expected, Bag, c => (page = awsPage(c)) is not null, out var cleared);
        if (cleared)
        {
            HostBits.Add(new HostBitsCidr(field.Text, cidr!.Value, field.Key.Value, page!, Location(field.Value), rule));
        }
        return cidr;
    }

    /// <summary>"defined security groups: a, b" for messages; built once per kind, since a hostile file can hold many bad references.</summary>
    public string Known(string kind, IEnumerable<string> names)
    {
        if (!_known.TryGetValue(kind, out var text))
        {
            var list = names.Order(StringComparer.Ordinal).Take(20).Select(n => ScalarNode.Shorten(n)).ToList();
            text = list.Count == 0 ? $"the file defines no {kind}" : $"defined {kind}: {string.Join(", ", list)}{(names.Count() > 20 ? ", ..." : "")}";
            _known.Add(kind, text);
        }
        return text;
    }
}
