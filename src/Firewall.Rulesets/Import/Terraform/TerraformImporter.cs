using System.Text.Json;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import.Aws;

namespace Firewall.Rulesets.Import.Terraform;

/// <summary>
/// Builds a ruleset from a Terraform plan (<c>terraform show -json PLAN</c>) for the AWS provider's
/// resources: <c>aws_security_group</c> (inline ingress/egress), <c>aws_security_group_rule</c>,
/// <c>aws_vpc_security_group_ingress_rule</c>/<c>_egress_rule</c>, <c>aws_network_acl</c> (inline),
/// <c>aws_network_acl_rule</c>, <c>aws_network_acl_association</c>, <c>aws_ec2_managed_prefix_list</c>
/// (inline entries), <c>aws_ec2_managed_prefix_list_entry</c>, <c>aws_subnet</c>,
/// <c>aws_network_interface</c>, <c>aws_instance</c> and <c>aws_vpc</c>.
/// <para>
/// Objects are named by their id when the plan knows it (a resource that already exists) and by their
/// resource address otherwise. A value known only after apply is never guessed: an id that another
/// resource refers to is taken from the configuration's reference (<c>aws_security_group.web.id</c>) when
/// that names exactly one resource of the plan; anything else unknown is reported with its resource
/// address, and the rule or object that needed it is left out.
/// </para>
/// </summary>
public static class TerraformImporter
{
    public static ImportResult Import(ImportFile plan)
    {
        var notes = new ImportNotes();
        using var doc = JsonInput.Parse(plan.Text, plan.Path, notes);
        if (doc is null)
        {
            return Failed(notes);
        }
        var tf = TerraformPlan.Read(doc.RootElement, plan.Path, notes);
        if (notes.HasErrors && tf.Resources.Count == 0)
        {
            return Failed(notes);
        }
        return new Reader(tf, notes).Build(plan.Path);
    }

    private static ImportResult Failed(ImportNotes notes) =>
        new(null, new Dictionary<string, string>(), new Dictionary<string, string>(), notes.All);

    private sealed class Reader(TerraformPlan plan, ImportNotes notes)
    {
        private readonly RulesetDraft _draft = new()
        {
            Name = "terraform-plan",
            WherePrefixListEntriesComeFrom = _ =>
                "the plan holds the entries of its aws_ec2_managed_prefix_list resources only, not those of an AWS-managed list, a data source or a list of another configuration",
        };

        /// <summary>Draft key (the resource address) of every resource whose id is known, by id.</summary>
        private readonly Dictionary<string, string> _byId = new(StringComparer.Ordinal);

        /// <summary>
        /// The standalone rule and entry resources of the plan, and those it deletes, by the group, ACL or
        /// prefix list they belong to and the attribute they add to (ingress, egress, entry).
        /// </summary>
        private readonly Dictionary<(string Owner, string Attr), (List<string> Managing, List<string> Deleted)> _separate = [];

