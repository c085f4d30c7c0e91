using System.Text;

namespace Firewall.Cli.Tests.Support;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs <see cref="FirewallCli.Run"/> in-process with captured standard streams.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => RunWithInput(null, args);

    public static CliResult RunWithInput(byte[]? stdin, params string[] args) =>
        RunWithStream(() => new MemoryStream(stdin ?? []), args);

    /// <summary>Runs with standard input opened by <paramref name="openInput"/> (e.g. a stream that fails part-way).</summary>
    public static CliResult RunWithStream(Func<Stream> openInput, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            OpenInput = openInput,
            ErrorIsTerminal = false,
        };
        var code = FirewallCli.Run(args, console);
        return new CliResult(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}

/// <summary>Paths in the repository, found from the test binary's location.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Firewall.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Firewall.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary directory removed when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("fw-cli-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test for it is not.
        }
    }
}
