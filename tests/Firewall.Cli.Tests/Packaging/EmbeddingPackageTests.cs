using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Packaging;

/// <summary>
/// The libraries an embedder references (docs/embedding.md) as packages: what each .nupkg holds and depends
/// on, and the embedding sample built against them printing what <c>check</c> reports.
/// </summary>
public sealed class EmbeddingPackageTests(PackedLibraries packed) : IClassFixture<PackedLibraries>
{
    [Theory]
    [InlineData("Firewall.Engine", new string[0])]
    [InlineData("Firewall.Capture", new[] { "Firewall.Engine 0.1.0" })]
    [InlineData("Firewall.Rulesets", new[] { "Firewall.Engine 0.1.0", "YamlDotNet 18.1.0" })]
    public void Each_package_carries_its_assembly_its_documentation_and_its_dependencies(string id, string[] dependencies)
    {
        using var zip = ZipFile.OpenRead(packed.Package(id));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);
        Assert.Contains("embedding.md", names);

        var nuspec = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open()).Root!;
        var ns = nuspec.Name.Namespace;
        var metadata = nuspec.Element(ns + "metadata")!;
        Assert.Equal(id, metadata.Element(ns + "id")!.Value);
        Assert.Equal("0.1.0", metadata.Element(ns + "version")!.Value);
        Assert.Equal("embedding.md", metadata.Element(ns + "readme")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        var group = Assert.Single(metadata.Element(ns + "dependencies")!.Elements(ns + "group"));
        Assert.Equal("net10.0", group.Attribute("targetFramework")!.Value);
        Assert.Equal(dependencies, group.Elements(ns + "dependency").Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Firewall.Engine")]
    [InlineData("Firewall.Capture")]
    [InlineData("Firewall.Rulesets")]
    public void The_sample_was_restored_from_the_packed_folder(string id)
    {
        // NuGet notes where it took each package from; the machine's cache may hold an older 0.1.0.
        var metadata = Path.Combine(packed.Packages, id.ToLowerInvariant(), "0.1.0", ".nupkg.metadata");
        var source = JsonDocument.Parse(File.ReadAllText(metadata)).RootElement.GetProperty("source").GetString()!;
        Assert.Equal(Path.TrimEndingDirectorySeparator(packed.Folder), Path.TrimEndingDirectorySeparator(source));
    }

    [Theory]
    [InlineData("Firewall.Rulesets", "M:Firewall.Rulesets.RulesetLoader.LoadFile(System.String,Firewall.Rulesets.Yaml.YamlLimits)")]
    [InlineData("Firewall.Engine", "M:Firewall.Engine.Compilation.RulesetCompiler.Compile(Firewall.Engine.Model.Ruleset,System.Int32)")]
    [InlineData("Firewall.Engine", "M:Firewall.Engine.Evaluation.Evaluator.Evaluate(Firewall.Engine.Packets.PacketInfo@,Firewall.Engine.Evaluation.PacketResult@)")]
    [InlineData("Firewall.Engine", "F:Firewall.Engine.Evaluation.PacketResult.RuleId")]
    [InlineData("Firewall.Engine", "M:Firewall.Engine.Compilation.RuleTable.Reference(System.Int32)")]
    [InlineData("Firewall.Capture", "M:Firewall.Capture.PacketReader.TryReadNext(Firewall.Engine.Packets.PacketInfo@)")]
    [InlineData("Firewall.Capture", "M:Firewall.Capture.Reading.CaptureReader.Open(System.String,System.Boolean)")]
    public void The_entry_points_the_sample_calls_are_documented_in_the_package(string id, string member)
    {
        using var zip = ZipFile.OpenRead(packed.Package(id));
        var docs = XDocument.Load(zip.GetEntry($"lib/net10.0/{id}.xml")!.Open());
        var found = docs.Descendants("member").SingleOrDefault(m => m.Attribute("name")?.Value == member);
        Assert.True(found is not null, $"{id}.xml documents no {member}");
        Assert.False(string.IsNullOrWhiteSpace(found.Value));
    }

    [Fact]
    public void The_sample_built_from_the_packages_prints_the_packets_check_denies()
    {
        var capture = Repository.PathOf("samples/web-tier.pcapng");
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var (code, output, error) = packed.RunSample(capture, ruleset);
        Assert.True(code == 0, error);

        var check = InProcessCli.Run("check", capture, "--ruleset", ruleset, "--packets", "--only", "denied", "--format", "jsonl");
        var denied = check.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "packet")
            .Select(r => $"frame {r.GetProperty("frame").GetInt64()}: denied by {r.GetProperty("rule").GetString()}")
            .ToList();
        Assert.Equal(23, denied.Count); // the README's count for this sample
        var lines = output.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([.. denied, "23 of 100 packets denied"], lines);

        // The page shows this very output.
        Assert.Equal(output.Replace("\r\n", "\n"), EmbeddingPage.Blocks("").Last());
    }

    [Fact]
    public void The_sample_refuses_a_broken_ruleset_with_its_diagnostics_and_exit_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.yaml"), "version: 1\nsubnets: [\n");
        var (code, output, error) = packed.RunSample(Repository.PathOf("samples/web-tier.pcapng"), dir.File("bad.yaml"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith(dir.File("bad.yaml") + ":", error, StringComparison.Ordinal);
    }
}
