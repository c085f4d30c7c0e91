namespace Firewall.Rulesets.Yaml;

/// <summary>
/// Bounds that keep hostile input cheap. A real ruleset is a few KiB with nesting depth under ten; these
/// limits are far above that and far below what would hurt.
/// </summary>
public sealed record YamlLimits
{
    /// <summary>Whole document, in characters (16 Mi).</summary>
    public int MaxDocumentChars { get; init; } = 16 * 1024 * 1024;

    /// <summary>One scalar, and one line, in characters (64 Ki).</summary>
    public int MaxScalarChars { get; init; } = 64 * 1024;

    /// <summary>Nested mappings and lists.</summary>
    public int MaxDepth { get; init; } = 64;

    public static YamlLimits Default { get; } = new();
}
