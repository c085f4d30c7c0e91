using System.Text;
using Firewall.Cli;

namespace Firewall.Robustness.Tests.Support;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard error without the empty last line.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <see cref="FirewallCli.Run"/> in-process; a capture named "-" is read from <c>stdin</c>.</summary>
internal static class InProcessCli
{
    public static CliResult Run(byte[]? stdin, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            OpenInput = () => new MemoryStream(stdin ?? [], writable: false),
            ErrorIsTerminal = false,
        };
        var code = FirewallCli.Run(args, console);
        return new CliResult(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    /// <summary>
    /// The clean-exit contract of issue 8: 0, or 2 with exactly one message line (after any warnings); never a stack trace.
    /// </summary>
    public static void AssertCleanExit(CliResult r, string what)
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

/// <summary>Paths in the repository, found from the test binary's location.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every capture the repository ships: tests/captures and samples.</summary>
    public static IEnumerable<string> Captures() =>
        Directory.EnumerateFiles(PathOf("tests/captures"))
            .Concat(Directory.EnumerateFiles(PathOf("samples")))
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal) || f.EndsWith(".gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Firewall.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Firewall.sln not found above " + AppContext.BaseDirectory);
    }
}
