using System.Reflection;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Packaging;

/// <summary>
/// The three embeddable libraries packed once per test class into a temporary folder, as an embedder
/// would get them, and the embedding sample (samples/embedding) built against those packages.
/// <para>The libraries are packed from the build the tests run on (<c>dotnet pack --no-build</c>, in the
/// tests' own configuration), so packing takes a second or two and needs no network. The sample is
/// restored with only two sources: the folder packed into and this machine's NuGet global packages folder
/// (where the solution's own restore put YamlDotNet), so it builds offline too; into a packages folder of
/// its own, so that the freshly packed Firewall.* 0.1.0 never lands in the machine's cache, and with
/// Firewall.* mapped to the packed folder alone, so that a copy already in that cache (from running the
/// sample in the clone) is never taken instead.</para>
/// </summary>
public sealed class PackedLibraries : IDisposable
{
    public static readonly string[] Ids = ["Firewall.Engine", "Firewall.Capture", "Firewall.Rulesets"];

    private readonly TempDir _dir = new();

    public PackedLibraries()
    {
        Folder = Path.Combine(_dir.Path, "nupkg");
        var configuration = typeof(PackedLibraries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (var id in Ids)
        {
            Dotnet.Run(Repository.Root, "pack", Repository.PathOf($"src/{id}/{id}.csproj"), "--no-build", "-c", configuration,
                "-o", Folder, $"-p:NuspecOutputPath={Path.Combine(_dir.Path, "nuspec", id)}/");
        }

        // The sample keeps its place two levels below a root holding nupkg/, so its own nuget.config
        // (<add value="../../nupkg">) is the one that finds the packages, as in a clone.
        var sample = Path.Combine(_dir.Path, "samples", "embedding");
        Directory.CreateDirectory(sample);
        foreach (var file in new[] { "Program.cs", "Embedding.csproj", "nuget.config", "Directory.Build.props" })
        {
            File.Copy(Repository.PathOf($"samples/embedding/{file}"), Path.Combine(sample, file));
        }
        var cache = Dotnet.Run(_dir.Path, "nuget", "locals", "global-packages", "--list").Split(": ", 2)[1].Trim();
        File.WriteAllText(Path.Combine(_dir.Path, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="firewall-local"><package pattern="Firewall.*" /></packageSource>
                <packageSource key="machine-cache"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        Packages = Path.Combine(_dir.Path, "packages");
        Dotnet.Run(sample, "build", "--packages", Packages, "-c", "Release", "-o", Path.Combine(_dir.Path, "bin"));
        SampleDll = Path.Combine(_dir.Path, "bin", "Embedding.dll");
    }

    /// <summary>The folder holding the three .nupkg files.</summary>
    public string Folder { get; }

    /// <summary>The packages folder the sample was restored into.</summary>
    public string Packages { get; }

    /// <summary>The built sample, to run with <c>dotnet</c>.</summary>
    public string SampleDll { get; }

    public string Package(string id) => Path.Combine(Folder, $"{id}.0.1.0.nupkg");

    /// <summary>Runs the built sample.</summary>
    public (int ExitCode, string Out, string Error) RunSample(params string[] args) => Dotnet.Exec(_dir.Path, [SampleDll, .. args]);

    public void Dispose() => _dir.Dispose();
}

/// <summary>Runs the dotnet that runs these tests as a child process, with none of the test run's MSBuild settings.</summary>
internal static class Dotnet
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Runs dotnet; throws with everything it printed when it fails. Returns its standard output.</summary>
    public static string Run(string workingDirectory, params string[] args)
    {
        // No build server or MSBuild node outlives the command.
        string[] all = args[0] is "build" or "pack" ? [.. args, "--disable-build-servers", "-nologo"] : args;
        var (code, output, error) = Exec(workingDirectory, all);
        Assert.True(code == 0, $"dotnet {string.Join(' ', all)} exited with {code}:\n{output}{error}");
        return output;
    }

    /// <summary>Runs dotnet; its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Out, string Error) Exec(string workingDirectory, string[] args) =>
        ChildProcess.Run(ChildProcess.DotnetHost(), args, workingDirectory, info =>
        {
            // dotnet test hands its own MSBuild's settings down; a nested build must find its own.
            foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(name);
            }
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        }, Limit);
}
