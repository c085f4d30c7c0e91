namespace Firewall.Rulesets.Yaml;

/// <summary>
/// One error for a person: where (file, 1-based line and column; line 0 for a file-level problem such as
/// an unreadable file) and what was expected and found. <see cref="ToString"/> is the compiler-style
/// <c>file:line:col: message</c> that editors and CI logs turn into links.
/// </summary>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
