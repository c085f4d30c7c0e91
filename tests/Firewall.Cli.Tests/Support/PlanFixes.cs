using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Applies a printed Terraform fix to a plan (<c>terraform show -json</c>) as the next <c>terraform plan</c>
/// would show it once the block is in the configuration (Terraform "JSON Output Format"): an
/// <c>aws_network_acl_rule</c> resource becomes a <c>create</c> in <c>resource_changes</c>, its
/// <c>network_acl_id</c> the ACL's id when the plan knows it, else unknown with the configuration's
/// reference to the ACL; an inline <c>ingress</c>/<c>egress</c> block becomes one more block of the ACL's
/// <c>after</c> (every attribute present, "" and 0 where unset, as the provider writes them) and the
/// ACL's change an update.
/// </summary>
internal static partial class PlanFixes
{
    public static void Apply(JsonNode plan, PrintedFix fix)
    {
        foreach (var block in HclReader.Read(fix.Text))
        {
            switch (block.Header)
            {
                case ["resource", "aws_network_acl_rule", var name]:
                    var module = ConfigurationOf().Match(fix.Heading) is { Success: true } m ? m.Groups[1].Value : null;
                    AddRuleResource(plan, module, name, block.Attributes);
                    break;
                case [var side and ("ingress" or "egress")]:
                    var target = InlineTarget().Match(fix.Heading);
                    Assert.True(target.Success && target.Groups[2].Value == side, $"the heading names the ACL to add the {side} block to: {fix.Heading}");
                    AddInlineBlock(plan, target.Groups[1].Value, side, block.Attributes);
                    break;
                default:
                    throw new Xunit.Sdk.XunitException($"a block a fix does not print: {string.Join(' ', block.Header)}");
            }
        }
    }

    private static void AddRuleResource(JsonNode plan, string? module, string name, IReadOnlyDictionary<string, HclValue> attributes)
    {
        var prefix = module is null ? "" : module + ".";
        var after = new JsonObject();
        foreach (var key in new[] { "cidr_block", "egress", "from_port", "icmp_code", "icmp_type", "id", "ipv6_cidr_block", "network_acl_id", "protocol", "rule_action", "rule_number", "to_port" })
        {
            after[key] = attributes.TryGetValue(key, out var v) && v.Kind != HclKind.Reference ? Json(v) : null;
        }
        var unknown = new JsonObject { ["id"] = true };
        var aclReference = attributes["network_acl_id"];
        if (aclReference.Kind == HclKind.Reference)
        {
            Assert.EndsWith(".id", aclReference.Text);
            var aclAddress = prefix + aclReference.Text[..^3];
            var acl = Changes(plan).SingleOrDefault(c => (string?)c!["address"] == aclAddress);
            Assert.True(acl is not null, $"{aclReference.Text}: no {aclAddress} in the plan");
            if (acl["change"]!["after"]!["id"] is JsonValue id)
            {
                after["network_acl_id"] = id.GetValue<string>();
            }
            else
            {
                unknown["network_acl_id"] = true;
            }
            Configure(plan, module, name, aclReference.Text);
        }
        var change = new JsonObject
        {
            ["address"] = $"{prefix}aws_network_acl_rule.{name}",
            ["mode"] = "managed",
            ["type"] = "aws_network_acl_rule",
            ["name"] = name,
            ["provider_name"] = "registry.terraform.io/hashicorp/aws",
            ["change"] = new JsonObject
            {
                ["actions"] = new JsonArray("create"),
                ["before"] = null,
                ["after"] = after,
                ["after_unknown"] = unknown,
                ["before_sensitive"] = false,
                ["after_sensitive"] = new JsonObject(),
            },
        };
        if (module is not null)
        {
            change["module_address"] = module;
        }
        Changes(plan).Add(change);
    }

    /// <summary>The resource's block in <c>configuration</c>, with the reference Terraform records for <c>network_acl_id</c>.</summary>
    private static void Configure(JsonNode plan, string? module, string name, string reference)
    {
        var root = plan["configuration"]!["root_module"]!;
        var holder = module is null ? root : root["module_calls"]![module["module.".Length..]]!["module"]!;
        if (holder["resources"] is not JsonArray resources)
        {
            holder["resources"] = resources = [];
        }
        resources.Add(new JsonObject
        {
            ["address"] = $"aws_network_acl_rule.{name}",
            ["mode"] = "managed",
            ["type"] = "aws_network_acl_rule",
            ["name"] = name,
            ["expressions"] = new JsonObject
            {
                ["network_acl_id"] = new JsonObject { ["references"] = new JsonArray(reference, reference[..^3]) },
            },
        });
    }

    private static void AddInlineBlock(JsonNode plan, string address, string side, IReadOnlyDictionary<string, HclValue> attributes)
    {
        var acl = Changes(plan).SingleOrDefault(c => (string?)c!["address"] == address);
        Assert.True(acl is not null, $"no {address} in the plan");
        var change = acl["change"]!;
        var block = new JsonObject();
        foreach (var (key, unset) in new (string, JsonNode)[] { ("action", ""), ("cidr_block", ""), ("from_port", 0), ("icmp_code", 0), ("icmp_type", 0), ("ipv6_cidr_block", ""), ("protocol", ""), ("rule_no", 0), ("to_port", 0) })
        {
            block[key] = attributes.TryGetValue(key, out var v) ? Json(v) : unset;
        }
        if (change["after"]![side] is not JsonArray blocks)
        {
            change["after"]![side] = blocks = [];
        }
        blocks.Add(block);
        if (change["after_unknown"]?[side] is JsonArray unknownBlocks)
        {
            unknownBlocks.Add(new JsonObject());
        }
        if (change["actions"]!.AsArray().Select(a => (string?)a).SequenceEqual(["no-op"]))
        {
            change["actions"] = new JsonArray("update");
        }
    }

    private static JsonArray Changes(JsonNode plan) => plan["resource_changes"]!.AsArray();

    private static JsonNode? Json(HclValue v) => v.Kind switch
    {
        HclKind.String => v.Text,
        HclKind.Number => long.Parse(v.Text, CultureInfo.InvariantCulture),
        HclKind.Bool => v.Text == "true",
        _ => throw new Xunit.Sdk.XunitException($"a reference where a value was expected: {v.Text}"),
    };

    [GeneratedRegex(@"^add to the configuration of (module\.[^,]+),")]
    private static partial Regex ConfigurationOf();

    [GeneratedRegex(@"^add to (\S+) as one more (ingress|egress) block")]
    private static partial Regex InlineTarget();
}
