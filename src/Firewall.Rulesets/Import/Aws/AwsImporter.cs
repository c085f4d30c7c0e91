using System.Text.Json;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>One input file: the name used in messages and its text.</summary>
public sealed record ImportFile(string Path, string Text)
{
    /// <summary>Bigger inputs are refused: describe-* output of a whole region is a few MiB.</summary>
    public const int MaxChars = 256 * 1024 * 1024;

    public static ImportFile Read(string path) => new(path, File.ReadAllText(path));
}

/// <summary>
/// The JSON printed by the AWS CLI (<c>aws ec2 describe-… --output json</c>, the EC2 API's response shapes).
/// Every file is optional; <see cref="PrefixLists"/> pairs a prefix-list id with the output of
/// <c>aws ec2 get-managed-prefix-list-entries --prefix-list-id ID</c>, which does not repeat the id.
/// </summary>
public sealed record AwsImportInput
{
    public ImportFile? SecurityGroups { get; init; }
    public ImportFile? NetworkAcls { get; init; }
    public ImportFile? Subnets { get; init; }
    public ImportFile? NetworkInterfaces { get; init; }
    public ImportFile? Vpcs { get; init; }
    public IReadOnlyList<(string Id, ImportFile File)> PrefixLists { get; init; } = [];

    /// <summary>Import only this VPC's objects; needed when the files hold more than one VPC.</summary>
    public string? Vpc { get; init; }
}

/// <summary>
/// Builds a ruleset from AWS CLI output (issue 9, SPEC §6 <c>firewall import aws</c>). AWS ids become the
/// names (sg-…, acl-…, subnet-…, eni-…, pl-…), and AWS names and Name tags become descriptions. The
/// encoding rules are in <see cref="AwsEncoding"/>; what cannot be imported is reported in the notes.
/// </summary>
public static class AwsImporter
{
    /// <summary>describe-network-acls lists each direction's catch-all deny as rule 32767 (IPv4) and 32768 (IPv6): the <c>*</c> rule.</summary>
    public const int StarRuleV4 = 32767;
    public const int StarRuleV6 = 32768;

    public static ImportResult Import(AwsImportInput input)
    {
        var notes = new ImportNotes();
        var docs = new List<(ImportFile File, JsonDocument Doc)>();
        JsonElement? Open(ImportFile? file)
        {
            if (file is null || JsonInput.Parse(file.Text, file.Path, notes) is not { } doc)
            {
                return null;
            }
            docs.Add((file, doc));
            return doc.RootElement;
        }

        try
        {
            var sgs = Open(input.SecurityGroups);
            var acls = Open(input.NetworkAcls);
            var subnets = Open(input.Subnets);
            var enis = Open(input.NetworkInterfaces);
            var vpcs = Open(input.Vpcs);
            var prefixLists = input.PrefixLists.Select(p => (p.Id, p.File, Root: Open(p.File))).ToList();
            if (notes.HasErrors)
            {
                return Failed(notes);
            }

            var collections = new (JsonElement? Root, ImportFile? File, string Array)[]
            {
                (sgs, input.SecurityGroups, "SecurityGroups"),
                (acls, input.NetworkAcls, "NetworkAcls"),
                (subnets, input.Subnets, "Subnets"),
                (enis, input.NetworkInterfaces, "NetworkInterfaces"),
                (vpcs, input.Vpcs, "Vpcs"),
            };
            foreach (var (root, file, array) in collections)
            {
                if (root is { } r && (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty(array, out _)))
                {
                    notes.Error(file!.Path, $"expected the output of 'aws ec2 describe-{Kebab(array)}': an object with a '{array}' array");
                }
            }
            if (notes.HasErrors)
            {
                return Failed(notes);
            }

            if (ChooseVpc(collections, input.Vpc, notes) is not { } vpc)
            {
                return Failed(notes);
            }
            bool InVpc(JsonElement item) =>
                vpc.Length == 0 || JsonInput.String(item, "VpcId", "", notes) is not { } v || v == vpc;

            var draft = new RulesetDraft { Name = vpc.Length > 0 ? vpc : "aws-import" };
            draft.Description = "Imported from AWS CLI output (firewall import aws)";

            foreach (var (id, file, root) in prefixLists)
            {
                ReadPrefixList(draft, id, file, root!.Value, notes);
            }
            if (vpcs is { } vpcRoot)
            {
                ReadVpc(draft, vpcRoot, input.Vpcs!.Path, vpc, notes);
            }
            if (sgs is { } sgRoot)
            {
                foreach (var (g, path) in JsonInput.Array(sgRoot, "SecurityGroups", input.SecurityGroups!.Path + ":", notes))
                {
                    if (InVpc(g))
                    {
                        ReadGroup(draft, g, path, notes);
                    }
                }
            }
            if (acls is { } aclRoot)
            {
                foreach (var (a, path) in JsonInput.Array(aclRoot, "NetworkAcls", input.NetworkAcls!.Path + ":", notes))
                {
                    if (InVpc(a))
                    {
                        ReadAcl(draft, a, path, notes);
                    }
                }
            }
            if (subnets is { } subnetRoot)
            {
                foreach (var (s, path) in JsonInput.Array(subnetRoot, "Subnets", input.Subnets!.Path + ":", notes))
                {
                    if (InVpc(s))
                    {
                        ReadSubnet(draft, s, path, notes);
                    }
                }
                AssociateAcls(draft, acls, input.NetworkAcls?.Path ?? "", notes);
            }
            else if (draft.Acls.Count > 0)
            {
                notes.Warning("import", "no --subnets given: the network ACLs are imported but attached to no subnet, so no traffic meets them");
            }
            if (enis is { } eniRoot)
            {
                foreach (var (e, path) in JsonInput.Array(eniRoot, "NetworkInterfaces", input.NetworkInterfaces!.Path + ":", notes))
                {
                    if (InVpc(e))
                    {
                        ReadInterface(draft, e, path, notes);
                    }
                }
            }
            else if (draft.Groups.Count > 0)
            {
                notes.Warning("import", "no --network-interfaces given: the security groups are imported but carried by no interface, so no traffic meets them and sg: references match no address");
            }
            return RulesetAssembler.Assemble(draft, notes);
        }
        finally
        {
            foreach (var (_, doc) in docs)
            {
                doc.Dispose();
            }
        }
    }

