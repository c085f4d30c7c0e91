namespace Firewall.Rulesets.Tests;

/// <summary>Finds the repository's own files, so that shipped examples are tested where they live.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string RulesetsFolder => Path.Combine(Root, "rulesets");

    public static IEnumerable<string> Rulesets() =>
        Directory.EnumerateFiles(RulesetsFolder, "*.yaml")
            .Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal)) // regression test files, not rulesets
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Firewall.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Firewall.sln above {AppContext.BaseDirectory}");
    }
}
