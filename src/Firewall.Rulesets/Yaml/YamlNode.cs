namespace Firewall.Rulesets.Yaml;

/// <summary>
/// A YAML node with the 1-based line and column where it starts. This is the only tree the loaders
/// read: YamlDotNet's own representation model drops duplicate-key information and expands aliases,
/// both of which a strict loader has to see.
/// </summary>
public abstract class YamlNode
{
    protected YamlNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>How the node reads in "expected X, found Y" messages.</summary>
    public abstract string Describe();
}

public sealed class ScalarNode : YamlNode
{
    public ScalarNode(string value, bool isPlain, int line, int column)
        : base(line, column)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>False for quoted and block scalars, whose text is always a string.</summary>
    public bool IsPlain { get; }

    /// <summary>
    /// An empty value or the YAML 1.2 core-schema null (<c>~</c>, <c>null</c>), written without quotes:
    /// <c>inbound:</c> with nothing after it.
    /// </summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "nothing" : $"a scalar '{Shorten(Value)}'";

    /// <summary>Keeps messages readable when a value is long (a hostile value can be 64 KiB).</summary>
    public static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

public readonly record struct MappingEntry(ScalarNode Key, YamlNode Value);

public sealed class MappingNode : YamlNode
{
    public MappingNode(IReadOnlyList<MappingEntry> entries, int line, int column)
        : base(line, column)
    {
        Entries = entries;
    }

    /// <summary>The entries in file order; a repeated key is reported by the reader and kept only once.</summary>
    public IReadOnlyList<MappingEntry> Entries { get; }

    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }
        return null;
    }

    public override string Describe() => "a mapping";
}

public sealed class SequenceNode : YamlNode
{
    public SequenceNode(IReadOnlyList<YamlNode> items, int line, int column)
        : base(line, column)
    {
        Items = items;
    }

    public IReadOnlyList<YamlNode> Items { get; }

    public override string Describe() => "a list";
}
