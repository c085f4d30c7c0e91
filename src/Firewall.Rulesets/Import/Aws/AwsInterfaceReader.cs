using System.Text.Json;
using Firewall.Engine.Addressing;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>describe-network-interfaces: each ENI's private addresses, subnet and security groups.</summary>
internal static class AwsInterfaceReader
{
    public static void ReadInterface(RulesetDraft draft, JsonElement e, string path, ImportNotes notes)
    {
        if (JsonInput.String(e, "NetworkInterfaceId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a network interface without NetworkInterfaceId; left out");
            return;
        }
        var attachment = JsonInput.Object(e, "Attachment", path, notes);
        var parts = new[]
        {
            JsonInput.Tag(e, "TagSet", "Name", path, notes),
            attachment is { } at ? JsonInput.String(at, "InstanceId", path + ".Attachment", notes) : null,
            JsonInput.String(e, "Description", path, notes),
        }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
        var eni = new DraftInterface(draft.InterfaceNames.Claim(id), parts.Count == 0 ? null : string.Join("; ", parts), path)
        {
            SubnetKey = JsonInput.String(e, "SubnetId", path, notes),
        };
        // Only private addresses: the ENI sees traffic addressed to them; public IPv4 addresses are
        // translated by the internet gateway before the ENI (VPC "Internet gateways").
        var texts = JsonInput.Array(e, "PrivateIpAddresses", path, notes).Select(a => (JsonInput.String(a.Item, "PrivateIpAddress", a.Path, notes), a.Path)).ToList();
        if (texts.Count == 0 && JsonInput.String(e, "PrivateIpAddress", path, notes) is { } primary)
        {
            texts.Add((primary, path));
        }
        texts.AddRange(JsonInput.Array(e, "Ipv6Addresses", path, notes).Select(a => (JsonInput.String(a.Item, "Ipv6Address", a.Path, notes), a.Path)));
        foreach (var (text, addressPath) in texts)
        {
            if (text is not null && IpAddr.TryParse(text, out var address))
            {
                if (!eni.Addresses.Contains(address))
                {
                    eni.Addresses.Add(address);
                }
            }
            else
            {
                notes.Error(addressPath, $"'{text}' is not an IP address; left out");
            }
        }
        foreach (var (group, groupPath) in JsonInput.Array(e, "Groups", path, notes))
        {
            if (JsonInput.String(group, "GroupId", groupPath, notes) is { Length: > 0 } groupId)
            {
                eni.GroupKeys.Add(groupId);
            }
        }
        draft.Interfaces.Add(eni);
    }
}
