using Firewall.Engine.Model;
using Firewall.Rulesets.Documents;
using Firewall.Rulesets.Validation;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets;

/// <summary>The outcome of loading a ruleset: the ruleset when the file had no error, and every diagnostic.</summary>
/// <param name="Ruleset">The validated ruleset, ready for <c>RulesetCompiler.Compile</c>; null when there is any diagnostic (each is an error).</param>
/// <param name="Diagnostics">Every problem found, sorted by line and column; <see cref="Diagnostic.ToString"/> gives <c>file:line:col: message</c>.</param>
public sealed record RulesetLoadResult(Ruleset? Ruleset, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when <see cref="Ruleset"/> is set.</summary>
    public bool Succeeded => Ruleset is not null;
}

/// <summary>
/// Loads a ruleset file (docs/ruleset-format.md) strictly: YAML text → positioned tree (<see cref="YamlTreeReader"/>) →
/// <see cref="RulesetDocument"/> → validated <see cref="Ruleset"/>. Never throws for any file content; an
/// unreadable file is one diagnostic at line 0.
/// </summary>
public static class RulesetLoader
{
    /// <summary>Reads and loads a ruleset file; never throws, whatever the file holds or whether it can be read.</summary>
    /// <param name="path">The YAML file (docs/ruleset-format.md); diagnostics name it as given.</param>
    /// <param name="limits">Bounds on the document's size and nesting; <see cref="YamlLimits.Default"/> when null.</param>
    public static RulesetLoadResult LoadFile(string path, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return FileError(path, "cannot read the ruleset: no such file");
            }
            // No encoding File.ReadAllText reads spends more than 4 bytes on a character, so a file of more
            // than 4 bytes per allowed character is over the bound: refuse it without reading it.
            if (info.Length > 4L * limits.MaxDocumentChars)
            {
                return FileError(path, $"the file is {info.Length} bytes, more than a ruleset may be ({limits.MaxDocumentChars} characters)");
            }
            if (BoundedTextFile.Read(path, limits.MaxDocumentChars) is not { } read)
            {
                // A device or a pipe (/dev/zero) reports no length: the bound is enforced while reading.
                return FileError(path, $"the file holds more than a ruleset may ({limits.MaxDocumentChars} characters)");
            }
            text = read;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            return FileError(path, $"cannot read the ruleset: {ex.Message}");
        }
        return LoadText(text, path, limits);
    }

    /// <summary>Loads a ruleset from YAML text already in memory; never throws.</summary>
    /// <param name="text">The YAML document (docs/ruleset-format.md).</param>
    /// <param name="fileName">Used in diagnostics and as <see cref="Ruleset.SourcePath"/>; its stem names a ruleset without <c>name</c>.</param>
    /// <param name="limits">Bounds on the document's size and nesting; <see cref="YamlLimits.Default"/> when null.</param>
    public static RulesetLoadResult LoadText(string text, string fileName, YamlLimits? limits = null)
    {
        var bag = new DiagnosticBag(fileName);
        var root = YamlTreeReader.Read(text, bag, limits);
        if (root is null)
        {
            if (!bag.HasErrors)
            {
                bag.Add(1, 1, "the file is empty: expected a ruleset starting with 'version: 1'");
            }
            return new RulesetLoadResult(null, bag.ToSortedList());
        }
        if (RulesetDocumentReader.Read(root, bag) is not { } document)
        {
            return new RulesetLoadResult(null, bag.ToSortedList());
        }
        var ruleset = RulesetValidator.Validate(document, fileName, DefaultName(fileName), bag);
        return new RulesetLoadResult(bag.HasErrors ? null : ruleset, bag.ToSortedList());
    }

    private static string DefaultName(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        return string.IsNullOrEmpty(stem) ? "ruleset" : stem;
    }

    private static RulesetLoadResult FileError(string path, string message) =>
        new(null, [new Diagnostic(path, 0, 0, message)]);
}
