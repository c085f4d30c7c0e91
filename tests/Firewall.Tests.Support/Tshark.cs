namespace Firewall.Tests.Support;

/// <summary>
/// Wireshark's tshark, when installed: the reference reader the decoder, synth and frame-accounting tests
/// compare with. A test that runs it without tshark on PATH is skipped (.ci/run installs it).
/// </summary>
public static class Tshark
{
    /// <summary>The tshark found on PATH, or null.</summary>
    public static string? Path { get; } = ChildProcess.Find("tshark");

    public static bool Available => Path is not null;

    /// <summary>Runs tshark with <paramref name="args"/> and returns its exit code and what it printed; skips the test without tshark.</summary>
    public static (int ExitCode, string Out, string Error) Invoke(IEnumerable<string> args)
    {
        Skip.If(Path is null, "tshark is not installed");
        return ChildProcess.Run(Path!, args);
    }

    /// <summary>What tshark prints for <paramref name="args"/>, which must succeed.</summary>
    public static string Run(params string[] args)
    {
        var (code, output, error) = Invoke(args);
        Assert.True(code == 0, $"tshark {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    /// <summary>How many frames tshark reads from the capture: one line per frame (<c>tshark -r F | wc -l</c>), counted without a shell.</summary>
    public static int CountFrames(string capture) =>
        Run("-n", "-r", capture, "-T", "fields", "-e", "frame.number").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Distinct values of a field over the capture's frames (e.g. <c>tcp.stream</c>: the TCP connections Wireshark tells apart).</summary>
    public static int CountDistinct(string capture, string field) =>
        Run("-r", capture, "-T", "fields", "-e", field).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count();

    /// <summary>
    /// Problems tshark reports for the capture: the expert-info warnings and errors, with every checksum
    /// check switched on, plus any line of the full dissection that says malformed, bad checksum or incorrect.
    /// </summary>
    public static IReadOnlyList<string> Problems(string capture)
    {
        string[] checks = ["-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"];
        var expert = Run(["-r", capture, .. checks, "-z", "expert,warn", "-q"]);
        var problems = new List<string>();
        // The expert summary lists one row per message: frequency, group, protocol, summary. Only the
        // Malformed and Checksum groups say the capture is wrong; "Sequence: Connection reset" is a reset exchange doing its job.
        problems.AddRange(expert.Split('\n').Where(l =>
            l.Contains(" Malformed ", StringComparison.Ordinal) || l.Contains(" Checksum ", StringComparison.Ordinal)).Select(l => l.Trim()));
        var verbose = Run(["-r", capture, .. checks, "-V"]);
        problems.AddRange(verbose.Split('\n').Where(l =>
            l.Contains("malformed", StringComparison.OrdinalIgnoreCase)
            || l.Contains("bad checksum", StringComparison.OrdinalIgnoreCase)
            || l.Contains("incorrect", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()));
        return problems;
    }
}
