namespace Firewall.Engine.Compilation;

/// <summary>
/// Every rule reference a verdict can name, interned once at compile time so that the hot path passes
/// small integers around and text appears only in output (SPEC §3 "Rule references").
/// </summary>
public sealed class RuleTable
{
    private readonly List<string> _references = new();
    private readonly List<RuleKind> _kinds = new();
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public const int Skip = 0;

    public RuleTable()
    {
        Intern("skip", RuleKind.Skip);
    }

    public int Count => _references.Count;

    public string Reference(int id) => _references[id];

    public RuleKind Kind(int id) => _kinds[id];

    public int Intern(string reference, RuleKind kind)
    {
        if (_ids.TryGetValue(reference, out var id))
        {
            return id;
        }
        id = _references.Count;
        _references.Add(reference);
        _kinds.Add(kind);
        _ids.Add(reference, id);
        return id;
    }

    public bool TryFind(string reference, out int id) => _ids.TryGetValue(reference, out id);

    public IReadOnlyList<string> References => _references;
}

/// <summary>What a rule reference stands for; decides how it is reported.</summary>
public enum RuleKind : byte
{
    Skip,
    SgRule,
    SgNoMatch,
    NaclRule,
    NaclDefault,
    Tracked,
    TableFull,
    Midstream,
    Bypass,
}
