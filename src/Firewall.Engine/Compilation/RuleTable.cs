namespace Firewall.Engine.Compilation;

/// <summary>
/// Every rule reference a verdict can name, interned once at compile time so that the hot path passes
/// small integers around and text appears only in output (docs/ruleset-format.md).
/// </summary>
public sealed class RuleTable
{
    private readonly List<string> _references = new();
    private readonly List<RuleKind> _kinds = new();
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>The id of <c>skip</c>, the reference of packets with no hop on their path.</summary>
    public const int Skip = 0;

    /// <summary>A table holding only <c>skip</c>.</summary>
    public RuleTable()
    {
        Intern("skip", RuleKind.Skip);
    }

    /// <summary>The number of references; ids run from 0 to <c>Count - 1</c>.</summary>
    public int Count => _references.Count;

    /// <summary>The text of a reference, such as <c>sg:web-sg:inbound:1</c> or <c>nacl:public-nacl:outbound:*</c> (docs/ruleset-format.md).</summary>
    /// <param name="id">A rule id, such as <see cref="Evaluation.PacketResult.RuleId"/>.</param>
    public string Reference(int id) => _references[id];

    /// <summary>What the reference stands for: a rule, an implicit deny, a tracking entry, traffic AWS does not filter.</summary>
    /// <param name="id">A rule id, such as <see cref="Evaluation.PacketResult.RuleId"/>.</param>
    public RuleKind Kind(int id) => _kinds[id];

    /// <summary>The id of <paramref name="reference"/>, added with <paramref name="kind"/> if it is new.</summary>
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

    /// <summary>The id of a reference's text, if the table has it.</summary>
    public bool TryFind(string reference, out int id) => _ids.TryGetValue(reference, out id);

    /// <summary>Every reference's text, indexed by id.</summary>
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
