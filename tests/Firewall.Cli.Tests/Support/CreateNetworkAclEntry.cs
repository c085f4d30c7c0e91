using System.Text.Json.Nodes;

namespace Firewall.Cli.Tests.Support;

/// <summary>
/// An <c>aws ec2 create-network-acl-entry</c> command, read back from its words, and applied to the
/// <c>aws ec2 describe-network-acls</c> output it was printed for: the entry AWS would then list.
/// </summary>
internal sealed record CreateNetworkAclEntry(IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>
    /// Every parameter of the command, from the AWS CLI Command Reference, "aws ec2 create-network-acl-entry",
    /// Synopsis (https://docs.aws.amazon.com/cli/latest/reference/ec2/create-network-acl-entry.html).
    /// The two switches (<c>--egress</c>/<c>--ingress</c>, <c>--dry-run</c>/<c>--no-dry-run</c>) take no value.
    /// </summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "--dry-run", "--no-dry-run", "--network-acl-id", "--rule-number", "--protocol", "--rule-action",
        "--egress", "--ingress", "--cidr-block", "--ipv6-cidr-block", "--icmp-type-code", "--port-range",
        "--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton",
    };

    private static readonly string[] Switches = ["--dry-run", "--no-dry-run", "--egress", "--ingress"];

    /// <summary>Reads a printed line: <c>aws ec2 create-network-acl-entry</c>, then known parameters, each once, the required ones present.</summary>
    public static CreateNetworkAclEntry Parse(string line)
    {
        var words = ShellWords.Split(line);
        Assert.True(words.Count > 3 && words[0] == "aws" && words[1] == "ec2" && words[2] == "create-network-acl-entry", line);
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 3; i < words.Count; i++)
        {
            var name = words[i];
            Assert.True(Known.Contains(name), $"'{name}' is not a parameter of create-network-acl-entry: {line}");
            var value = Switches.Contains(name) ? null : i + 1 < words.Count ? words[++i] : null;
            Assert.True(Switches.Contains(name) || (value is not null && !value.StartsWith("--", StringComparison.Ordinal)), $"{name} needs a value: {line}");
            Assert.True(parameters.TryAdd(name, value), $"{name} is given twice: {line}");
        }
        foreach (var required in new[] { "--network-acl-id", "--rule-number", "--protocol", "--rule-action" })
        {
            Assert.True(parameters.ContainsKey(required), $"{required} is required: {line}");
        }
        Assert.True(parameters.ContainsKey("--egress") ^ parameters.ContainsKey("--ingress"), $"one of --egress and --ingress: {line}");
        Assert.True(parameters.ContainsKey("--cidr-block") ^ parameters.ContainsKey("--ipv6-cidr-block"), $"one of --cidr-block and --ipv6-cidr-block: {line}");
        return new CreateNetworkAclEntry(parameters);
    }

    public string AclId => Parameters["--network-acl-id"]!;

    /// <summary>The entry as describe-network-acls lists it (API NetworkAclEntry).</summary>
    public JsonObject ToDescribedEntry()
    {
        var entry = new JsonObject
        {
            ["Egress"] = Parameters.ContainsKey("--egress"),
            ["Protocol"] = Parameters["--protocol"],
            ["RuleAction"] = Parameters["--rule-action"],
            ["RuleNumber"] = int.Parse(Parameters["--rule-number"]!, System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Parameters.GetValueOrDefault("--cidr-block") is { } v4) entry["CidrBlock"] = v4;
        if (Parameters.GetValueOrDefault("--ipv6-cidr-block") is { } v6) entry["Ipv6CidrBlock"] = v6;
        if (Parameters.GetValueOrDefault("--port-range") is { } ports) entry["PortRange"] = Shorthand(ports, "From", "To");
        if (Parameters.GetValueOrDefault("--icmp-type-code") is { } icmp) entry["IcmpTypeCode"] = Shorthand(icmp, "Type", "Code");
        return entry;
    }

    /// <summary>Adds the entry to its ACL in describe-network-acls output.</summary>
    public void ApplyTo(JsonNode describeNetworkAcls)
    {
        var acl = describeNetworkAcls["NetworkAcls"]!.AsArray().SingleOrDefault(a => (string?)a!["NetworkAclId"] == AclId);
        Assert.True(acl is not null, $"no network ACL {AclId} in the describe-network-acls output");
        acl["Entries"]!.AsArray().Add(ToDescribedEntry());
    }

    /// <summary>The CLI's shorthand syntax for a structure of integers (<c>From=1024,To=65535</c>): exactly the members named.</summary>
    private static JsonObject Shorthand(string text, params string[] members)
    {
        var pairs = text.Split(',').Select(p => p.Split('=')).ToList();
        Assert.True(pairs.All(p => p.Length == 2), $"not Key=Value,...: {text}");
        Assert.Equal(members.Order(), pairs.Select(p => p[0]).Order());
        var result = new JsonObject();
        foreach (var p in pairs)
        {
            result[p[0]] = int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return result;
    }
}
