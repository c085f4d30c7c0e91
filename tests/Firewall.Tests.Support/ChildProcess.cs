using System.Diagnostics;

namespace Firewall.Tests.Support;

/// <summary>Programs the tests run as child processes (tshark, tcpdump, git, dotnet): where they are, and running one to its end.</summary>
public static class ChildProcess
{
    /// <summary>The first <paramref name="name"/> in a directory of PATH, else the first of <paramref name="fallbacks"/> that exists, else null.</summary>
    public static string? Find(string name, params string[] fallbacks) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .Concat(fallbacks)
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// The dotnet executable running these tests (the CLI names it in DOTNET_HOST_PATH; testhost is started by
    /// it), else dotnet on the PATH.
    /// </summary>
    public static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="args"/> (each passed as it is, no shell), its
    /// standard output and error redirected, and standard input too when <paramref name="input"/>.
    /// </summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory = null, bool input = false, Action<ProcessStartInfo>? configure = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        configure?.Invoke(info);
        return Process.Start(info) ?? throw new InvalidOperationException($"{Path.GetFileName(file)} did not start");
    }

    /// <summary>
    /// Runs <paramref name="file"/> to its end, reading both outputs as they come, and returns its exit code and
    /// what it printed. A run longer than <paramref name="limit"/> (when given) is killed with its children.
    /// </summary>
    public static (int ExitCode, string Out, string Error) Run(
        string file, IEnumerable<string> args, string? workingDirectory = null, Action<ProcessStartInfo>? configure = null, TimeSpan? limit = null)
    {
        var list = args.ToList();
        using var process = Start(file, list, workingDirectory, configure: configure);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (limit is { } bound && !process.WaitForExit(bound))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', list)} ran past {bound}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
