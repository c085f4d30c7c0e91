namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// How the plan's resources name each other: by id when the plan knows it, else by the configuration's
/// reference (<c>aws_security_group.web.id</c>) when that names exactly one resource of the plan. Ids turn
/// into draft keys (resource addresses); an id of something outside the plan stays as it is.
/// </summary>
internal sealed class TfReferences
{
    private readonly TerraformPlan _plan;
    private readonly ImportNotes _notes;

    /// <summary>Draft key (the resource address) of every resource whose id is known, by id.</summary>
    private readonly Dictionary<string, string> _byId = new(StringComparer.Ordinal);

    public TfReferences(TerraformPlan plan, ImportNotes notes)
    {
        _plan = plan;
        _notes = notes;
        foreach (var r in plan.Resources)
        {
            if (!r.Values.IsUnknown("id") && r.Values.Str("id") is { Length: > 0 } id)
            {
                _byId.TryAdd(id, r.Address);
            }
        }
    }

    /// <summary>The draft key of the resource of the plan whose id is <paramref name="id"/>.</summary>
    public bool TryFindById(string id, out string key) => _byId.TryGetValue(id, out key!);

    public string NameOf(TfResource r) =>
        !r.Values.IsUnknown("id") && r.Values.Str("id") is { Length: > 0 } id ? id : r.Address;

    /// <summary>A single reference attribute (an id) as draft keys: the resource it names, or the id itself when it is not in the plan.</summary>
    public List<string> Keys(TfResource r, TfObject values, string attr, bool topLevel)
    {
        var keys = new List<string>();
        var ids = values.IsList(attr) ? values.Strings(attr) : values.Str(attr) is { Length: > 0 } single ? [single] : [];
        foreach (var id in ids)
        {
            keys.Add(_byId.GetValueOrDefault(id, id));
        }
        if (values.IsUnknown(attr))
        {
            var resolved = topLevel ? _plan.ReferencedIds(r, attr) : [];
            if (resolved.Count > 0)
            {
                _notes.Info(values.Where, $"{attr} is known only after apply; taken from the configuration's reference to {string.Join(", ", resolved)}");
                keys.AddRange(resolved.Where(a => !keys.Contains(a)));
            }
            else
            {
                _notes.Warning(values.Where, $"{attr} is known only after apply and the configuration does not name the resource it comes from; left out");
            }
        }
        return keys;
    }
}
