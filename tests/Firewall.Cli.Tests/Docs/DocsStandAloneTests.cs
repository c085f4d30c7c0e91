using System.Text.RegularExpressions;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Docs;

/// <summary>
/// The docs stand alone: README.md and docs/**/*.md name no document users do not have (no "SPEC", no
/// "§" section of it), and every relative link points at a file or folder of the repository. Links to
/// https:// pages and anchors of the same page are not checked here.
/// </summary>
public sealed partial class DocsStandAloneTests
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.Root, page).Replace('\\', '/'));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Docs_page_names_no_document_outside_the_repository(string page)
    {
        var lines = File.ReadAllLines(Repository.PathOf(page));
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.False(Spec().IsMatch(lines[i]), $"{page}:{i + 1}: names a document users do not have: {lines[i]}");
            Assert.False(lines[i].Contains("/work/", StringComparison.Ordinal), $"{page}:{i + 1}: names a path outside the repository: {lines[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Docs_page_links_only_to_files_that_exist(string page)
    {
        var folder = Path.GetDirectoryName(Repository.PathOf(page))!;
        var lines = File.ReadAllLines(Repository.PathOf(page));
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match link in Link().Matches(lines[i]))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }
                var path = Path.GetFullPath(Path.Combine(folder, target.Split('#')[0]));
                Assert.True(path.StartsWith(Repository.Root, StringComparison.Ordinal), $"{page}:{i + 1}: links outside the repository: {target}");
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{page}:{i + 1}: links to {target}, which does not exist");
            }
        }
    }

    /// <summary>"SPEC" as a word (SPEC.md, SPEC §4) or a "§" that follows no RFC (RFC 9293 §3.10 is a public section).</summary>
    [GeneratedRegex(@"\bSPEC\b|(?<!RFC \d+ )§")]
    private static partial Regex Spec();

    /// <summary>A Markdown link or image target: ](target) or ](target "title").</summary>
    [GeneratedRegex(@"\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
