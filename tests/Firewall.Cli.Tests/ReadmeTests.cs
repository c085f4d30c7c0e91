using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>The README shows real output: its example blocks must equal what the commands print today (the sample goldens).</summary>
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md")).Replace("\r\n", "\n");

    /// <summary>The first fenced block after the heading, without the fences (and without a leading "$ command" line).</summary>
    private static string Block(string heading)
    {
        var start = Readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}'");
        var open = Readme.IndexOf("```\n", start, StringComparison.Ordinal) + 4;
        var close = Readme.IndexOf("\n```\n", open, StringComparison.Ordinal);
        var block = Readme[open..(close + 1)];
        return block.StartsWith("$ ", StringComparison.Ordinal) ? block[(block.IndexOf('\n') + 1)..] : block;
    }

    [Fact]
    public void Names_the_two_commands_exactly()
    {
        Assert.Contains("\ndotnet run --project src/Firewall.Cli -- check samples/web-tier.pcapng --ruleset rulesets/web-tier.yaml\n", Readme);
        Assert.Contains("\ndotnet test Firewall.sln\n", Readme);
    }

    [Fact]
    public void Check_example_is_the_real_output()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("tests/Firewall.Cli.Tests/Golden/sample-check.txt")), Block("## What `check` prints"));
    }

    [Fact]
    public void Query_and_static_diff_examples_are_the_real_output()
    {
        var start = Readme.IndexOf("## Every packet, without a capture", StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Repository.PathOf("tests/Firewall.Cli.Tests/Golden/query-db.txt")), Block("## Every packet, without a capture"));
        var diffAt = Readme.IndexOf("$ firewall diff --ruleset", start, StringComparison.Ordinal);
        Assert.True(diffAt > start, "README shows no static diff");
        var open = Readme.LastIndexOf("```\n", diffAt, StringComparison.Ordinal) + 4;
        var close = Readme.IndexOf("\n```\n", open, StringComparison.Ordinal);
        var block = Readme[open..(close + 1)];
        Assert.Equal(File.ReadAllText(Repository.PathOf("tests/Firewall.Cli.Tests/Golden/diff-static.txt")), block[(block.IndexOf('\n') + 1)..]);
        // The commands shown are the ones the goldens come from (AnswerCommandTests).
        Assert.Contains("$ firewall query \"tcp * -> db-1:5432\" --ruleset rulesets/three-tier.yaml\n", Readme);
        Assert.Contains("$ firewall diff --ruleset rulesets/web-tier.yaml --against rulesets/changes/web-tier-widened.yaml --set \"tcp * -> web-1\"\n", Readme);
    }

    [Fact]
    public void Replies_example_is_the_real_output()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("tests/Firewall.Cli.Tests/Golden/sample-replies.txt")), Block("## What `replies` prints"));
    }
}
