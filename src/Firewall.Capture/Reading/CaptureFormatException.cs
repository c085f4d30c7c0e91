namespace Firewall.Capture.Reading;

/// <summary>
/// The input is not a capture this reader understands, or its file header is unusable. Raised only while
/// opening (at byte offset 0); damage later in a file becomes a <see cref="CaptureWarning"/> instead.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException(string displayName, string problem)
        : base($"{displayName}: {problem}")
    {
        DisplayName = displayName;
        Problem = problem;
    }

    /// <summary>The file name as the user gave it ("-" for standard input).</summary>
    public string DisplayName { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Problem { get; }
}
