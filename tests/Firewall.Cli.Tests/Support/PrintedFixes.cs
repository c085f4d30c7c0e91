namespace Firewall.Cli.Tests.Support;

/// <summary>One <c>fix:</c> of a <c>firewall replies</c> text report: its heading and the lines under it, as printed without their indent.</summary>
internal sealed record PrintedFix(string Heading, IReadOnlyList<string> Lines)
{
    public string Text => string.Join("\n", Lines);

    /// <summary>
    /// The fixes a person applies: the lines under each <c>  fix:</c> heading, up to the next line indented
    /// less than they are (<c>  it opens…</c>, <c>  narrowest…</c>, the next group). The narrowest rules that
    /// follow some fixes are the other choice, and are not taken.
    /// </summary>
    public static List<PrintedFix> Read(string report)
    {
        var fixes = new List<PrintedFix>();
        var lines = report.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("  fix: ", StringComparison.Ordinal))
            {
                continue;
            }
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Length && (lines[j].StartsWith("    ", StringComparison.Ordinal) || (lines[j].Length == 0 && j + 1 < lines.Length && lines[j + 1].StartsWith("    ", StringComparison.Ordinal))); j++)
            {
                if (!lines[j].StartsWith("    no rule number", StringComparison.Ordinal))
                {
                    body.Add(lines[j].Length == 0 ? "" : lines[j][4..]);
                }
            }
            fixes.Add(new PrintedFix(lines[i][7..], body));
            i = j - 1;
        }
        return fixes;
    }
}
