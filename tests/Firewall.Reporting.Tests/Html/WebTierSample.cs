using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Html;

/// <summary>The shipped sample (samples/web-tier.pcapng against rulesets/web-tier.yaml) run through the real command line, in-process.</summary>
internal static class WebTierSample
{
    /// <summary>The report of the sample, as the README shows it, written to <paramref name="path"/> and read back.</summary>
    public static string Report(string path, params string[] extra)
    {
        var result = InProcessCli.Run([.. Args("report"), "-o", path, .. extra]);
        Assert.True(result.ExitCode == 0, $"report exited {result.ExitCode}: {result.Error}");
        return File.ReadAllText(path);
    }

    public static string[] Args(string command) =>
        [command, Repository.PathOf("samples/web-tier.pcapng"), "--ruleset", Repository.PathOf("rulesets/web-tier.yaml"), "--quiet"];
}
