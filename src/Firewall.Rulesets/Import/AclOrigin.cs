namespace Firewall.Rulesets.Import;

/// <summary>
/// Where an imported network ACL came from, so that a rule to add to it can be written in the source's own
/// syntax (<c>firewall replies --fix-format</c>). Kept beside the ruleset, by ACL name
/// (<see cref="ImportResult.AclOrigins"/>): the model and the engine know nothing of it, and a ruleset
/// written in YAML has none.
/// </summary>
public abstract record AclOrigin;

/// <summary>An ACL of <c>aws ec2 describe-network-acls</c> output: its <c>NetworkAclId</c> (<c>acl-…</c>).</summary>
public sealed record AwsAclOrigin(string NetworkAclId) : AclOrigin;

/// <summary>
/// An <c>aws_network_acl</c> resource of a Terraform plan.
/// </summary>
/// <param name="Address">Its full instance address: <c>aws_network_acl.public</c>, <c>module.net.aws_network_acl.edge[0]</c>, <c>aws_network_acl.tier["a"]</c>.</param>
/// <param name="ModuleInstance">The module instance it is in (<c>module.net.</c>), "" in the root module.</param>
/// <param name="Id">Its id when the plan knows it (the ACL already exists), else null.</param>
/// <param name="InlineRules">
/// Its rules are the resource's own <c>ingress</c>/<c>egress</c> blocks (set in the configuration, or
/// imported from the plan's blocks) rather than <c>aws_network_acl_rule</c> resources. The AWS provider's
/// page for <c>aws_network_acl</c> says not to mix the two on one ACL: a rule is then added as one more
/// block, not as a rule resource, which the ACL's inline blocks would remove on the next apply.
/// </param>
public sealed record TerraformAclOrigin(string Address, string ModuleInstance, string? Id, bool InlineRules) : AclOrigin
{
    /// <summary>The address as the configuration of its own module refers to it: <c>aws_network_acl.edge[0]</c>.</summary>
    public string LocalAddress => Address[ModuleInstance.Length..];

    /// <summary>The module whose configuration holds it, as a person names it (<c>module.net</c>), or null in the root module.</summary>
    public string? Module => ModuleInstance.Length == 0 ? null : ModuleInstance.TrimEnd('.');
}
