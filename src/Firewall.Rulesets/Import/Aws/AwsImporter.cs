using System.Text.Json;

namespace Firewall.Rulesets.Import.Aws;

/// <summary>
/// Builds a ruleset from AWS CLI output (<c>firewall import aws</c>, docs/import.md). AWS ids become the
/// names (sg-…, acl-…, subnet-…, eni-…, pl-…), and AWS names and Name tags become descriptions. The
/// encoding rules are in <see cref="AwsEncoding"/>; what cannot be imported is reported in the notes.
/// </summary>
public static class AwsImporter
{
    public static ImportResult Import(AwsImportInput input)
    {
        var notes = new ImportNotes();
        var docs = new List<JsonDocument>();
        JsonElement? Open(ImportFile? file)
        {
            if (file is null || JsonInput.Parse(file.Text, file.Path, notes) is not { } doc)
            {
                return null;
            }
            docs.Add(doc);
            return doc.RootElement;
        }

        try
        {
            var collections = new Collection[]
            {
                new(Open(input.SecurityGroups), input.SecurityGroups, "SecurityGroups"),
                new(Open(input.NetworkAcls), input.NetworkAcls, "NetworkAcls"),
                new(Open(input.Subnets), input.Subnets, "Subnets"),
                new(Open(input.NetworkInterfaces), input.NetworkInterfaces, "NetworkInterfaces"),
                new(Open(input.Vpcs), input.Vpcs, "Vpcs"),
            };
            var prefixLists = input.PrefixLists.Select(p => (p.Id, p.File, Root: Open(p.File))).ToList();
            if (notes.HasErrors || !HaveTheirArrays(collections, notes) || ChooseVpc(collections, input.Vpc, notes) is not { } vpc)
            {
                return ImportResult.Failed(notes);
            }
            var draft = new RulesetDraft { Name = vpc.Length > 0 ? vpc : "aws-import" };
            draft.Description = "Imported from AWS CLI output (firewall import aws)";
            foreach (var (id, file, root) in prefixLists)
            {
                AwsPrefixListReader.ReadPrefixList(draft, id, file, root!.Value, notes);
            }
            Read(draft, collections, vpc, notes);
            return RulesetAssembler.Assemble(draft, notes);
        }
        finally
        {
            foreach (var doc in docs)
            {
                doc.Dispose();
            }
        }
    }

    /// <summary>One describe-… file: its parsed root (null when not given) and the name of its array.</summary>
    private sealed record Collection(JsonElement? Root, ImportFile? File, string Array);

    private static bool HaveTheirArrays(Collection[] collections, ImportNotes notes)
    {
        foreach (var (root, file, array) in collections)
        {
            if (root is { } r && (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty(array, out _)))
            {
                notes.Error(file!.Path, $"expected the output of 'aws ec2 describe-{Kebab(array)}': an object with a '{array}' array");
            }
        }
        return !notes.HasErrors;
    }

    /// <summary>The objects of <paramref name="vpc"/>, in the order their references need: VPC, groups, ACLs, subnets, interfaces.</summary>
    private static void Read(RulesetDraft draft, Collection[] collections, string vpc, ImportNotes notes)
    {
        var (sgs, acls, subnets, enis, vpcs) = (collections[0], collections[1], collections[2], collections[3], collections[4]);
        if (vpcs.Root is { } vpcRoot)
        {
            AwsVpcReader.ReadVpc(draft, vpcRoot, vpcs.File!.Path, vpc, notes);
        }
        ReadEach(sgs, vpc, notes, (g, path) => AwsSecurityGroupReader.ReadGroup(draft, g, path, notes));
        ReadEach(acls, vpc, notes, (a, path) => AwsNetworkAclReader.ReadAcl(draft, a, path, notes));
        if (subnets.Root is not null)
        {
            ReadEach(subnets, vpc, notes, (s, path) => AwsVpcReader.ReadSubnet(draft, s, path, notes));
            AwsNetworkAclReader.AssociateAcls(draft, acls.Root, acls.File?.Path ?? "", notes);
        }
        else if (draft.Acls.Count > 0)
        {
            notes.Warning("import", "no --subnets given: the network ACLs are imported but attached to no subnet, so no traffic meets them");
        }
        if (enis.Root is not null)
        {
            ReadEach(enis, vpc, notes, (e, path) => AwsInterfaceReader.ReadInterface(draft, e, path, notes));
        }
        else if (draft.Groups.Count > 0)
        {
            notes.Warning("import", "no --network-interfaces given: the security groups are imported but carried by no interface, so no traffic meets them and sg: references match no address");
        }
    }

    /// <summary>Reads each object of the collection that belongs to <paramref name="vpc"/> ("" takes all).</summary>
    private static void ReadEach(Collection collection, string vpc, ImportNotes notes, Action<JsonElement, string> read)
    {
        if (collection.Root is not { } root)
        {
            return;
        }
        foreach (var (item, path) in JsonInput.Array(root, collection.Array, collection.File!.Path + ":", notes))
        {
            if (vpc.Length == 0 || JsonInput.String(item, "VpcId", "", notes) is not { } v || v == vpc)
            {
                read(item, path);
            }
        }
    }

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
    private static string? ChooseVpc(Collection[] collections, string? wanted, ImportNotes notes)
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
}
