using System.Text.RegularExpressions;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// The source stays readable in pieces a person can hold: no file over 400 lines, no method over 60 unless
/// a comment starting <c>// Kept whole:</c> just above it says why it is better in one piece (a table, a
/// per-packet method that splitting would slow down). docs/architecture.md explains where things live.
/// </summary>
public sealed partial class LayoutTests
{
    private const int MaxFileLines = 400;
    private const int MaxMethodLines = 60;
    private const string Justification = "// Kept whole:";

    [Fact]
    public void No_source_file_is_over_400_lines()
    {
        var long_ = SourceFiles()
            .Select(f => (File: f, Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{Relative(f.File)}: {f.Lines} lines")
            .ToList();
        Assert.True(long_.Count == 0, "files over 400 lines:\n" + string.Join("\n", long_));
    }

    [Fact]
    public void No_method_is_over_60_lines_without_saying_why()
    {
        var long_ = SourceFiles().SelectMany(f => LongMethods(f, File.ReadAllLines(f))).ToList();
        Assert.True(long_.Count == 0, $"methods over {MaxMethodLines} lines with no '{Justification}' comment above:\n" + string.Join("\n", long_));
    }

    /// <summary>docs/architecture.md tells a newcomer which files to touch: every path it names must exist.</summary>
    [Fact]
    public void The_architecture_page_names_only_paths_that_exist()
    {
        var page = File.ReadAllText(Repository.PathOf("docs/architecture.md"));
        var paths = NamedPath().Matches(page).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(paths.Count >= 20, $"docs/architecture.md names only {paths.Count} paths");
        var missing = paths.Where(p => !File.Exists(Repository.PathOf(p)) && !Directory.Exists(Repository.PathOf(p))).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md names paths that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_method_finder_finds_a_long_method_and_honours_the_comment()
    {
        var body = Enumerable.Repeat("        Step();", 70).ToArray();
        string[] Method(params string[] above) =>
            [.. above, "    public static void Long(int x)", "    {", .. body, "    }"];
        Assert.Single(LongMethods("x.cs", Method("    /// <summary>Does it.</summary>")));
        Assert.Empty(LongMethods("x.cs", Method("    // Kept whole: a table.", "    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")));
        Assert.Empty(LongMethods("x.cs", ["    public static void Short()", "    {", .. body[..50], "    }"]));
        Assert.Single(LongMethods("x.cs", ["    public static string Name(int k) => k switch", "    {", .. body, "    };"]));
    }

    /// <summary>Methods (and other members with a body in braces) longer than the limit, found by their Allman braces.</summary>
    internal static IEnumerable<string> LongMethods(string path, string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var declaration = Declaration().Match(lines[i]);
            if (!declaration.Success || TypeDeclaration().IsMatch(lines[i]))
            {
                continue;
            }
            var indent = declaration.Groups[1].Value;
            var open = i;
            while (open < lines.Length && open < i + 8 && lines[open].Trim() != "{" && !lines[open].Contains(';'))
            {
                open++;
            }
            if (open >= lines.Length || lines[open] != indent + "{")
            {
                continue;
            }
            var close = open + 1;
            while (close < lines.Length && lines[close].TrimEnd() != indent + "}" && lines[close].TrimEnd() != indent + "};")
            {
                close++;
            }
            var length = close - i + 1;
            var above = lines[Math.Max(0, i - 8)..i];
            if (length > MaxMethodLines && !above.Any(l => l.TrimStart().StartsWith(Justification, StringComparison.Ordinal)))
            {
                yield return $"{path}:{i + 1}: {length} lines: {lines[i].Trim()}";
            }
            i = close;
        }
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Repository.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Repository.PathOf("."), path);

    [GeneratedRegex(@"^(\s*)(?:(?:public|private|internal|protected|static|override|async|unsafe|sealed|virtual|abstract|partial|extern|readonly)\s+)+[^;{=]*\(")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"`((?:src|tests|scripts|docs)/[A-Za-z0-9_./-]+)`")]
    private static partial Regex NamedPath();

    [GeneratedRegex(@"\b(class|struct|record|interface|enum)\b")]
    private static partial Regex TypeDeclaration();
}