        public ImportResult Build(string file)
        {
            _draft.Description = $"Imported from the Terraform plan {Path.GetFileName(file)} (firewall import terraform)";
            foreach (var r in plan.Resources)
            {
                if (!r.Values.IsUnknown("id") && r.Values.Str("id") is { Length: > 0 } id)
                {
                    _byId.TryAdd(id, r.Address);
                }
            }
            foreach (var r in plan.Resources)
            {
                IndexSeparate(r, deleted: false);
            }
            foreach (var r in plan.Deleted)
            {
                IndexSeparate(r, deleted: true);
            }
            var vpcs = plan.Resources.Where(r => r.Type == "aws_vpc").ToList();
            if (vpcs.Count == 1)
            {
                var v = vpcs[0].Values;
                if (v.IsUnknown("cidr_block"))
                {
                    Unknown(vpcs[0], "cidr_block", "vpc_cidr is left unset");
                }
                else if (v.Str("cidr_block") is { } text && AwsEncoding.Cidr(text, vpcs[0].Address, notes) is { IsV6: false } cidr)
                {
                    _draft.VpcCidr = cidr;
                }
            }
            else if (vpcs.Count > 1)
            {
                notes.Info("import", $"the plan has {vpcs.Count} aws_vpc resources; vpc_cidr is left unset");
            }

            foreach (var r in plan.Resources)
            {
                switch (r.Type)
                {
                    case "aws_security_group": ReadGroup(r); break;
                    case "aws_network_acl": ReadAcl(r); break;
                    case "aws_subnet": ReadSubnet(r); break;
                    case "aws_ec2_managed_prefix_list": ReadPrefixList(r); break;
                    case "aws_default_security_group" or "aws_default_network_acl" or "aws_network_interface_sg_attachment":
                        notes.Info(r.Address, $"{r.Type} is not imported");
                        break;
                }
            }
            // aws_network_acl.subnet_ids names the subnets an ACL is attached to.
            foreach (var r in plan.Resources.Where(a => a.Type == "aws_network_acl"))
            {
                foreach (var subnetKey in References(r, r.Values, "subnet_ids", topLevel: true))
                {
                    Associate(r, subnetKey, r.Address);
                }
            }
            foreach (var r in plan.Resources)
            {
                switch (r.Type)
                {
                    case "aws_security_group_rule": ReadGroupRule(r); break;
                    case "aws_vpc_security_group_ingress_rule": ReadVpcGroupRule(r, Direction.Inbound); break;
                    case "aws_vpc_security_group_egress_rule": ReadVpcGroupRule(r, Direction.Outbound); break;
                    case "aws_network_acl_rule": ReadAclRule(r); break;
                    case "aws_network_acl_association": ReadAclAssociation(r); break;
                    case "aws_ec2_managed_prefix_list_entry": ReadPrefixListEntry(r); break;
                    case "aws_network_interface": ReadInterface(r, "private_ips", "security_groups", NameOf(r), [r.Values.Str("description")]); break;
                    case "aws_instance": ReadInstance(r); break;
                }
            }
            return RulesetAssembler.Assemble(_draft, notes);
        }

        private void Unknown(TfResource r, string attr, string consequence) =>
            notes.Warning(r.Address, $"{attr} is known only after apply; {consequence}");

        private string NameOf(TfResource r) =>
            !r.Values.IsUnknown("id") && r.Values.Str("id") is { Length: > 0 } id ? id : r.Address;

        /// <summary>A single reference attribute (an id) as draft keys: the resource it names, or the id itself when it is not in the plan.</summary>
        private List<string> References(TfResource r, TfObject values, string attr, bool topLevel)
        {
            var keys = new List<string>();
            var ids = IsList(values, attr) ? values.Strings(attr) : values.Str(attr) is { Length: > 0 } single ? [single] : [];
            foreach (var id in ids)
            {
                keys.Add(_byId.GetValueOrDefault(id, id));
            }
            if (values.IsUnknown(attr))
            {
                var resolved = topLevel ? plan.ReferencedIds(r, attr) : [];
                if (resolved.Count > 0)
                {
                    notes.Info(values.Where, $"{attr} is known only after apply; taken from the configuration's reference to {string.Join(", ", resolved)}");
                    keys.AddRange(resolved.Where(a => !keys.Contains(a)));
                }
                else
                {
                    notes.Warning(values.Where, $"{attr} is known only after apply and the configuration does not name the resource it comes from; left out");
                }
            }
            return keys;
        }

