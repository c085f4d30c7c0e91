using System.Text;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Docs;

/// <summary>
/// docs/cli.md's reference is the command tree: regenerated in memory, it must equal what the page holds
/// between the markers. <c>FIREWALL_UPDATE_DOCS=1 dotnet test tests/Firewall.Cli.Tests --filter CliReference</c>
/// rewrites it (then read the git diff).
/// </summary>
public sealed class CliReferenceTests
{
    public const string UpdateVariable = "FIREWALL_UPDATE_DOCS";

    private static readonly string PagePath = Repository.PathOf("docs/cli.md");

    [Fact]
    public void CliReference_in_docs_cli_md_is_the_command_tree()
    {
        var page = File.ReadAllText(PagePath).Replace("\r\n", "\n");
        var begin = page.IndexOf(CliReferenceWriter.Begin, StringComparison.Ordinal);
        var end = page.IndexOf(CliReferenceWriter.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/cli.md has no generated reference between '{CliReferenceWriter.Begin}' and '{CliReferenceWriter.End}'");
        var from = begin + CliReferenceWriter.Begin.Length;
        var written = page[from..end];
        var generated = CliReferenceWriter.Generate();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(PagePath, page[..from] + generated + page[end..], new UTF8Encoding(false));
            return;
        }
        if (written != generated)
        {
            Assert.Fail($"docs/cli.md differs from the command tree: {FirstDifference(written)}. Regenerate with {UpdateVariable}=1 dotnet test tests/Firewall.Cli.Tests --filter CliReference, then read the diff.");
        }
    }

    [Fact]
    public void CliReference_covers_every_command_with_a_page()
    {
        var page = File.ReadAllText(PagePath);
        foreach (var (command, _) in CliReferenceWriter.Sections().Skip(1))
        {
            var top = command.Split(' ')[1];
            Assert.True(File.Exists(Repository.PathOf($"docs/commands/{top}.md")), $"'{command}' has no page docs/commands/{top}.md");
            Assert.Contains($"(commands/{top}.md)", page);
        }
    }

    /// <summary>The first command whose section differs, and the first line in it (an option's row names the option).</summary>
    private static string FirstDifference(string written)
    {
        foreach (var (command, text) in CliReferenceWriter.Sections())
        {
            var heading = text[..(text.IndexOf('\n') + 1)];
            var at = written.IndexOf(heading, StringComparison.Ordinal);
            if (at < 0)
            {
                return $"'{command}' is not in the page";
            }
            var next = written.IndexOf("\n### `", at + heading.Length, StringComparison.Ordinal);
            var section = written[at..(next < 0 ? written.Length : next + 1)];
            if (section == text)
            {
                continue;
            }
            var expected = text.Split('\n');
            var actual = section.Split('\n');
            for (var i = 0; i < Math.Max(expected.Length, actual.Length); i++)
            {
                var e = i < expected.Length ? expected[i] : "(nothing)";
                var a = i < actual.Length ? actual[i] : "(nothing)";
                if (e != a)
                {
                    return $"'{command}', the tree has\n  {e}\nthe page has\n  {a}";
                }
            }
        }
        return "the page has sections the tree does not (a command removed or renamed?)";
    }
}
