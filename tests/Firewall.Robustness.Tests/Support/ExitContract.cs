using Firewall.Tests.Support;

namespace Firewall.Robustness.Tests.Support;

/// <summary>The clean-exit contract of issue 8, checked on what an in-process CLI run printed and returned.</summary>
internal static class ExitContract
{
    /// <summary>0, or 2 with exactly one message line (after any warnings); never a stack trace.</summary>
    public static void AssertClean(CliResult r, string what)
    {
        var all = r.Out + r.Error;
        Assert.False(all.Contains("Unhandled", StringComparison.Ordinal) || all.Contains("   at ", StringComparison.Ordinal),
            $"{what}: a stack trace reached the user:\n{r.Error}");
        switch (r.ExitCode)
        {
            case 0:
                break;
            case 2:
                // Warnings about the capture's damage may come first; the failure itself is one line.
                var messages = r.ErrorLines.Where(l => !l.StartsWith("firewall: warning: ", StringComparison.Ordinal)).ToArray();
                Assert.True(messages.Length == 1, $"{what}: exit 2 must print exactly one message line, printed:\n{r.Error}");
                Assert.StartsWith("firewall: ", messages[0]);
                break;
            default:
                Assert.Fail($"{what}: exit code {r.ExitCode}; expected 0 or 2. stderr:\n{r.Error}");
                break;
        }
    }
}
