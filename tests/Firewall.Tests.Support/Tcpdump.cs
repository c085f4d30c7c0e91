using System.Diagnostics;

namespace Firewall.Tests.Support;

/// <summary>
/// tcpdump, when installed: libpcap's compiler and BPF are the reference for what a pcap-filter expression
/// selects. A test that runs it without tcpdump on PATH is skipped (.ci/run installs it).
/// </summary>
public static class Tcpdump
{
    public static string? Path { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
            .Where(d => d.Length > 0)
            .SelectMany(d => new[] { System.IO.Path.Combine(d, "tcpdump") })
            .Concat(["/usr/sbin/tcpdump", "/usr/bin/tcpdump"])
            .FirstOrDefault(File.Exists);

    /// <summary>Writes the packets of <paramref name="capture"/> that <paramref name="expression"/> selects to <paramref name="output"/> (<c>tcpdump -r CAP -w OUT EXPR</c>); skips the test without tcpdump.</summary>
    public static void Select(string capture, string expression, string output)
    {
        Skip.If(Path is null, "tcpdump is not installed");
        var info = new ProcessStartInfo(Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-n", "-r", capture, "-w", output, expression })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("tcpdump did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tcpdump -r {capture} -w {output} '{expression}' exited {process.ExitCode}: {stderr.Result}");
    }
}
