using System.Diagnostics;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary>Runs tshark over a capture and collects what it says about malformed packets and checksums.</summary>
internal static class Tshark
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, "tshark");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Problems tshark reports for the capture: the expert-info warnings and errors, with every checksum
    /// check switched on, plus any line of the full dissection that says malformed, bad checksum or incorrect.
    /// </summary>
    public static IReadOnlyList<string> Problems(string capture)
    {
        var checks = new[] { "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE" };
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

    /// <summary>Distinct values of a field over the capture's frames (e.g. <c>tcp.stream</c>: the TCP connections Wireshark tells apart).</summary>
    public static int CountDistinct(string capture, string field) =>
        Run(["-r", capture, "-T", "fields", "-e", field]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count();

    public static int CountFrames(string capture) =>
        Run(["-r", capture, "-T", "fields", "-e", "frame.number"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Run(string[] args)
    {
        Skip.If(Path is null, "tshark is not installed");
        var info = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tshark exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
