using Firewall.Analysis.Replies;
using Firewall.Engine.Model;
using Firewall.Rulesets.Import;

namespace Firewall.Reporting.Replies;

/// <summary>The syntax <c>firewall replies</c> writes its fixes in (<c>--fix-format</c>).</summary>
public enum FixFormat
{
    /// <summary>Lines of the ruleset format, to paste into the ruleset file.</summary>
    Yaml,

    /// <summary><c>aws ec2 create-network-acl-entry</c> commands.</summary>
    AwsCli,

    /// <summary><c>aws_network_acl_rule</c> resources, or <c>ingress</c>/<c>egress</c> blocks for an ACL with inline rules.</summary>
    Terraform,
}

/// <summary>
/// Writes the rules of a fix in the chosen syntax, for the ACL as its source names it: the AWS id, the
/// Terraform resource. Remembers the ACLs whose origin the syntax needed and the ruleset did not say
/// (<see cref="Unplaced"/>), which were written with a placeholder.
/// </summary>
public sealed class FixText(FixFormat format, IReadOnlyDictionary<string, AclOrigin> origins)
{
    private readonly SortedSet<string> _unplaced = new(StringComparer.Ordinal);

    public static FixText Yaml => new(FixFormat.Yaml, new Dictionary<string, AclOrigin>());

    public FixFormat Format { get; } = format;

    /// <summary>The ACLs written with a placeholder for their id or resource, by name.</summary>
    public IReadOnlyCollection<string> Unplaced => _unplaced;

    /// <summary>What to do with the lines, for the heading of a fix: "add to network_acls.web.inbound", "run, for acl-0abc egress", ….</summary>
    public string Where(string acl, Direction direction)
    {
        var side = direction == Direction.Outbound ? "egress" : "ingress";
        var origin = origins.GetValueOrDefault(acl);
        return (Format, origin) switch
        {
            (FixFormat.Yaml, _) => $"add to network_acls.{acl}.{DirectionText.Name(direction)}",
            (FixFormat.AwsCli, AwsAclOrigin aws) => $"run, for network ACL {Named(aws.NetworkAclId, acl)}, {side}",
            (FixFormat.AwsCli, TerraformAclOrigin { Id: { } id } tf) => $"run, for network ACL {id} ({tf.Address}), {side}",
            (FixFormat.AwsCli, _) => $"run, for network ACL {acl}, {side}, with its id in place of the placeholder",
            (FixFormat.Terraform, TerraformAclOrigin { InlineRules: true } tf) =>
                $"add to {tf.Address} as one more {side} block, since its rules are inline blocks and an aws_network_acl_rule beside them would conflict",
            (FixFormat.Terraform, TerraformAclOrigin tf) => $"add to the configuration{(tf.Module is { } m ? $" of {m}" : "")}, beside {tf.LocalAddress}",
            (FixFormat.Terraform, AwsAclOrigin aws) => $"add to the configuration, for network ACL {Named(aws.NetworkAclId, acl)}, {side}",
            _ => $"add to the configuration, for network ACL {acl}, {side}, with its id in place of the placeholder",
        };
    }

    /// <summary>"acl-0abc", or "acl-0abc (web-nacl)" when the ruleset names it otherwise.</summary>
    private static string Named(string id, string acl) => id == acl ? id : $"{id} ({acl})";

    /// <summary>The rules as lines to paste or run: one line each, or one block each with a blank line between.</summary>
    public IReadOnlyList<string> Lines(IReadOnlyList<NaclRuleToAdd> rules)
    {
        var lines = new List<string>();
        foreach (var rule in rules)
        {
            var origin = origins.GetValueOrDefault(rule.Acl);
            switch (Format)
            {
                case FixFormat.Yaml:
                    lines.Add(NaclRuleText.Line(rule));
                    break;
                case FixFormat.AwsCli:
                    var id = origin switch { AwsAclOrigin a => a.NetworkAclId, TerraformAclOrigin { Id: { } i } => i, _ => null };
                    if (id is null)
                    {
                        _unplaced.Add(rule.Acl);
                    }
                    lines.Add(AwsCliFixText.Command(rule, id));
                    break;
                default:
                    if (origin is null)
                    {
                        _unplaced.Add(rule.Acl);
                    }
                    if (lines.Count > 0)
                    {
                        lines.Add("");
                    }
                    lines.AddRange(origin is TerraformAclOrigin { InlineRules: true } ? TerraformFixText.InlineBlock(rule) : TerraformFixText.RuleResource(rule, origin));
                    break;
            }
        }
        return lines;
    }
}
