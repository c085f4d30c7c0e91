using System.Text.Json;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets;

/// <summary>What a ruleset argument held, and what importing it said.</summary>
/// <param name="Load">The ruleset loaded (from the file, or from the ruleset text the import built) and its diagnostics.</param>
/// <param name="ImportNotes">What the import could not carry over or had to choose; empty for a ruleset file.</param>
/// <param name="ImportedFrom">"terraform plan" or "aws describe-* output" when the ruleset was imported, else null (a ruleset file).</param>
public sealed record RulesetSourceResult(RulesetLoadResult Load, IReadOnlyList<ImportNote> ImportNotes, string? ImportedFrom)
{
    /// <summary>Where each network ACL came from, by name: empty for a ruleset file, which says nothing of AWS ids or Terraform resources.</summary>
    public IReadOnlyDictionary<string, AclOrigin> AclOrigins { get; init; } = new Dictionary<string, AclOrigin>();
}

/// <summary>
/// A ruleset as a user names it on the command line: a ruleset file (YAML); a <c>.json</c> file, which is a
/// Terraform plan (<c>terraform show -json PLAN</c>) or one <c>aws ec2 describe-…</c> output, told apart by its
/// top-level keys; or a directory of such outputs. Plans and AWS output are imported exactly as <c>firewall import</c> does, and the YAML it would
/// write is loaded, so a command given the plan sees what it would see given the imported file.
/// </summary>
public static class RulesetSources
{
    private static readonly (string Key, string Kind)[] AwsKinds =
    [
        ("SecurityGroups", "security groups"), ("NetworkAcls", "network ACLs"), ("Subnets", "subnets"),
        ("NetworkInterfaces", "network interfaces"), ("Vpcs", "VPCs"), ("Entries", "prefix list entries"),
    ];

    public static RulesetSourceResult Load(string path)
    {
        if (Directory.Exists(path))
        {
            return Imported(path, "aws describe-* output", ImportAwsDirectory(path));
        }
        // Read once: a pipe or a FIFO gives its bytes only once, so the kind is not sniffed before the read.
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return new RulesetSourceResult(RulesetLoader.LoadFile(path), [], null);
        }
        var notes = new ImportNotes();
        if (ReadJson(path, notes) is not { } file)
        {
            return Imported(path, "JSON", ImportResult.Failed(notes));
        }
        var roots = RootKeys(file.Text);
        if (roots.Contains("format_version") && (roots.Contains("resource_changes") || roots.Contains("planned_values")))
        {
            return Imported(path, "terraform plan", TerraformImporter.Import(file));
        }
        if (AwsKinds.Any(k => roots.Contains(k.Key)))
        {
            return Imported(path, "aws describe-* output", ImportAws(With(new AwsImportInput(), file, roots, notes), notes));
        }
        notes.Error(path, "a JSON file that is neither a Terraform plan (terraform show -json) nor aws ec2 describe-* output");
        return Imported(path, "JSON", ImportResult.Failed(notes));
    }

    private static RulesetSourceResult Imported(string path, string kind, ImportResult import)
    {
        var load = import.Ruleset is null
            ? new RulesetLoadResult(null, [new Diagnostic(path, 0, 0, $"no ruleset could be imported from this {kind}")])
            : RulesetLoader.LoadText(import.ToYaml(), path);
        return new RulesetSourceResult(load, import.Notes, kind) { AclOrigins = import.AclOrigins };
    }

    /// <summary>Every <c>*.json</c> of the directory, each taken for what its top-level key says it is; a prefix list's id is its file name (<c>pl-….json</c>).</summary>
    private static ImportResult ImportAwsDirectory(string directory)
    {
        var notes = new ImportNotes();
        var input = new AwsImportInput();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (ReadJson(path, notes) is { } file)
            {
                input = With(input, file, RootKeys(file.Text), notes);
            }
        }
        if (input.SecurityGroups is null && input.NetworkAcls is null)
        {
            notes.Error(directory, "no describe-security-groups or describe-network-acls output here (files *.json whose top-level key is SecurityGroups or NetworkAcls)");
            return ImportResult.Failed(notes);
        }
        return ImportAws(input, notes);
    }

    /// <summary>The import, after what reading the files noted.</summary>
    private static ImportResult ImportAws(AwsImportInput input, ImportNotes notes)
    {
        var result = AwsImporter.Import(input);
        return result with { Notes = [.. notes.All, .. result.Notes] };
    }

    private static AwsImportInput With(AwsImportInput input, ImportFile file, HashSet<string> roots, ImportNotes notes)
    {
        if (roots.Contains("SecurityGroups")) return input with { SecurityGroups = file };
        if (roots.Contains("NetworkAcls")) return input with { NetworkAcls = file };
        if (roots.Contains("Subnets")) return input with { Subnets = file };
        if (roots.Contains("NetworkInterfaces")) return input with { NetworkInterfaces = file };
        if (roots.Contains("Vpcs")) return input with { Vpcs = file };
        if (roots.Contains("Entries"))
        {
            var id = Path.GetFileNameWithoutExtension(file.Path);
            if (id.StartsWith("pl-", StringComparison.Ordinal))
            {
                return input with { PrefixLists = [.. input.PrefixLists, (id, file)] };
            }
            notes.Warning(file.Path, "prefix list entries in a file not named after the list (pl-ID.json): not read");
            return input;
        }
        notes.Info(file.Path, $"not read: no top-level key of {string.Join(", ", AwsKinds.Select(k => k.Key))}");
        return input;
    }

    private static ImportFile? ReadJson(string path, ImportNotes notes)
    {
        try
        {
            if (BoundedTextFile.Read(path, ImportFile.MaxChars) is { } text)
            {
                return new ImportFile(path, text);
            }
            notes.Error(path, $"the file holds more than {ImportFile.MaxChars / (1024 * 1024)} Mi characters");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            notes.Error(path, $"cannot read: {ex.Message}");
        }
        return null;
    }

    /// <summary>The names of the top-level object's members, or none when the text is not a JSON object.</summary>
    private static HashSet<string> RootKeys(string text)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in doc.RootElement.EnumerateObject())
                {
                    keys.Add(member.Name);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no keys, and the caller says what it expected.
        }
        return keys;
    }
}
