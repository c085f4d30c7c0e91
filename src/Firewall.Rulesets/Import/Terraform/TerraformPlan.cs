using System.Text.Json;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// An object of a Terraform plan's values with its <c>after_unknown</c> twin: the provider's attributes as
/// planned, and which of them are known only after apply. <see cref="Where"/> names the resource (and
/// block) for messages.
/// </summary>
internal readonly record struct TfObject(JsonElement Values, JsonElement? Unknown, string Where, ImportNotes Notes)
{
    public bool IsUnknown(string attr) =>
        Unknown is { ValueKind: JsonValueKind.Object } u && u.TryGetProperty(attr, out var flag) && AnyTrue(flag);

    private static bool AnyTrue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Array => e.EnumerateArray().Any(AnyTrue),
        JsonValueKind.Object => e.EnumerateObject().Any(p => AnyTrue(p.Value)),
        _ => false,
    };

    public string? Str(string attr) => JsonInput.String(Values, attr, Where, Notes);

    /// <summary>A string attribute when it is one, with no note otherwise: for looking, the reader reports.</summary>
    public string? Peek(string attr) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attr, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A boolean attribute when it is one, with no note otherwise.</summary>
    public bool? PeekBool(string attr) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attr, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public bool IsList(string attr) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attr, out var v) && v.ValueKind == JsonValueKind.Array;

    public long? Long(string attr) => JsonInput.Long(Values, attr, Where, Notes);

    public bool? Bool(string attr) => JsonInput.Bool(Values, attr, Where, Notes);

    /// <summary>The known strings of a list or set attribute.</summary>
    public List<string> Strings(string attr)
    {
        var list = new List<string>();
        if (Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attr, out var v) && v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s)
                {
                    list.Add(s);
                }
            }
        }
        else if (Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attr, out var bad) && bad.ValueKind is not JsonValueKind.Null)
        {
            Notes.Error($"{Where}.{attr}", $"expected a list of strings, found {JsonInput.Kind(bad)}");
        }
        return list;
    }

    /// <summary>The elements of a nested block list (inline ingress/egress rules), each with its unknown twin.</summary>
    public List<TfObject> Blocks(string attr)
    {
        var list = new List<TfObject>();
        if (Values.ValueKind != JsonValueKind.Object || !Values.TryGetProperty(attr, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return list;
        }
        JsonElement? unknownList = Unknown is { ValueKind: JsonValueKind.Object } u && u.TryGetProperty(attr, out var ul) && ul.ValueKind == JsonValueKind.Array ? ul : null;
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            JsonElement? itemUnknown = unknownList is { } ulist && i < ulist.GetArrayLength() ? ulist[i] : null;
            list.Add(new TfObject(item, itemUnknown, $"{Where}.{attr}[{i}]", Notes));
            i++;
        }
        return list;
    }

    public string? Tag(string key) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
        && tags.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>
/// One resource instance of the plan. <see cref="ModuleInstance"/> is the module instance it is in
/// (<c>module.net["a"].</c>, empty in the root module), which its configuration's references are relative
/// to; <see cref="ConfigAddress"/> is the address of its configuration block (instance keys removed).
/// </summary>
internal sealed record TfResource(string Address, string Type, string ModuleInstance, string ConfigAddress, TfObject Values)
{
    /// <summary>The plan creates the object (create, or replace): nothing of it existed for the provider to read.</summary>
    public bool Created { get; init; }

    /// <summary>The object as it was before this plan (the refreshed prior state), when the plan says.</summary>
    public JsonElement? Before { get; init; }

    /// <summary>Notes that <paramref name="attr"/> is known only after apply, and what follows from that.</summary>
    public void WarnUnknown(string attr, string consequence) =>
        Values.Notes.Warning(Address, $"{attr} is known only after apply; {consequence}");
}

