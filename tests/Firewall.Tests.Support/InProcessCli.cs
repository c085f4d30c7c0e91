using System.Text;
using Firewall.Cli;

namespace Firewall.Tests.Support;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard error without the empty last line.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs <see cref="FirewallCli.Run"/> in-process, as the golden and end-to-end tests do: standard output
/// and error captured (error with "\n" line ends), the exit code returned, and standard input (what a
/// capture named "-" is read from) empty unless a test gives it. Paths are resolved from the process's
/// working directory, which the runner leaves alone: tests pass absolute paths.
/// </summary>
public static class InProcessCli
{
    public static CliResult Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs with <paramref name="stdin"/> (null: nothing) as standard input.</summary>
    public static CliResult RunWithInput(byte[]? stdin, params string[] args) =>
        RunWithStream(() => new MemoryStream(stdin ?? [], writable: false), args);

    /// <summary>Runs with standard input opened by <paramref name="openInput"/> (e.g. a stream that fails part-way, or one that never ends).</summary>
    public static CliResult RunWithStream(Func<Stream> openInput, params string[] args) =>
        RunWith(openInput, false, _ => null, args);

    /// <summary>
    /// Runs as if standard output were a terminal (<paramref name="outIsTerminal"/>) and the environment held
    /// <paramref name="environment"/>'s variables (and no other), standard input empty.
    /// </summary>
    public static CliResult RunWithConsole(bool outIsTerminal, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWith(() => new MemoryStream([], writable: false), outIsTerminal, name => environment.GetValueOrDefault(name), args);

    private static CliResult RunWith(Func<Stream> openInput, bool outIsTerminal, Func<string, string?> variable, string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            OpenInput = openInput,
            ErrorIsTerminal = false,
            OutIsTerminal = outIsTerminal,
            Variable = variable,
        };
        var code = FirewallCli.Run(args, console);
        return new CliResult(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
