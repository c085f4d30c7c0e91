using System.Text;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Filter;

/// <summary>
/// The examples of docs/filter.md are real: every fenced block that starts with "$ firewall ..." is run
/// (paths relative to the repository, as written) and must print exactly the rest of the block, standard
/// output then standard error.
/// </summary>
public sealed class FilterDocsTests
{
    private static readonly string Page = File.ReadAllText(Repository.PathOf("docs/filter.md")).Replace("\r\n", "\n");

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var (command, _) in Blocks())
        {
            data.Add(command);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Filter_example_prints_what_the_page_shows(string command)
    {
        var expected = Blocks().Single(b => b.Command == command).Output;
        var args = Split(command["$ firewall ".Length..]);
        var relative = args.Where(a => a.StartsWith("rulesets/", StringComparison.Ordinal) || a.StartsWith("samples/", StringComparison.Ordinal)).ToList();
        var r = InProcessCli.Run([.. args.Select(a => relative.Contains(a) ? Repository.PathOf(a) : a)]);
        var output = relative.Aggregate(r.Out + r.Error.Replace("\r\n", "\n"), (o, path) => o.Replace(Repository.PathOf(path), path));
        Assert.Equal(expected, output);
        Assert.Equal(r.Error.Length == 0 ? 0 : 2, r.ExitCode);
    }

    [Fact]
    public void Filter_page_has_examples_to_run()
    {
        Assert.True(Blocks().Count() >= 4, "docs/filter.md shows fewer command examples than it did");
    }

    private static IEnumerable<(string Command, string Output)> Blocks()
    {
        var at = 0;
        while ((at = Page.IndexOf("```\n$ firewall ", at, StringComparison.Ordinal)) >= 0)
        {
            var open = at + 4;
            var close = Page.IndexOf("\n```\n", open, StringComparison.Ordinal);
            var block = Page[open..(close + 1)];
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
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }
        if (any) words.Add(word.ToString());
        return words;
    }
}
