namespace Firewall.Capture.Tests.Builders;

internal static class RepoPaths
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding Firewall.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Firewall.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Firewall.sln not found above " + AppContext.BaseDirectory);
    }

    private static readonly string[] CaptureExtensions = [".pcap", ".pcapng", ".cap", ".gz"];

    /// <summary>
    /// Every capture committed under tests/captures and samples, as paths relative to the root; plus those in
    /// the directory named by FIREWALL_EXTRA_CAPTURES, to run the same checks on captures one has at hand.
    /// </summary>
    public static IEnumerable<string> CommittedCaptures() =>
        new[] { "tests/captures", "samples", Environment.GetEnvironmentVariable("FIREWALL_EXTRA_CAPTURES") ?? "" }
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(Root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => CaptureExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal);

    public static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, command)));
}