    private static ImportResult Failed(ImportNotes notes) =>
        new(null, new Dictionary<string, string>(), new Dictionary<string, string>(), notes.All);

    private static string Kebab(string name) => name switch
    {
        "SecurityGroups" => "security-groups",
        "NetworkAcls" => "network-acls",
        "NetworkInterfaces" => "network-interfaces",
        "Subnets" => "subnets",
        _ => "vpcs",
    };

    /// <summary>
    /// The VPC to import: the one asked for, or the only one the files mention. Subnets of different VPCs
    /// may overlap and groups of one VPC cannot be used in another (VPC "Security groups"), so a
    /// ruleset describes one VPC. "" when no object names a VPC.
    /// </summary>
    private static string? ChooseVpc((JsonElement? Root, ImportFile? File, string Array)[] collections, string? wanted, ImportNotes notes)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (root, file, array) in collections)
        {
            if (root is not { } r)
            {
                continue;
            }
            foreach (var (item, path) in JsonInput.Array(r, array, file!.Path + ":", notes))
            {
                if (JsonInput.String(item, "VpcId", path, notes) is { } id)
                {
                    seen.Add(id);
                }
            }
        }
        if (wanted is not null)
        {
            if (!seen.Contains(wanted))
            {
                notes.Error("import", $"--vpc {wanted}: no object in the input belongs to it; the input holds {(seen.Count == 0 ? "no VPC ids" : string.Join(", ", seen))}");
                return null;
            }
            return wanted;
        }
        if (seen.Count > 1)
        {
            notes.Error("import", $"the input holds objects of {seen.Count} VPCs ({string.Join(", ", seen)}); a ruleset models one VPC: choose it with --vpc");
            return null;
        }
        return seen.Count == 1 ? seen.Min! : "";
    }

    private static void ReadPrefixList(RulesetDraft draft, string id, ImportFile file, JsonElement root, ImportNotes notes)
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

    private static void ReadVpc(RulesetDraft draft, JsonElement root, string file, string vpc, ImportNotes notes)
    {
        foreach (var (v, path) in JsonInput.Array(root, "Vpcs", file + ":", notes))
        {
            var id = JsonInput.String(v, "VpcId", path, notes);
            if (vpc.Length > 0 && id != vpc)
            {
                continue;
            }
            // The primary CIDR locates the Amazon DNS resolver at its base + 2 (VPC "Amazon DNS server").
            if (AwsEncoding.Cidr(JsonInput.String(v, "CidrBlock", path, notes), path, notes) is { } cidr && !cidr.IsV6)
            {
                draft.VpcCidr = cidr;
            }
            if (JsonInput.Tag(v, "Tags", "Name", path, notes) is { } name)
            {
                draft.Description = $"{name} ({id}), imported from AWS CLI output (firewall import aws)";
            }
            return;
        }
    }

    private static void ReadGroup(RulesetDraft draft, JsonElement g, string path, ImportNotes notes)
    {
        if (JsonInput.String(g, "GroupId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a security group without GroupId; left out");
            return;
        }
        var parts = new[] { JsonInput.String(g, "GroupName", path, notes), JsonInput.Tag(g, "Tags", "Name", path, notes), JsonInput.String(g, "Description", path, notes) }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
        var group = new DraftGroup(id, draft.GroupNames.Claim(id), parts.Count == 0 ? null : string.Join(": ", parts), path);
        draft.Groups.Add(group);
        foreach (var (direction, array) in new[] { (Direction.Inbound, "IpPermissions"), (Direction.Outbound, "IpPermissionsEgress") })
        {
            foreach (var (permission, permissionPath) in JsonInput.Array(g, array, path, notes))
            {
                ReadPermission(group, direction, permission, permissionPath, notes);
            }
        }
    }

    /// <summary>
    /// One IpPermission holds one protocol/port match and any number of peers; each peer becomes one rule,
    /// in the order IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs, keeping each peer's description.
    /// </summary>
    private static void ReadPermission(DraftGroup group, Direction direction, JsonElement p, string path, ImportNotes notes)
    {
        var match = AwsEncoding.SecurityGroup(
            JsonInput.String(p, "IpProtocol", path, notes), JsonInput.Long(p, "FromPort", path, notes), JsonInput.Long(p, "ToPort", path, notes), path, notes);
        if (match is not { } m)
        {
            return;
        }
        var peers = 0;
        foreach (var (range, rangePath) in JsonInput.Array(p, "IpRanges", path, notes).Concat(JsonInput.Array(p, "Ipv6Ranges", path, notes)))
        {
            peers++;
            var text = JsonInput.String(range, "CidrIp", rangePath, notes) ?? JsonInput.String(range, "CidrIpv6", rangePath, notes);
            if (AwsEncoding.Cidr(text, rangePath, notes) is { } cidr)
            {
                group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForCidr(cidr), Description(range, rangePath, notes), rangePath));
            }
        }
        foreach (var (list, listPath) in JsonInput.Array(p, "PrefixListIds", path, notes))
        {
            peers++;
            if (JsonInput.String(list, "PrefixListId", listPath, notes) is { Length: > 0 } id)
            {
                group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForPrefixList(id), Description(list, listPath, notes), listPath));
            }
            else
            {
                notes.Error(listPath, "a prefix list reference without PrefixListId; left out");
            }
        }
        foreach (var (pair, pairPath) in JsonInput.Array(p, "UserIdGroupPairs", path, notes))
        {
            peers++;
            if (JsonInput.String(pair, "GroupId", pairPath, notes) is not { Length: > 0 } id)
            {
                notes.Error(pairPath, "a security group reference without GroupId; left out");
                continue;
            }
            if (JsonInput.String(pair, "PeeringStatus", pairPath, notes) is { } status && status != "active")
            {
                notes.Warning(pairPath, $"the peering of referenced group {id} is '{status}'");
            }
            group.Rules.Add(new DraftSgRule(direction, m, DraftPeer.ForGroup(id), Description(pair, pairPath, notes), pairPath));
        }
        if (peers == 0)
        {
            notes.Warning(path, "a permission with no IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs matches nothing; left out");
        }
    }

    private static string? Description(JsonElement obj, string path, ImportNotes notes) =>
        JsonInput.String(obj, "Description", path, notes) is { Length: > 0 } d ? d : null;

    private static void ReadAcl(RulesetDraft draft, JsonElement a, string path, ImportNotes notes)
    {
        if (JsonInput.String(a, "NetworkAclId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a network ACL without NetworkAclId; left out");
            return;
        }
        var parts = new List<string>();
        if (JsonInput.Tag(a, "Tags", "Name", path, notes) is { Length: > 0 } name)
        {
            parts.Add(name);
        }
        if (JsonInput.Bool(a, "IsDefault", path, notes) == true)
        {
            parts.Add("the VPC's default network ACL");
        }
        var acl = new DraftAcl(id, draft.AclNames.Claim(id), parts.Count == 0 ? null : string.Join("; ", parts), path);
        draft.Acls.Add(acl);
        foreach (var (entry, entryPath) in JsonInput.Array(a, "Entries", path, notes))
        {
            ReadEntry(acl, entry, entryPath, notes);
        }
    }

    private static void ReadEntry(DraftAcl acl, JsonElement e, string path, ImportNotes notes)
    {
        var number = JsonInput.Long(e, "RuleNumber", path, notes);
        var egress = JsonInput.Bool(e, "Egress", path, notes);
        var actionText = JsonInput.String(e, "RuleAction", path, notes);
        if (number is null || egress is null || actionText is null)
        {
            notes.Error(path, "an entry needs RuleNumber, Egress and RuleAction; left out");
            return;
        }
        if (actionText is not ("allow" or "deny"))
        {
            notes.Error(path, $"RuleAction '{actionText}': expected allow or deny; left out");
            return;
        }
        var action = actionText == "allow" ? NaclAction.Allow : NaclAction.Deny;
        var cidrText = JsonInput.String(e, "CidrBlock", path, notes) ?? JsonInput.String(e, "Ipv6CidrBlock", path, notes);
        var protocolText = JsonInput.String(e, "Protocol", path, notes);
        if (number is StarRuleV4 or StarRuleV6)
        {
            // The catch-all deny AWS adds to every NACL (VPC "Network ACL rules"): our format has it implicitly.
            if (action != NaclAction.Deny || protocolText != "-1" || cidrText is not ("0.0.0.0/0" or "::/0"))
            {
                notes.Warning(path, $"rule {number} is AWS's '*' rule, which always denies all traffic; this one reads '{actionText} {protocolText} {cidrText}' and is treated as the '*' deny");
            }
            return;
        }
        if (number is < 1 or > 32766)
        {
            notes.Error(path, $"rule number {number}: expected 1-32766 (API CreateNetworkAclEntry); left out");
            return;
        }
        if (AwsEncoding.Cidr(cidrText, path, notes) is not { } cidr)
        {
            return;
        }
        var ports = JsonInput.Object(e, "PortRange", path, notes);
        var icmp = JsonInput.Object(e, "IcmpTypeCode", path, notes);
        var match = AwsEncoding.NetworkAcl(
            protocolText,
            ports is { } pr ? JsonInput.Long(pr, "From", path + ".PortRange", notes) : null,
            ports is { } pt ? JsonInput.Long(pt, "To", path + ".PortRange", notes) : null,
            icmp is { } it ? JsonInput.Long(it, "Type", path + ".IcmpTypeCode", notes) : null,
            icmp is { } ic ? JsonInput.Long(ic, "Code", path + ".IcmpTypeCode", notes) : null,
            path, notes);
        if (match is { } m)
        {
            acl.Rules.Add(new DraftNaclRule(egress.Value ? Direction.Outbound : Direction.Inbound, (int)number, action, m, cidr, null, path));
        }
    }

    private static void ReadSubnet(RulesetDraft draft, JsonElement s, string path, ImportNotes notes)
    {
        if (JsonInput.String(s, "SubnetId", path, notes) is not { Length: > 0 } id)
        {
            notes.Error(path, "a subnet without SubnetId; left out");
            return;
        }
        Cidr? v4 = JsonInput.Has(s, "CidrBlock") ? AwsEncoding.Cidr(JsonInput.String(s, "CidrBlock", path, notes), path, notes) : null;
        Cidr? v6 = null;
        foreach (var (assoc, assocPath) in JsonInput.Array(s, "Ipv6CidrBlockAssociationSet", path, notes))
        {
            var state = JsonInput.Object(assoc, "Ipv6CidrBlockState", assocPath, notes) is { } st ? JsonInput.String(st, "State", assocPath, notes) : null;
            if (state is not (null or "associated"))
            {
                continue;
            }
            if (AwsEncoding.Cidr(JsonInput.String(assoc, "Ipv6CidrBlock", assocPath, notes), assocPath, notes) is { IsV6: true } c)
            {
                v6 ??= c;
            }
        }
        var parts = new[] { JsonInput.Tag(s, "Tags", "Name", path, notes), JsonInput.String(s, "AvailabilityZone", path, notes) }
            .Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        draft.Subnets.Add(new DraftSubnet(id, draft.SubnetNames.Claim(id), v4, v6, parts.Count == 0 ? null : string.Join(", ", parts), path));
    }

    /// <summary>NACL Associations name the subnets each ACL is attached to (every subnet has exactly one).</summary>
    private static void AssociateAcls(RulesetDraft draft, JsonElement? acls, string file, ImportNotes notes)
    {
        if (acls is not { } root)
        {
            return;
        }
        foreach (var (a, path) in JsonInput.Array(root, "NetworkAcls", file + ":", notes))
        {
            var id = JsonInput.String(a, "NetworkAclId", path, notes);
            if (id is null || draft.FindAcl(id) is null)
            {
                continue;
            }
            foreach (var (assoc, assocPath) in JsonInput.Array(a, "Associations", path, notes))
            {
                var subnetId = JsonInput.String(assoc, "SubnetId", assocPath, notes);
                if (draft.Subnets.FirstOrDefault(s => s.Key == subnetId) is { } subnet)
                {
                    if (subnet.AclKey is { } other && other != id)
                    {
                        notes.Warning(assocPath, $"subnet {subnetId} is associated with {other} and {id}; a subnet has one network ACL, the first is kept");
                        continue;
                    }
                    subnet.AclKey = id;
                }
            }
        }
    }

    private static void ReadInterface(RulesetDraft draft, JsonElement e, string path, ImportNotes notes)
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
