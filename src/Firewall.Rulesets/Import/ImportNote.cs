namespace Firewall.Rulesets.Import;

public enum ImportSeverity : byte
{
    /// <summary>Something the import did on the user's behalf that they should know about (a value AWS ignores, a reference resolved from configuration).</summary>
    Info,

    /// <summary>Something left out of the ruleset or changed: a stale reference, an unknown-until-apply value, a missing input.</summary>
    Warning,

    /// <summary>Input that cannot be read as the AWS or Terraform shape it claims to be; the object it concerns is left out.</summary>
    Error,
}

/// <summary>
/// One message about an import. <see cref="Source"/> says where: <c>FILE: JSON.path</c> for AWS CLI output,
/// the resource address for Terraform, so that the user can find the object in their own files.
/// </summary>
public sealed record ImportNote(ImportSeverity Severity, string Source, string Message)
{
    public static string SeverityName(ImportSeverity severity) => severity switch
    {
        ImportSeverity.Info => "info",
        ImportSeverity.Warning => "warning",
        _ => "error",
    };

    public override string ToString() => $"{Source}: {SeverityName(Severity)}: {Message}";
}

/// <summary>Collects the notes of one import, in the order they were found.</summary>
public sealed class ImportNotes
{
    private readonly List<ImportNote> _notes = [];

    public IReadOnlyList<ImportNote> All => _notes;

    public bool HasErrors => _notes.Any(n => n.Severity == ImportSeverity.Error);

    public void Info(string source, string message) => _notes.Add(new ImportNote(ImportSeverity.Info, source, message));

    public void Warning(string source, string message) => _notes.Add(new ImportNote(ImportSeverity.Warning, source, message));

    public void Error(string source, string message) => _notes.Add(new ImportNote(ImportSeverity.Error, source, message));
}
