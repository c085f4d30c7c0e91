namespace Firewall.Rulesets.Yaml;

/// <summary>
/// Collects the diagnostics of one file so that a loader reports every error at once. Bounded: a
/// hostile file must not turn into millions of messages.
/// </summary>
public sealed class DiagnosticBag
{
    public const int MaxDiagnostics = 500;

    private readonly List<Diagnostic> _items = [];
    private bool _truncated;

    public DiagnosticBag(string file)
    {
        File = file;
    }

    public string File { get; }

    public bool HasErrors => _items.Count > 0;

    public int Count => _items.Count;

    public void Add(int line, int column, string message)
    {
        if (_items.Count >= MaxDiagnostics)
        {
            _truncated = true;
            return;
        }
        _items.Add(new Diagnostic(File, line, column, message));
    }

    public void Add(YamlNode at, string message) => Add(at.Line, at.Column, message);

    /// <summary>The diagnostics ordered by position (a stable sort keeps the order of equal positions).</summary>
    public IReadOnlyList<Diagnostic> ToSortedList()
    {
        var sorted = _items.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        if (_truncated)
        {
            var last = sorted[^1];
            sorted.Add(new Diagnostic(File, last.Line, last.Column, $"too many errors; stopped after {MaxDiagnostics}"));
        }
        return sorted;
    }
}
