using System.Text;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// The examples of docs/answers.md are real: every fenced block that starts with "$ firewall ..." is run
/// (paths relative to the repository, as written) and must print exactly the rest of the block, and its
/// test-file snippet is part of a shipped test file that `firewall test` runs.
/// </summary>
public sealed class DocsExampleTests
{
    private static readonly string Answers = File.ReadAllText(Repository.PathOf("docs/answers.md")).Replace("\r\n", "\n");

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var (command, _) in Blocks(Answers))
        {
            data.Add(command);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Answers_example_prints_what_the_page_shows(string command)
    {
        var expected = Blocks(Answers).Single(b => b.Command == command).Output;
        var args = Split(command["$ firewall ".Length..]);
        var relative = args.Where(a => a.StartsWith("rulesets/", StringComparison.Ordinal)).ToList();
        var r = InProcessCli.Run([.. args.Select(a => relative.Contains(a) ? Repository.PathOf(a) : a)]);
        var output = relative.Aggregate(r.Out, (o, path) => o.Replace(Repository.PathOf(path), path));
        Assert.Equal("", r.Error);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Answers_page_has_examples_to_run()
    {
        Assert.True(Blocks(Answers).Count() >= 2, "docs/answers.md shows fewer command examples than it did");
    }

    [Theory]
    [InlineData("docs/answers.md", "## `reach:` in test files")]
    [InlineData("docs/test-format.md", "## Reach tests")]
    public void Reach_snippet_is_in_a_shipped_test_file(string page, string heading)
    {
        var text = File.ReadAllText(Repository.PathOf(page)).Replace("\r\n", "\n");
        var start = text.IndexOf("```yaml\n", text.IndexOf(heading, StringComparison.Ordinal), StringComparison.Ordinal) + 8;
        var snippet = text[start..text.IndexOf("```\n", start, StringComparison.Ordinal)];
        var tests = File.ReadAllText(Repository.PathOf("rulesets/three-tier.tests.yaml")).Replace("\r\n", "\n");
        Assert.Contains(snippet, tests);
    }

    /// <summary>Each fenced block whose first line is "$ firewall ...": that command and the lines after it.</summary>
    private static IEnumerable<(string Command, string Output)> Blocks(string page)
    {
        var at = 0;
        while ((at = page.IndexOf("```\n$ firewall ", at, StringComparison.Ordinal)) >= 0)
        {
            var open = at + 4;
            var close = page.IndexOf("\n```\n", open, StringComparison.Ordinal);
            var block = page[open..(close + 1)];
            var newline = block.IndexOf('\n');
            yield return (block[..newline], block[(newline + 1)..]);
            at = close;
        }
    }

    /// <summary>Words as a shell splits them, with double quotes grouping.</summary>
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    words.Add(word.ToString());
                }
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }
        if (any)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