        // ---- inline blocks that the provider also fills in ----

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
        private bool InlineBlocksAreConfigured(TfResource r, string attr, (string One, string Many) what)
        {
            var v = r.Values;
            var count = v.Blocks(attr).Count;
            var counted = count == 1 ? $"1 {what.One}" : $"{count} {what.Many}";
            var are = count == 1 ? "is" : "are";
            var unknown = v.IsUnknown(attr) && count == 0;
            if (plan.Sets(r, attr))
            {
                if (unknown)
                {
                    Unknown(r, attr, $"its inline {what.Many} are left out");
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
                    notes.Info(r.Address, $"{attr} is not among the configuration's expressions, but the plan {(r.Created ? "creates" : "changes")} it, so it comes from the configuration (a dynamic block, which Terraform's JSON output does not show); its {counted} {are} imported");
                }
                return true;
            }
            var (managing, deleted) = SeparateResources(r, attr);
            if (managing.Count + deleted.Count == 0)
            {
                if (count > 0)
                {
                    notes.Info(r.Address, $"{attr} is not among the configuration's expressions (set by a dynamic block, or {what.Many} made outside Terraform) and no resource of the plan manages its {what.Many} one by one: the {counted} the plan shows {are} imported");
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
                notes.Info(r.Address, message);
            }
            return false;
        }

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
            var owners = s.Values.Peek(ownerAttr) is { Length: > 0 } id && _byId.TryGetValue(id, out var owner) ? [owner]
                : s.Values.IsUnknown(ownerAttr) ? plan.ReferencedIds(s, ownerAttr)
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

        private static bool IsList(TfObject values, string attr) =>
            values.Values.ValueKind == JsonValueKind.Object
            && values.Values.TryGetProperty(attr, out var v) && v.ValueKind == JsonValueKind.Array;

        // ---- security groups ----

        private void ReadGroup(TfResource r)
        {
            var v = r.Values;
            var parts = new[] { v.Str("name"), v.Tag("Name"), v.Str("description") }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct().ToList();
            var description = string.Join(": ", parts.Prepend(r.Address));
            var group = new DraftGroup(r.Address, _draft.GroupNames.Claim(NameOf(r)), description, r.Address);
            _draft.Groups.Add(group);
            foreach (var (attr, direction) in new[] { ("ingress", Direction.Inbound), ("egress", Direction.Outbound) })
            {
                if (!InlineBlocksAreConfigured(r, attr, ("rule", "rules")))
                {
                    continue;
                }
                foreach (var block in v.Blocks(attr))
                {
                    AddClassicRule(r, group, direction, block, selfAllowed: true, inline: true);
                }
            }
        }

        /// <summary>
        /// The shape shared by inline ingress/egress blocks and aws_security_group_rule: one port match and
        /// any number of peers (cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security_groups or
        /// source_security_group_id, self), each peer one rule, as with the EC2 API's IpPermission.
        /// </summary>
        private void AddClassicRule(TfResource r, DraftGroup group, Direction direction, TfObject b, bool selfAllowed, bool inline)
        {
            foreach (var attr in new[] { "protocol", "from_port", "to_port" })
            {
                if (b.IsUnknown(attr))
                {
                    notes.Warning(b.Where, $"{attr} is known only after apply; the rule is left out");
                    return;
                }
            }
            if (AwsEncoding.SecurityGroup(b.Str("protocol"), b.Long("from_port"), b.Long("to_port"), b.Where, notes) is not { } match)
            {
                return;
            }
            var description = b.Str("description") is { Length: > 0 } d ? d : inline ? null : r.Address;
            var peers = 0;
            foreach (var attr in new[] { "cidr_blocks", "ipv6_cidr_blocks" })
            {
                if (b.IsUnknown(attr))
                {
                    notes.Warning(b.Where, $"{attr} is known only after apply; those peers are left out");
                }
                foreach (var text in b.Strings(attr))
                {
                    peers++;
                    if (AwsEncoding.Cidr(text, b.Where, notes) is { } cidr)
                    {
                        group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForCidr(cidr), description, b.Where));
                    }
                }
            }
            foreach (var key in References(r, b, "prefix_list_ids", !inline))
            {
                peers++;
                group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForPrefixList(key), description, b.Where));
            }
            foreach (var key in References(r, b, inline ? "security_groups" : "source_security_group_id", !inline))
            {
                peers++;
                group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForGroup(key), description, b.Where));
            }
            if (selfAllowed && b.Bool("self") == true)
            {
                peers++;
                group.Rules.Add(new DraftSgRule(direction, match, DraftPeer.ForGroup(group.Key), description, b.Where));
            }
            if (peers == 0 && !b.IsUnknown("cidr_blocks") && !b.IsUnknown("ipv6_cidr_blocks"))
            {
                notes.Warning(b.Where, "a rule with no peer (no cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security group or self) matches nothing; left out");
            }
        }

        private DraftGroup? TargetGroup(TfResource r)
        {
            var keys = References(r, r.Values, "security_group_id", topLevel: true);
            if (keys.Count == 0)
            {
                return null;
            }
            if (_draft.FindGroup(keys[0]) is { } group)
            {
                return group;
            }
            notes.Warning(r.Address, $"security group '{keys[0]}' is not in the plan; the rule is left out");
            return null;
        }

        private void ReadGroupRule(TfResource r)
        {
            var direction = r.Values.Str("type") switch
            {
                "ingress" => Direction.Inbound,
                "egress" => Direction.Outbound,
                var other => (Direction?)null,
            };
            if (direction is null)
            {
                notes.Error(r.Address, $"type '{r.Values.Str("type")}': expected ingress or egress; left out");
                return;
            }
            if (TargetGroup(r) is { } group)
            {
                AddClassicRule(r, group, direction.Value, r.Values, selfAllowed: true, inline: false);
            }
        }

        /// <summary>aws_vpc_security_group_ingress_rule / _egress_rule: one rule, one peer.</summary>
        private void ReadVpcGroupRule(TfResource r, Direction direction)
        {
            if (TargetGroup(r) is not { } group)
            {
                return;
            }
            var v = r.Values;
            foreach (var attr in new[] { "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6" })
            {
                if (v.IsUnknown(attr))
                {
                    Unknown(r, attr, "the rule is left out");
                    return;
                }
            }
            if (AwsEncoding.SecurityGroup(v.Str("ip_protocol"), v.Long("from_port"), v.Long("to_port"), r.Address, notes) is not { } match)
            {
                return;
            }
            var description = v.Str("description") is { Length: > 0 } d ? d : r.Address;
            var peers = new List<DraftPeer>();
            foreach (var attr in new[] { "cidr_ipv4", "cidr_ipv6" })
            {
                if (v.Str(attr) is { Length: > 0 } text && AwsEncoding.Cidr(text, r.Address, notes) is { } cidr)
                {
                    peers.Add(DraftPeer.ForCidr(cidr));
                }
            }
            peers.AddRange(References(r, v, "prefix_list_id", topLevel: true).Select(DraftPeer.ForPrefixList));
            peers.AddRange(References(r, v, "referenced_security_group_id", topLevel: true).Select(DraftPeer.ForGroup));
            if (peers.Count != 1)
            {
                notes.Warning(r.Address, peers.Count == 0
                    ? "the rule names no peer that is known before apply; left out"
                    : "the rule names more than one of cidr_ipv4, cidr_ipv6, prefix_list_id and referenced_security_group_id; AWS allows one; left out");
                return;
            }
            group.Rules.Add(new DraftSgRule(direction, match, peers[0], description, r.Address));
        }

        // ---- prefix lists ----

        private void ReadPrefixList(TfResource r)
        {
            var cidrs = new List<Cidr>();
            _draft.PrefixLists[r.Address] = (_draft.PrefixListNames.Claim(NameOf(r)), cidrs);
            if (!InlineBlocksAreConfigured(r, "entry", ("entry", "entries")))
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

        private void ReadPrefixListEntry(TfResource r)
        {
            var keys = References(r, r.Values, "prefix_list_id", topLevel: true);
            if (keys.Count == 0)
            {
                return;
            }
            if (!_draft.PrefixLists.TryGetValue(keys[0], out var list))
            {
                notes.Warning(r.Address, $"prefix list '{keys[0]}' is not in the plan; the entry is left out");
                return;
            }
            if (r.Values.IsUnknown("cidr"))
            {
                Unknown(r, "cidr", "the entry is left out");
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

        // ---- network ACLs ----

        private void ReadAcl(TfResource r)
        {
            var v = r.Values;
            var acl = new DraftAcl(r.Address, _draft.AclNames.Claim(NameOf(r)), string.Join(": ", new[] { r.Address, v.Tag("Name") }.Where(p => !string.IsNullOrWhiteSpace(p))), r.Address);
            _draft.Acls.Add(acl);
            foreach (var (attr, direction) in new[] { ("ingress", Direction.Inbound), ("egress", Direction.Outbound) })
            {
                if (!InlineBlocksAreConfigured(r, attr, ("rule", "rules")))
                {
                    continue;
                }
                foreach (var b in v.Blocks(attr))
                {
                    AddAclRule(acl, direction, b, b.Long("rule_no"), b.Str("action"), null);
                }
            }
        }

        private void AddAclRule(DraftAcl acl, Direction direction, TfObject b, long? number, string? action, string? description)
        {
            foreach (var attr in new[] { "protocol", "cidr_block", "ipv6_cidr_block", "from_port", "to_port", "icmp_type", "icmp_code", "rule_no", "rule_number" })
            {
                if (b.IsUnknown(attr))
                {
                    notes.Warning(b.Where, $"{attr} is known only after apply; the rule is left out");
                    return;
                }
            }
            if (number is not (>= 1 and <= 32766))
            {
                notes.Error(b.Where, $"rule number {number?.ToString() ?? "(none)"}: expected 1-32766; left out");
                return;
            }
            if (action is not ("allow" or "deny"))
            {
                notes.Error(b.Where, $"action '{action}': expected allow or deny; left out");
                return;
            }
            var cidrText = b.Str("cidr_block") is { Length: > 0 } v4 ? v4 : b.Str("ipv6_cidr_block");
            if (AwsEncoding.Cidr(cidrText, b.Where, notes) is not { } cidr)
            {
                return;
            }
            var protocol = b.Str("protocol");
            // The provider writes icmp_type/icmp_code as 0 when unset; they mean something only for ICMP rules.
            var icmp = protocol?.ToLowerInvariant() is "icmp" or "1" or "icmpv6" or "58";
            var match = AwsEncoding.NetworkAcl(
                protocol, b.Long("from_port"), b.Long("to_port"),
                icmp ? b.Long("icmp_type") : null, icmp ? b.Long("icmp_code") : null, b.Where, notes);
            if (match is { } m)
            {
                acl.Rules.Add(new DraftNaclRule(direction, (int)number.Value, action == "allow" ? NaclAction.Allow : NaclAction.Deny, m, cidr, description, b.Where));
            }
        }

        private void ReadAclRule(TfResource r)
        {
            var keys = References(r, r.Values, "network_acl_id", topLevel: true);
            if (keys.Count == 0)
            {
                return;
            }
            if (_draft.FindAcl(keys[0]) is not { } acl)
            {
                notes.Warning(r.Address, $"network ACL '{keys[0]}' is not in the plan; the rule is left out");
                return;
            }
            var direction = r.Values.Bool("egress") == true ? Direction.Outbound : Direction.Inbound;
            AddAclRule(acl, direction, r.Values, r.Values.Long("rule_number"), r.Values.Str("rule_action"), r.Address);
        }

        private void ReadAclAssociation(TfResource r)
        {
            var acl = References(r, r.Values, "network_acl_id", topLevel: true).FirstOrDefault();
            foreach (var subnetKey in References(r, r.Values, "subnet_id", topLevel: true))
            {
                Associate(r, subnetKey, acl);
            }
        }

        private void Associate(TfResource r, string subnetKey, string? aclKey)
        {
            if (_draft.Subnets.FirstOrDefault(s => s.Key == subnetKey) is not { } subnet)
            {
                notes.Warning(r.Address, $"subnet '{subnetKey}' is not in the plan; its ACL association is left out");
                return;
            }
            if (aclKey is not null && _draft.FindAcl(aclKey) is null)
            {
                notes.Warning(r.Address, $"network ACL '{aclKey}' is not in the plan");
                return;
            }
            subnet.AclKey = aclKey;
        }

        // ---- subnets and interfaces ----

        private void ReadSubnet(TfResource r)
        {
            var v = r.Values;
            Cidr? v4 = null, v6 = null;
            if (v.IsUnknown("cidr_block"))
            {
                Unknown(r, "cidr_block", "the subnet has no IPv4 CIDR here");
            }
            else if (v.Str("cidr_block") is { Length: > 0 } text)
            {
                v4 = AwsEncoding.Cidr(text, r.Address, notes);
            }
            if (v.IsUnknown("ipv6_cidr_block"))
            {
                Unknown(r, "ipv6_cidr_block", "the subnet has no IPv6 CIDR here");
            }
            else if (v.Str("ipv6_cidr_block") is { Length: > 0 } text6)
            {
                v6 = AwsEncoding.Cidr(text6, r.Address, notes);
            }
            var description = string.Join(", ", new[] { v.Tag("Name"), v.Str("availability_zone"), r.Address }.Where(p => !string.IsNullOrWhiteSpace(p)));
            _draft.Subnets.Add(new DraftSubnet(r.Address, _draft.SubnetNames.Claim(NameOf(r)), v4 is { IsV6: false } ? v4 : null, v6 is { IsV6: true } ? v6 : null, description, r.Address));
        }

        /// <summary>
        /// An instance is imported as its primary network interface (addresses, subnet, groups). Where the
        /// plan knows that interface's id (<c>primary_network_interface_id</c>, an existing instance) the
        /// interface is named by it, as <c>import aws</c> names it; and when that interface is an
        /// aws_network_interface of the plan (attached at launch as device 0), it is imported once, from
        /// that resource, which is where its groups and addresses are configured. Otherwise the interface
        /// is named by the instance, as before.
        /// </summary>
        private void ReadInstance(TfResource r)
        {
            var v = r.Values;
            if (v.IsUnknown("primary_network_interface_id") || v.Str("primary_network_interface_id") is not { Length: > 0 } eniId)
            {
                ReadInterface(r, "private_ip", "vpc_security_group_ids", NameOf(r), []);
                return;
            }
            if (_byId.TryGetValue(eniId, out var owner) && plan.Find(owner) is { Type: "aws_network_interface" })
            {
                notes.Info(r.Address, $"its primary network interface {eniId} is {owner}; imported once, from that resource");
                return;
            }
            var instanceId = NameOf(r);
            ReadInterface(r, "private_ip", "vpc_security_group_ids", eniId, [instanceId == r.Address ? null : instanceId]);
        }

        private void ReadInterface(TfResource r, string addressesAttr, string groupsAttr, string name, string?[] moreDescription)
        {
            var v = r.Values;
            var description = string.Join("; ", new[] { v.Tag("Name") }.Concat(moreDescription).Append(r.Address).Where(p => !string.IsNullOrWhiteSpace(p)).Distinct());
            var eni = new DraftInterface(_draft.InterfaceNames.Claim(name), description, r.Address);
            var subnetKeys = References(r, v, "subnet_id", topLevel: true);
            eni.SubnetKey = subnetKeys.FirstOrDefault();
            var texts = new List<string>();
            foreach (var attr in new[] { addressesAttr, "private_ip", "secondary_private_ips", "ipv6_addresses" }.Distinct())
            {
                // The provider marks ipv6_addresses and secondary_private_ips unknown on every new resource;
                // they hold addresses only when the configuration asks for some.
                var expected = attr switch
                {
                    "ipv6_addresses" => v.IsUnknown("ipv6_address_count") || v.Long("ipv6_address_count") > 0,
                    "secondary_private_ips" => v.IsUnknown("secondary_private_ip_count") || v.Long("secondary_private_ip_count") > 0,
                    // aws_network_interface: private_ip is the first of private_ips when those are given.
                    "private_ip" when attr != addressesAttr => !IsList(v, addressesAttr) || v.Strings(addressesAttr).Count == 0,
                    _ => true,
                };
                if (v.IsUnknown(attr) && expected)
                {
                    // AWS assigns addresses at creation unless the configuration fixes them.
                    Unknown(r, attr, "those addresses are not on the interface here");
                }
                if (IsList(v, attr))
                {
                    texts.AddRange(v.Strings(attr));
                }
                else if (v.Str(attr) is { Length: > 0 } single)
                {
                    texts.Add(single);
                }
            }
            foreach (var text in texts)
            {
                if (IpAddr.TryParse(text, out var address))
                {
                    if (!eni.Addresses.Contains(address))
                    {
                        eni.Addresses.Add(address);
                    }
                }
                else
                {
                    notes.Error(r.Address, $"'{text}' is not an IP address; left out");
                }
            }
            eni.GroupKeys.AddRange(References(r, v, groupsAttr, topLevel: true));
            _draft.Interfaces.Add(eni);
        }
    }
}
