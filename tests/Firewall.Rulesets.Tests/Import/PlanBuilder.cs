using System.Text.Encodings.Web;
using System.Text.Json;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>
/// Small plans in the shape <c>terraform show -json PLANFILE</c> prints (Terraform "JSON Output Format"):
/// <c>resource_changes</c> with <c>before</c>/<c>after</c>/<c>after_unknown</c>, and a <c>configuration</c>
/// whose resources (root module, or one level of <c>module_calls</c>) carry <c>expressions</c>. Values are
/// given as JSON text, so that a test reads like the plan it stands for.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<string> _changes = [];
    private readonly Dictionary<string, List<string>> _configuration = new(StringComparer.Ordinal) { [""] = [] };

    /// <summary>
    /// A resource change. <paramref name="action"/> is create, update, no-op, delete or replace; a
    /// no-op's <c>before</c> is its <c>after</c> unless given.
    /// </summary>
    public PlanBuilder Change(string address, string action, string? after, string? before = null, string unknown = "{}")
    {
        var type = TypeOf(address);
        var typeAt = address.LastIndexOf("." + type + ".", StringComparison.Ordinal);
        var module = typeAt > 0 ? $"\"module_address\": {Quote(address[..typeAt])}, " : "";
        var actions = action switch
        {
            "replace" => "[\"delete\", \"create\"]",
            _ => $"[\"{action}\"]",
        };
        before ??= action is "no-op" ? after : null;
        var name = TerraformPlan.StripIndexes(address).Split('.')[^1];
        _changes.Add($$"""
            { "address": {{Quote(address)}}, {{module}}"mode": "managed", "type": "{{type}}", "name": "{{name}}",
              "provider_name": "registry.terraform.io/hashicorp/aws",
              "change": { "actions": {{actions}}, "before": {{before ?? "null"}}, "after": {{after ?? "null"}}, "after_unknown": {{(after is null ? "{}" : unknown)}},
                          "before_sensitive": {{(before is null ? "false" : "{}")}}, "after_sensitive": {{(after is null ? "false" : "{}")}} } }
            """);
        return this;
    }

    /// <summary>A resource block of the configuration, by its address within <paramref name="module"/> (a module call's name, or "" for the root module).</summary>
    public PlanBuilder Configure(string address, string expressions, string module = "")
    {
        var type = TypeOf(address);
        if (!_configuration.TryGetValue(module, out var list))
        {
            _configuration[module] = list = [];
        }
        list.Add($$"""
            { "address": {{Quote(address)}}, "mode": "managed", "type": "{{type}}", "name": "{{address.Split('.')[^1]}}",
              "provider_config_key": "aws", "expressions": {{expressions}}, "schema_version": 0 }
            """);
        return this;
    }

    public string Json()
    {
        var calls = string.Join(",\n", _configuration.Where(m => m.Key != "").Select(m =>
            $$"""{{Quote(m.Key)}}: { "source": "./{{m.Key}}", "module": { "resources": [{{string.Join(",\n", m.Value)}}] } }"""));
        return $$"""
            {
              "format_version": "1.2",
              "terraform_version": "1.9.8",
              "planned_values": { "root_module": {} },
              "resource_changes": [
            {{string.Join(",\n", _changes)}}
              ],
              "configuration": {
                "provider_config": { "aws": { "name": "aws", "full_name": "registry.terraform.io/hashicorp/aws" } },
                "root_module": {
                  "resources": [{{string.Join(",\n", _configuration[""])}}],
                  "module_calls": { {{calls}} }
                }
              }
            }
            """;
    }

    public ImportResult Import() => TerraformImporter.Import(new ImportFile("plan.json", Json()));

    private static string TypeOf(string address) => TerraformPlan.StripIndexes(address).Split('.')[^2];

    // Relaxed escaping writes a for_each key's quotes as \" , as Terraform does.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);
}
