using System.Text.Json;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// The inline blocks the AWS provider also fills in (a group's or ACL's ingress/egress, a prefix list's
/// entry): which of them to import, given the standalone rule and entry resources of the plan that manage
/// the same side of the same object, and those the plan deletes.
/// </summary>
internal sealed class TfInlineBlocks
{
    private readonly TerraformPlan _plan;
    private readonly ImportNotes _notes;
    private readonly TfReferences _refs;

    /// <summary>
    /// The standalone rule and entry resources of the plan, and those it deletes, by the group, ACL or
    /// prefix list they belong to and the attribute they add to (ingress, egress, entry).
    /// </summary>
    private readonly Dictionary<(string Owner, string Attr), (List<string> Managing, List<string> Deleted)> _separate = [];

    public TfInlineBlocks(TerraformPlan plan, ImportNotes notes, TfReferences refs)
    {
        _plan = plan;
        _notes = notes;
        _refs = refs;
        foreach (var r in plan.Resources)
        {
            IndexSeparate(r, deleted: false);
        }
        foreach (var r in plan.Deleted)
        {
            IndexSeparate(r, deleted: true);
        }
    }

    /// <summary>
    /// Whether the plan's <paramref name="attr"/> blocks of <paramref name="r"/> (a group's or ACL's
    /// ingress/egress, a prefix list's entry) are to be imported. The AWS provider declares these
    /// Optional and Computed: where the configuration does not set them, the plan shows what the
    /// provider read of the object before this plan, which includes what the standalone resources
    /// (aws_security_group_rule, aws_vpc_security_group_ingress_rule/_egress_rule, aws_network_acl_rule,
    /// aws_ec2_managed_prefix_list_entry) made, and still holds those this plan deletes. Importing
    /// both would import every such rule twice. So the blocks are imported when the configuration sets
    /// them; or, since Terraform's JSON leaves dynamic blocks out of the configuration's expressions,
    /// when the plan shows they come from the configuration all the same (the object is new, so there
    /// was nothing to read; or the plan changes them); or when no standalone resource manages that
    /// side of the object, so that what the provider read is all there will be.
    /// </summary>
    public bool AreConfigured(TfResource r, string attr, (string One, string Many) what)
    {
        var v = r.Values;
        var count = v.Blocks(attr).Count;
        var counted = count == 1 ? $"1 {what.One}" : $"{count} {what.Many}";
        var are = count == 1 ? "is" : "are";
        var unknown = v.IsUnknown(attr) && count == 0;
        if (_plan.Sets(r, attr))
        {
            if (unknown)
            {
                r.WarnUnknown(attr, $"its inline {what.Many} are left out");
            }
            return !unknown;
        }
        if (unknown)
        {
            // A new object whose configuration does not set them: the provider plans them unknown.
            return false;
        }
        if (r.Created || (r.Before is { } before && !SameBlocks(before, v.Values, attr)))
        {
            if (count > 0)
            {
                _notes.Info(r.Address, $"{attr} is not among the configuration's expressions, but the plan {(r.Created ? "creates" : "changes")} it, so it comes from the configuration (a dynamic block, which Terraform's JSON output does not show); its {counted} {are} imported");
            }
            return true;
        }
        var (managing, deleted) = SeparateResources(r, attr);
        if (managing.Count + deleted.Count == 0)
        {
            if (count > 0)
            {
                _notes.Info(r.Address, $"{attr} is not among the configuration's expressions (set by a dynamic block, or {what.Many} made outside Terraform) and no resource of the plan manages its {what.Many} one by one: the {counted} the plan shows {are} imported");
            }
            return true;
        }
        if (count > 0)
        {
            var message = $"{attr} is not set in the configuration, so the {counted} the plan shows for it {are} what the provider read before this plan";
            if (managing.Count > 0)
            {
                message += $"; the {what.Many} come from {string.Join(", ", managing)} instead";
            }
            if (deleted.Count > 0)
            {
                message += $"; {string.Join(", ", deleted)} {(deleted.Count == 1 ? "is" : "are")} deleted by this plan";
            }
            _notes.Info(r.Address, message);
        }
        return false;
    }

    /// <summary>Whether the configuration block of <paramref name="r"/> sets <paramref name="attr"/> (see <see cref="TerraformPlan.Sets"/>).</summary>
    public bool ConfigurationSets(TfResource r, string attr) => _plan.Sets(r, attr);

    private (List<string> Managing, List<string> Deleted) SeparateResources(TfResource r, string attr) =>
        _separate.GetValueOrDefault((r.Address, attr), ([], []));

    /// <summary>Files a rule or entry resource under the object it adds to, by id or by configuration reference.</summary>
    private void IndexSeparate(TfResource s, bool deleted)
    {
        var (attr, ownerAttr) = s.Type switch
        {
            "aws_security_group_rule" => (s.Values.Peek("type"), "security_group_id"),
            "aws_vpc_security_group_ingress_rule" => ("ingress", "security_group_id"),
            "aws_vpc_security_group_egress_rule" => ("egress", "security_group_id"),
            "aws_network_acl_rule" => (s.Values.PeekBool("egress") == true ? "egress" : "ingress", "network_acl_id"),
            "aws_ec2_managed_prefix_list_entry" => ("entry", "prefix_list_id"),
            _ => (null, ""),
        };
        if (attr is null)
        {
            return;
        }
        var owners = s.Values.Peek(ownerAttr) is { Length: > 0 } id && _refs.TryFindById(id, out var owner) ? [owner]
            : s.Values.IsUnknown(ownerAttr) ? _plan.ReferencedIds(s, ownerAttr)
            : [];
        foreach (var o in owners)
        {
            if (!_separate.TryGetValue((o, attr), out var lists))
            {
                _separate[(o, attr)] = lists = ([], []);
            }
            (deleted ? lists.Deleted : lists.Managing).Add(s.Address);
        }
    }

    /// <summary>The same blocks before and after, in any order: Terraform stores them as sets.</summary>
    private static bool SameBlocks(JsonElement before, JsonElement after, string attr)
    {
        static List<string> Canonical(JsonElement obj, string attr) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(attr, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(CanonicalJson).Order(StringComparer.Ordinal).ToList()
                : [];
        return Canonical(before, attr).SequenceEqual(Canonical(after, attr), StringComparer.Ordinal);
    }

    /// <summary>JSON text with object members sorted by name, so that two equal values compare equal as text.</summary>
    private static string CanonicalJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object =>
            "{" + string.Join(",", e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"\"{JsonEncodedText.Encode(p.Name)}\":{CanonicalJson(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(CanonicalJson)) + "]",
        _ => e.GetRawText(),
    };
}
