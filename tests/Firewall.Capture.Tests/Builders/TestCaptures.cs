using Firewall.Tests.Support;

namespace Firewall.Capture.Tests.Builders;

/// <summary>The real captures the reader and decoder tests run on.</summary>
internal static class TestCaptures
{
    /// <summary>
    /// Every capture committed under tests/captures and samples, as paths relative to the root; plus those in
    /// the directory named by FIREWALL_EXTRA_CAPTURES, to run the same checks on captures one has at hand.
    /// </summary>
    public static IEnumerable<string> All() =>
        Repository.CapturesUnder(new[] { "tests/captures", "samples", Environment.GetEnvironmentVariable("FIREWALL_EXTRA_CAPTURES") ?? "" }
            .Where(d => d.Length > 0));
}
