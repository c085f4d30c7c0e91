namespace Firewall.Rulesets.Yaml;

/// <summary>
/// One error for a person: where (file, 1-based line and column; line 0 for a file-level problem such as
/// an unreadable file) and what was expected and found. <see cref="ToString"/> is the compiler-style
/// <c>file:line:col: message</c> that editors and CI logs turn into links.
/// </summary>
/// <param name="File">The file as named to the loader.</param>
/// <param name="Line">1-based line; 0 for a problem with the file as a whole.</param>
/// <param name="Column">1-based column; 0 with line 0.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:col: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
