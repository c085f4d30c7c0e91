using Firewall.Capture.Reading;

namespace Firewall.Cli;

/// <summary>
/// The process's standard streams, passed in so that the whole CLI runs in-process in tests with
/// captured output. Standard output is a byte stream: reports are written as UTF-8 without a text layer.
/// </summary>
public sealed class CliConsole
{
    public required Stream Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Opens standard input (for a capture named "-").</summary>
    public required Func<Stream> OpenInput { get; init; }

    /// <summary>Progress is shown only when standard error is a terminal.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>
    /// Standard output is a terminal: a person reads records as they come, and text reports are coloured
    /// by default.
    /// </summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>An environment variable's value, or null (<c>NO_COLOR</c>); none by default, so that tests see no process environment.</summary>
    public Func<string, string?> Variable { get; init; } = _ => null;

    public static CliConsole FromSystem()
    {
        // A report piped out moves faster through a larger pipe (no-op unless standard output is a Linux pipe).
        PipeBuffer.Widen(1);
        return new()
        {
            Out = Console.OpenStandardOutput(),
            Error = Console.Error,
            OpenInput = () =>
            {
                // A capture piped in moves faster through a larger pipe (no-op unless standard input is a Linux pipe).
                PipeBuffer.Widen(0);
                return StandardInput();
            },
            ErrorIsTerminal = !Console.IsErrorRedirected,
            OutIsTerminal = !Console.IsOutputRedirected,
            Variable = Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>
    /// Standard input as a file stream, which can tell a regular file (<c>&lt; capture.pcap</c>: seekable, read
    /// as fast as the disk goes) from a pipe or terminal (live); the console's own stream says neither.
    /// </summary>
    private static Stream StandardInput()
    {
        try
        {
            return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return Console.OpenStandardInput();
        }
    }
}

/// <summary>SPEC §5 exit codes.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A --fail-on condition was met.</summary>
    public const int ConditionMet = 1;

    /// <summary>Bad usage or bad input: nothing or not everything was evaluated.</summary>
    public const int BadInput = 2;
}
