using System.Text.Json;
using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>get-managed-prefix-list-entries: a prefix list's CIDRs (the output does not repeat the list's id).</summary>
internal static class AwsPrefixListReader
{
    public static void ReadPrefixList(RulesetDraft draft, string id, ImportFile file, JsonElement root, ImportNotes notes)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Entries", out _))
        {
            notes.Error(file.Path, "expected the output of 'aws ec2 get-managed-prefix-list-entries': an object with an 'Entries' array");
            return;
        }
        var cidrs = new List<Cidr>();
        foreach (var (entry, path) in JsonInput.Array(root, "Entries", file.Path + ":", notes))
        {
            if (AwsEncoding.Cidr(JsonInput.String(entry, "Cidr", path, notes), path, notes) is { } cidr && !cidrs.Contains(cidr))
            {
                cidrs.Add(cidr);
            }
        }
        if (draft.PrefixLists.ContainsKey(id))
        {
            notes.Warning(file.Path, $"prefix list {id} is given twice; the first file is kept");
            return;
        }
        draft.PrefixLists[id] = (draft.PrefixListNames.Claim(id), cidrs);
    }
}
