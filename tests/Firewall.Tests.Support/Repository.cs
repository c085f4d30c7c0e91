namespace Firewall.Tests.Support;

/// <summary>
/// The repository's own files, found from the running binary's location, so that tests read the shipped
/// rulesets, captures and goldens where they live.
/// </summary>
public static class Repository
{
    private static readonly string[] CaptureExtensions = [".pcap", ".pcapng", ".cap", ".gz"];

    private static string? _root;

    /// <summary>The nearest folder above the binary that holds Firewall.sln; throws outside a checkout.</summary>
    public static string Root => _root ??= Find() ?? throw new InvalidOperationException("Firewall.sln not found above " + AppContext.BaseDirectory);

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The nearest folder above the binary that holds Firewall.sln, or null (e.g. a published fuzz or benchmark binary).</summary>
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Firewall.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>Every shipped ruleset, rulesets/*.yaml without the regression test files (*.tests.yaml), as full paths in ordinal order.</summary>
    public static IEnumerable<string> ShippedRulesets() =>
        Directory.EnumerateFiles(PathOf("rulesets"), "*.yaml")
            .Where(f => !f.EndsWith(".tests.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Every capture committed under tests/captures and samples, as paths relative to the root in ordinal order.</summary>
    public static IEnumerable<string> ShippedCaptures() => CapturesUnder(["tests/captures", "samples"]);

    /// <summary>The captures (pcap, pcapng, cap, gz) under the folders, relative to the root; a folder that does not exist holds none.</summary>
    public static IEnumerable<string> CapturesUnder(IEnumerable<string> folders) =>
        folders
            .Select(d => Path.Combine(Root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => CaptureExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal);
}