/// <summary>
/// The parts of <c>terraform show -json PLAN</c> output the importer reads (Terraform "JSON Output Format"):
/// <c>resource_changes[].change.after</c> / <c>after_unknown</c> (what each resource will be, and which of
/// its values are known only after apply) and <c>before</c> (what it was), falling back to
/// <c>planned_values</c> (or a state's <c>values</c>) with <c>prior_state</c>, both with
/// <c>child_modules</c>; and <c>configuration</c>, whose expressions say which arguments each resource
/// sets and name the resources an unknown id refers to.
/// </summary>
internal sealed class TerraformPlan
{
    private readonly Dictionary<string, JsonElement> _expressions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TfResource> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ModuleInstance, string ConfigAddress), List<TfResource>> _byConfigAddress = [];

    public List<TfResource> Resources { get; } = [];

    /// <summary>
    /// The resources this plan deletes, as they were. Nothing of them is imported, but what the provider
    /// read of a security group or network ACL before the plan still holds the rules they made.
    /// </summary>
    public List<TfResource> Deleted { get; } = [];

    public static TerraformPlan Read(JsonElement root, string file, ImportNotes notes)
    {
        var plan = new TerraformPlan();
        if (root.ValueKind != JsonValueKind.Object)
        {
            notes.Error(file, $"expected the output of 'terraform show -json PLAN': an object, found {JsonInput.Kind(root)}");
            return plan;
        }
        if (JsonInput.Has(root, "resource_changes"))
        {
            foreach (var (change, path) in JsonInput.Array(root, "resource_changes", file + ":", notes))
            {
                plan.AddChange(change, path, notes);
            }
        }
        else if ((JsonInput.Object(root, "planned_values", file, notes) ?? JsonInput.Object(root, "values", file, notes)) is { } values)
        {
            if (JsonInput.Object(values, "root_module", file, notes) is { } module)
            {
                plan.AddModule(module, file, notes, plan.Resources);
            }
            if (JsonInput.Object(root, "prior_state", file, notes) is { } prior
                && JsonInput.Object(prior, "values", file, notes) is { } priorValues
                && JsonInput.Object(priorValues, "root_module", file, notes) is { } priorModule)
            {
                plan.AddPriorState(priorModule, file, notes);
            }
        }
        else
        {
            notes.Error(file, "expected the output of 'terraform show -json PLAN': no resource_changes, planned_values or values");
        }
        if (JsonInput.Object(root, "configuration", file, notes) is { } configuration
            && JsonInput.Object(configuration, "root_module", file, notes) is { } configRoot)
        {
            plan.AddConfiguration(configRoot, "", 0, notes);
        }
        foreach (var r in plan.Resources)
        {
            plan._byAddress.TryAdd(r.Address, r);
            if (!plan._byConfigAddress.TryGetValue((r.ModuleInstance, r.ConfigAddress), out var instances))
            {
                plan._byConfigAddress[(r.ModuleInstance, r.ConfigAddress)] = instances = [];
            }
            instances.Add(r);
        }
        return plan;
    }

    /// <summary>The resource of the plan at <paramref name="address"/>, if there is one.</summary>
    public TfResource? Find(string address) => _byAddress.GetValueOrDefault(address);

    private void AddChange(JsonElement change, string path, ImportNotes notes)
    {
        if (JsonInput.String(change, "mode", path, notes) is "data")
        {
            return;
        }
        var address = JsonInput.String(change, "address", path, notes);
        var type = JsonInput.String(change, "type", path, notes);
        if (address is null || type is null || JsonInput.Object(change, "change", path, notes) is not { } c)
        {
            notes.Error(path, "a resource change without address, type or change; left out");
            return;
        }
        var actions = JsonInput.Array(c, "actions", path, notes).Select(a => a.Item.ValueKind == JsonValueKind.String ? a.Item.GetString() : null).ToList();
        var module = JsonInput.String(change, "module_address", path, notes) is { Length: > 0 } m ? m + "." : "";
        JsonElement? before = c.TryGetProperty("before", out var b) && b.ValueKind == JsonValueKind.Object ? b : null;
        if (actions.SequenceEqual(["delete"]))
        {
            if (before is { } gone)
            {
                Deleted.Add(new TfResource(address, type, module, StripIndexes(address), new TfObject(gone, null, address, notes)));
            }
            return;
        }
        if (JsonInput.Object(c, "after", path, notes) is not { } after)
        {
            return;
        }
        JsonElement? unknown = c.TryGetProperty("after_unknown", out var u) && u.ValueKind == JsonValueKind.Object ? u : null;
        Resources.Add(new TfResource(address, type, module, StripIndexes(address), new TfObject(after, unknown, address, notes))
        {
            Created = actions.Contains("create"),
            Before = before,
        });
    }

    private void AddModule(JsonElement module, string file, ImportNotes notes, List<TfResource> into, int depth = 0)
    {
        if (depth > 32)
        {
            return;
        }
        var moduleAddress = JsonInput.String(module, "address", file, notes);
        var prefix = moduleAddress is { Length: > 0 } ? moduleAddress + "." : "";
        foreach (var (r, path) in JsonInput.Array(module, "resources", file + ":", notes))
        {
            if (JsonInput.String(r, "mode", path, notes) is "data")
            {
                continue;
            }
            var address = JsonInput.String(r, "address", path, notes);
            var type = JsonInput.String(r, "type", path, notes);
            if (address is null || type is null || JsonInput.Object(r, "values", path, notes) is not { } values)
            {
                continue;
            }
            into.Add(new TfResource(address, type, prefix, StripIndexes(address), new TfObject(values, null, address, notes)));
        }
        foreach (var (child, _) in JsonInput.Array(module, "child_modules", file + ":", notes))
        {
            AddModule(child, file, notes, into, depth + 1);
        }
    }

    /// <summary>
    /// With <c>planned_values</c> only: the prior state says what each resource was (a resource it lacks
    /// is created by the plan) and which resources the plan deletes.
    /// </summary>
    private void AddPriorState(JsonElement module, string file, ImportNotes notes)
    {
        var prior = new List<TfResource>();
        AddModule(module, file, notes, prior);
        var byAddress = prior.GroupBy(p => p.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < Resources.Count; i++)
        {
            Resources[i] = byAddress.TryGetValue(Resources[i].Address, out var was)
                ? Resources[i] with { Before = was.Values.Values }
                : Resources[i] with { Created = true };
        }
        var planned = Resources.Select(r => r.Address).ToHashSet(StringComparer.Ordinal);
        Deleted.AddRange(prior.Where(p => !planned.Contains(p.Address)));
    }

    private void AddConfiguration(JsonElement module, string prefix, int depth, ImportNotes notes)
    {
        if (depth > 32)
        {
            return;
        }
        foreach (var (r, path) in JsonInput.Array(module, "resources", "configuration", notes))
        {
            if (JsonInput.String(r, "address", path, notes) is { } address && JsonInput.Object(r, "expressions", path, notes) is { } expressions)
            {
                _expressions[prefix + address] = expressions;
            }
        }
        if (JsonInput.Object(module, "module_calls", "configuration", notes) is { } calls)
        {
            foreach (var call in calls.EnumerateObject())
            {
                if (call.Value.ValueKind == JsonValueKind.Object && JsonInput.Object(call.Value, "module", "configuration", notes) is { } child)
                {
                    AddConfiguration(child, $"{prefix}module.{call.Name}.", depth + 1, notes);
                }
            }
        }
    }

    /// <summary>
    /// Whether the configuration block of <paramref name="resource"/> (shared by all its <c>count</c> and
    /// <c>for_each</c> instances) sets <paramref name="attr"/>, as an argument or with literal nested
    /// blocks. A <c>dynamic</c> block is not shown: Terraform's JSON output leaves dynamic blocks out of
    /// <c>expressions</c> (hashicorp/terraform#29522), so false means "not set, or set by a dynamic block".
    /// </summary>
    public bool Sets(TfResource resource, string attr) =>
        _expressions.TryGetValue(resource.ConfigAddress, out var expressions)
        && expressions.ValueKind == JsonValueKind.Object
        && expressions.TryGetProperty(attr, out _);

    /// <summary>
    /// The resources an attribute's configuration expression refers to through their <c>.id</c>
    /// (<c>security_group_id = aws_security_group.web.id</c>): full instance addresses, empty when the
    /// configuration does not say (a variable, a module output, a data source). A reference inside a
    /// module is to the resource of the same module instance.
    /// </summary>
    public List<string> ReferencedIds(TfResource resource, string attr)
    {
        var found = new List<string>();
        if (!_expressions.TryGetValue(resource.ConfigAddress, out var expressions)
            || expressions.ValueKind != JsonValueKind.Object
            || !expressions.TryGetProperty(attr, out var expression)
            || expression.ValueKind != JsonValueKind.Object
            || !expression.TryGetProperty("references", out var references)
            || references.ValueKind != JsonValueKind.Array)
        {
            return found;
        }
        foreach (var reference in references.EnumerateArray())
        {
            if (reference.ValueKind != JsonValueKind.String || reference.GetString() is not { } text || !text.EndsWith(".id", StringComparison.Ordinal))
            {
                continue;
            }
            var target = resource.ModuleInstance + text[..^3];
            // A reference without an instance key names the single instance of its resource, if there is one.
            var named = _byAddress.TryGetValue(target, out var exact) ? exact
                : _byConfigAddress.TryGetValue((resource.ModuleInstance, StripIndexes(target)), out var instances) && instances.Count == 1 ? instances[0]
                : null;
            if (named is not null && !found.Contains(named.Address))
            {
                found.Add(named.Address);
            }
        }
        return found;
    }

    /// <summary><c>module.a["x"].aws_subnet.b[0]</c> → <c>module.a.aws_subnet.b</c>: the configuration's address.</summary>
    public static string StripIndexes(string address)
    {
        var b = new System.Text.StringBuilder(address.Length);
        var depth = 0;
        var quoted = false;
        foreach (var c in address)
        {
            if (depth > 0)
            {
                if (c == '"') quoted = !quoted;
                else if (c == ']' && !quoted) depth--;
                continue;
            }
            if (c == '[')
            {
                depth++;
                continue;
            }
            b.Append(c);
        }
        return b.ToString();
    }
}
