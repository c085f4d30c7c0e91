namespace Firewall.Rulesets.Yaml;

/// <summary>A key and its scalar value, so that messages can point at either.</summary>
public sealed record ScalarField(ScalarNode Key, ScalarNode Value)
{
    public string Text => Value.Value;
}

/// <summary>
/// Reads one mapping strictly: keys outside the allowed set are reported (listing the allowed ones), and
/// each accessor checks the shape of the value (scalar, list, mapping), reporting "expected …, found …"
/// at the value and returning null when it is wrong. Values themselves (numbers, CIDRs) are the caller's.
/// </summary>
public sealed class StrictMapping
{
    private readonly DiagnosticBag _bag;

    private StrictMapping(MappingNode node, DiagnosticBag bag)
    {
        Node = node;
        _bag = bag;
    }

    public MappingNode Node { get; }

    /// <summary>
    /// Checks <paramref name="node"/> is a mapping with only <paramref name="allowedKeys"/>. <paramref name="what"/>
    /// names the thing in messages ("a security group rule"). <paramref name="explainKey"/> may give a more
    /// helpful message for a key that is known but misplaced (say <c>destination</c> in an inbound rule).
    /// Null values count as an empty mapping when <paramref name="nullIsEmpty"/>.
    /// </summary>
    public static StrictMapping? Open(
        YamlNode node,
        string what,
        IReadOnlyList<string> allowedKeys,
        DiagnosticBag bag,
        Func<string, string?>? explainKey = null,
        bool nullIsEmpty = false)
    {
        if (node is ScalarNode { IsNull: true } empty && nullIsEmpty)
        {
            return new StrictMapping(new MappingNode([], empty.Line, empty.Column), bag);
        }
        if (node is not MappingNode mapping)
        {
            bag.Add(node, $"expected {what} (a mapping with keys {string.Join(", ", allowedKeys)}), found {node.Describe()}");
            return null;
        }
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (allowedKeys.Contains(key))
            {
                continue;
            }
            var message = explainKey?.Invoke(key)
                ?? $"unknown key '{ScalarNode.Shorten(key)}' in {what}; expected one of: {string.Join(", ", allowedKeys)}";
            bag.Add(entry.Key, message);
        }
        return new StrictMapping(mapping, bag);
    }

    public MappingEntry? Entry(string key) => Node.Find(key);

    /// <summary>
    /// A scalar value; null when absent, or when empty or not a scalar (both reported: only collections may
    /// be left empty, a missing value is never read as a default).
    /// </summary>
    public ScalarField? Scalar(string key, string expected)
    {
        if (Node.Find(key) is not { } entry)
        {
            return null;
        }
        if (entry.Value is ScalarNode { IsNull: false } scalar)
        {
            return new ScalarField(entry.Key, scalar);
        }
        _bag.Add(entry.Value, $"{key}: expected {expected}, found {entry.Value.Describe()}");
        return null;
    }

    /// <summary>True when the key is written, whatever its value.</summary>
    public bool Has(string key) => Node.Find(key) is not null;

    /// <summary>
    /// A list of scalars; an absent or null value is an empty list. Items that are not scalars are reported
    /// and skipped. Null when the value is not a list (reported).
    /// </summary>
    public IReadOnlyList<ScalarNode>? ScalarList(string key, string expected, string itemExpected)
    {
        if (Node.Find(key) is not { } entry)
        {
            return [];
        }
        if (entry.Value is ScalarNode { IsNull: true })
        {
            return [];
        }
        if (entry.Value is not SequenceNode sequence)
        {
            _bag.Add(entry.Value, $"{key}: expected {expected}, found {entry.Value.Describe()}");
            return null;
        }
        var items = new List<ScalarNode>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            if (item is ScalarNode { IsNull: false } scalar)
            {
                items.Add(scalar);
            }
            else
            {
                _bag.Add(item, $"{key}: expected {itemExpected}, found {item.Describe()}");
            }
        }
        return items;
    }

    /// <summary>A list of nodes (items unchecked); absent or null is empty; null when not a list (reported).</summary>
    public IReadOnlyList<YamlNode>? List(string key, string expected)
    {
        if (Node.Find(key) is not { } entry || entry.Value is ScalarNode { IsNull: true })
        {
            return [];
        }
        if (entry.Value is SequenceNode sequence)
        {
            return sequence.Items;
        }
        _bag.Add(entry.Value, $"{key}: expected {expected}, found {entry.Value.Describe()}");
        return null;
    }

    /// <summary>A mapping's entries (values unchecked); absent or null is empty; null when not a mapping (reported).</summary>
    public IReadOnlyList<MappingEntry>? Mapping(string key, string expected)
    {
        if (Node.Find(key) is not { } entry || entry.Value is ScalarNode { IsNull: true })
        {
            return [];
        }
        if (entry.Value is MappingNode mapping)
        {
            return mapping.Entries;
        }
        _bag.Add(entry.Value, $"{key}: expected {expected}, found {entry.Value.Describe()}");
        return null;
    }

    /// <summary>A mapping node for a key, or null when absent (a null value counts as absent).</summary>
    public MappingNode? Child(string key, string expected)
    {
        if (Node.Find(key) is not { } entry || entry.Value is ScalarNode { IsNull: true })
        {
            return null;
        }
        if (entry.Value is MappingNode mapping)
        {
            return mapping;
        }
        _bag.Add(entry.Value, $"{key}: expected {expected}, found {entry.Value.Describe()}");
        return null;
    }
}
