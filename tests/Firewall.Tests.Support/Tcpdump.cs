namespace Firewall.Tests.Support;

/// <summary>
/// tcpdump, when installed: libpcap's compiler and BPF are the reference for what a pcap-filter expression
/// selects. A test that runs it without tcpdump on PATH is skipped (.ci/run installs it).
/// </summary>
public static class Tcpdump
{
    public static string? Path { get; } = ChildProcess.Find("tcpdump", "/usr/sbin/tcpdump", "/usr/bin/tcpdump");

    /// <summary>Writes the packets of <paramref name="capture"/> that <paramref name="expression"/> selects to <paramref name="output"/> (<c>tcpdump -r CAP -w OUT EXPR</c>); skips the test without tcpdump.</summary>
    public static void Select(string capture, string expression, string output)
    {
        Skip.If(Path is null, "tcpdump is not installed");
        var (code, _, error) = ChildProcess.Run(Path!, ["-n", "-r", capture, "-w", output, expression]);
        Assert.True(code == 0, $"tcpdump -r {capture} -w {output} '{expression}' exited {code}: {error}");
    }
}
