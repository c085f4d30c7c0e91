using Firewall.Tests.Support;

namespace Firewall.Rulesets.Tests.Import;

/// <summary>The import tests' input files, kept beside them in Fixtures/ (aws/, terraform/).</summary>
internal static class ImportFixtures
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([Repository.Root, "tests", "Firewall.Rulesets.Tests", "Import", "Fixtures", .. parts]);
}
