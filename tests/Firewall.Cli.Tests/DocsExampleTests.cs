using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// The examples of the docs are real: every fenced block of docs/*.md and docs/commands/*.md that starts
/// with "$ firewall ..." is run (words split as a shell would, paths relative to the repository, as
/// written) and must print exactly the rest of the block, standard output then standard error. A line
/// "..." in a block stands for any lines the page leaves out. A command ending in "; echo $?" shows its
/// exit code on the last line; any other must exit 0. The file of "-o FILE" is written to a temporary
/// folder.
/// </summary>
public sealed class DocsExampleTests
{
    private const string EchoExitCode = "; echo $?";

    /// <summary>Every docs page this test runs, repository-relative.</summary>
    public static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in Pages())
        {
            foreach (var (command, _) in Blocks(Read(page)))
            {
                data.Add(page, command);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Docs_example_prints_what_the_page_shows(string page, string command)
    {
        var expected = Blocks(Read(page)).First(b => b.Command == command).Output;
        Assert.Equal(expected, Elide(expected, Run(command)));
    }

    [Fact]
    public void Docs_example_that_differs_fails()
    {
        // The comparison is not vacuous: a line changed, or a line added where no "..." allows it, fails.
        var actual = "a\nb\nc\n";
        Assert.True(Matches("a\nb\nc\n", actual));
        Assert.True(Matches("a\n...\nc\n", actual));
        Assert.False(Matches("a\nB\nc\n", actual));
        Assert.False(Matches("a\nc\n", actual));
        Assert.False(Matches("a\n...\nd\n", actual));
        Assert.True(Matches("a\n...\n", actual));
        Assert.True(Matches("a\n\n...\n", "a\n\nb\n\nc\n"));
    }

    [Theory]
    [InlineData("docs/answers.md", 2)]
    [InlineData("docs/filter.md", 4)]
    [InlineData("docs/commands/check.md", 1)]
    [InlineData("docs/commands/replies.md", 1)]
    [InlineData("docs/commands/explain.md", 2)]
    [InlineData("docs/commands/query.md", 1)]
    [InlineData("docs/commands/diff.md", 1)]
    [InlineData("docs/commands/synth.md", 1)]
    [InlineData("docs/commands/decode.md", 1)]
    [InlineData("docs/commands/import.md", 1)]
    [InlineData("docs/test-format.md", 1)]
    public void Docs_page_has_examples_to_run(string page, int atLeast)
    {
        Assert.True(Blocks(Read(page)).Count() >= atLeast, $"{page} shows fewer command examples than it did");
    }

    [Theory]
    [InlineData("docs/answers.md", "## `reach:` in test files")]
    [InlineData("docs/test-format.md", "## Reach tests")]
    public void Reach_snippet_is_in_a_shipped_test_file(string page, string heading)
    {
        var text = Read(page);
        var start = text.IndexOf("```yaml\n", text.IndexOf(heading, StringComparison.Ordinal), StringComparison.Ordinal) + 8;
        var snippet = text[start..text.IndexOf("```\n", start, StringComparison.Ordinal)];
        var tests = File.ReadAllText(Repository.PathOf("rulesets/three-tier.tests.yaml")).Replace("\r\n", "\n");
        Assert.Contains(snippet, tests);
    }

    /// <summary>What the command prints as the page would show it: repository paths as written, then the exit code if asked.</summary>
    private static string Run(string command)
    {
        var echo = command.EndsWith(EchoExitCode, StringComparison.Ordinal);
        var line = echo ? command[..^EchoExitCode.Length] : command;
        var words = ShellWords.Split(line["$ firewall ".Length..]);
        using var temp = new TempDir();
        var replaced = new List<(string Path, string Written)>();
        var args = new string[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (i > 0 && words[i - 1] is "-o" or "--output" or "--junit")
            {
                args[i] = temp.File(Path.GetFileName(word));
                replaced.Add((args[i], word));
            }
            else if (word.Contains('/') && (File.Exists(Repository.PathOf(word)) || Directory.Exists(Repository.PathOf(word))))
            {
                args[i] = Repository.PathOf(word);
                replaced.Add((args[i], word));
            }
            else
            {
                args[i] = word;
            }
        }
        var r = InProcessCli.Run(args);
        var output = replaced.OrderByDescending(p => p.Path.Length).Aggregate(r.Out + r.Error.Replace("\r\n", "\n"), (o, p) => o.Replace(p.Path, p.Written));
        if (echo)
        {
            return output + r.ExitCode + "\n";
        }
        Assert.True(r.ExitCode == 0, $"'{command}' exited {r.ExitCode} (a page shows a failing command with '{EchoExitCode}'):\n{output}");
        return output;
    }

    private static bool Matches(string expected, string actual) => Elide(expected, actual) == expected;

    /// <summary>
    /// The actual output cut as the expected one is: each "..." line of <paramref name="expected"/> swallows
    /// the actual lines between the lines around it; anything else must be the same line by line.
    /// </summary>
    private static string Elide(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        if (!e.Contains("..."))
        {
            return actual;
        }
        var result = new List<string>();
        var j = 0;
        for (var i = 0; i < e.Length; i++)
        {
            if (e[i] != "...")
            {
                if (j < a.Length)
                {
                    result.Add(a[j++]);
                }
                continue;
            }
            result.Add("...");
            // Swallow up to the next line the page shows (or to the end's last lines).
            // "..." last (before the empty string after the final newline) swallows all but the end.
            var next = i + 2 < e.Length ? e[i + 1] : null;
            var rest = e.Length - i - 1;
            while (j < a.Length && (next is null ? a.Length - j > rest : a[j] != next))
            {
                j++;
            }
        }
        result.AddRange(a[j..]);
        return string.Join('\n', result);
    }

    private static string Read(string page) => File.ReadAllText(Repository.PathOf(page)).Replace("\r\n", "\n");

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
}
