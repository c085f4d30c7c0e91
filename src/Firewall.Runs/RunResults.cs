using Firewall.Analysis.Runs;

namespace Firewall.Runs;

/// <summary>The input and the ruleset as the user named them: every report's header shows these.</summary>
public readonly record struct RunNames(string Capture, string Ruleset);

/// <summary>Reading a capture stopped part-way (a truncated gzip stream, a read error): nothing after <see cref="FramesRead"/> was evaluated.</summary>
public sealed record ReadFailure(string CaptureName, long FramesRead, string Message)
{
    public override string ToString() => $"{CaptureName}: reading stopped after frame {FramesRead}: {Message}";
}

/// <summary>
/// A finished capture run: its report, or why reading stopped (then there is no report); and what the
/// merging of several threads' results could not make exact, for the caller to show as warnings.
/// </summary>
public sealed record CaptureRunResult(RunReport? Report, ReadFailure? Failure, IReadOnlyList<string> Caveats)
{
    public static CaptureRunResult Stopped(ReadFailure failure) => new(null, failure, []);
}
