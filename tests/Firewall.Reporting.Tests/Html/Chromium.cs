using System.Diagnostics;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Html;

/// <summary>
/// Debian's headless Chromium, run as a separate process on a local file: <c>--dump-dom</c> prints the
/// DOM after the page's script ran, <c>--screenshot</c> writes a PNG. Every run gets a fresh profile
/// directory and has background networking, component updates and sync turned off, so it touches no
/// network (the page itself names no URL to fetch, which MarkupTests check).
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static string? Unavailable => File.Exists(Path) ? null : $"{Path} is not installed (Debian package 'chromium'; .ci/run installs it)";

    public static string DumpDom(string htmlFile) => Run(htmlFile, ["--dump-dom"]);

    public static void Screenshot(string htmlFile, string pngFile, int width, int height) =>
        Run(htmlFile, [$"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars"]);

    private static string Run(string htmlFile, string[] extra)
    {
        using var profile = new TempDir();
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", $"--user-data-dir={profile.Path}",
        })
        {
            start.ArgumentList.Add(a);
        }
        foreach (var a in extra)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add(new Uri(System.IO.Path.GetFullPath(htmlFile)).AbsoluteUri);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chromium exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout.Result;
    }
}
