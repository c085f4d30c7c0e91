using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>Managed prefix lists: <c>aws_ec2_managed_prefix_list</c> (inline entries) and <c>aws_ec2_managed_prefix_list_entry</c>.</summary>
internal sealed class TfPrefixListReader(RulesetDraft draft, ImportNotes notes, TfReferences refs, TfInlineBlocks inline)
{
    public void ReadPrefixList(TfResource r)
    {
        var cidrs = new List<Cidr>();
        draft.PrefixLists[r.Address] = (draft.PrefixListNames.Claim(refs.NameOf(r)), cidrs);
        if (!inline.AreConfigured(r, "entry", ("entry", "entries")))
        {
            return;
        }
        foreach (var entry in r.Values.Blocks("entry"))
        {
            if (entry.IsUnknown("cidr"))
            {
                notes.Warning(entry.Where, "cidr is known only after apply; the entry is left out");
                continue;
            }
            AddPrefixListEntry(cidrs, entry.Str("cidr"), entry.Where);
        }
    }

    public void ReadPrefixListEntry(TfResource r)
    {
        var keys = refs.Keys(r, r.Values, "prefix_list_id", topLevel: true);
        if (keys.Count == 0)
        {
            return;
        }
        if (!draft.PrefixLists.TryGetValue(keys[0], out var list))
        {
            notes.Warning(r.Address, $"prefix list '{keys[0]}' is not in the plan; the entry is left out");
            return;
        }
        if (r.Values.IsUnknown("cidr"))
        {
            r.WarnUnknown("cidr", "the entry is left out");
            return;
        }
        AddPrefixListEntry(list.Cidrs, r.Values.Str("cidr"), r.Address);
    }

    private void AddPrefixListEntry(List<Cidr> cidrs, string? text, string source)
    {
        // A CIDR given twice (inline and as an entry resource) is one entry of the list.
        if (AwsEncoding.Cidr(text, source, notes) is { } cidr && !cidrs.Contains(cidr))
        {
            cidrs.Add(cidr);
        }
    }
}
