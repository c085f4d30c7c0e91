namespace Firewall.Rulesets.Import.Aws;

/// <summary>One input file: the name used in messages and its text.</summary>
public sealed record ImportFile(string Path, string Text)
{
    /// <summary>Bigger inputs are refused: describe-* output of a whole region is a few MiB.</summary>
    public const int MaxChars = 256 * 1024 * 1024;

    public static ImportFile Read(string path) => new(path, File.ReadAllText(path));
}
