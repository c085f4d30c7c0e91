namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Pastes suggested NACL rule lines into a ruleset file the way a person would: right under the
/// <c>inbound:</c> or <c>outbound:</c> key of the named ACL in <c>network_acls</c>, indented like its siblings.
/// </summary>
internal static class RulesetEditor
{
    public static string Paste(string yaml, string acl, string direction, string ruleLine)
    {
        var lines = yaml.Replace("\r\n", "\n").Split('\n').ToList();
        var section = lines.FindIndex(l => l.TrimEnd() == "network_acls:");
        Assert.True(section >= 0, "the ruleset has no network_acls section");
        var aclLine = lines.FindIndex(section, l => l.Trim() == $"{acl}:");
        Assert.True(aclLine >= 0, $"network ACL {acl} not found");
        var aclIndent = Indent(lines[aclLine]);
        var directionLine = -1;
        for (var i = aclLine + 1; i < lines.Count && (lines[i].Trim().Length == 0 || Indent(lines[i]) > aclIndent); i++)
        {
            if (lines[i].Trim() == $"{direction}:" || lines[i].Trim() == $"{direction}: []")
            {
                directionLine = i;
                break;
            }
        }
        Assert.True(directionLine >= 0, $"{acl} has no '{direction}:' list to paste into");
        var keyIndent = Indent(lines[directionLine]);
        if (lines[directionLine].Trim().EndsWith("[]", StringComparison.Ordinal))
        {
            lines[directionLine] = new string(' ', keyIndent) + $"{direction}:";
        }
        var itemIndent = directionLine + 1 < lines.Count && lines[directionLine + 1].TrimStart().StartsWith("- ", StringComparison.Ordinal)
            ? Indent(lines[directionLine + 1])
            : keyIndent + 2;
        lines.Insert(directionLine + 1, new string(' ', itemIndent) + ruleLine.Trim());
        return string.Join('\n', lines);
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
