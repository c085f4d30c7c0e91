using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Packaging;

/// <summary>The fenced blocks of docs/embedding.md, by language.</summary>
internal static class EmbeddingPage
{
    private static readonly string Text = File.ReadAllText(Repository.PathOf("docs/embedding.md")).Replace("\r\n", "\n");

    /// <summary>The contents of every block fenced as <c>```LANGUAGE</c> ("" for plain fences), in page order.</summary>
    public static List<string> Blocks(string language)
    {
        var blocks = new List<string>();
        var lines = Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var fence = lines[i][3..];
            var end = Array.FindIndex(lines, i + 1, l => l == "```");
            if (fence == language)
            {
                blocks.Add(string.Concat(lines[(i + 1)..end].Select(l => l + "\n")));
            }
            i = end;
        }
        return blocks;
    }
}

/// <summary>The code docs/embedding.md shows is the sample's, file for file (its output: <see cref="EmbeddingPackageTests"/>).</summary>
public sealed class EmbeddingPageTests
{
    private static string Sample(string file) => File.ReadAllText(Repository.PathOf($"samples/embedding/{file}")).Replace("\r\n", "\n");

    [Fact]
    public void The_page_shows_the_samples_program()
    {
        Assert.Equal(Sample("Program.cs"), Assert.Single(EmbeddingPage.Blocks("csharp")));
    }

    [Fact]
    public void The_page_shows_the_samples_project_and_package_source()
    {
        Assert.Equal([Sample("Embedding.csproj"), Sample("nuget.config")], EmbeddingPage.Blocks("xml"));
    }

    [Fact]
    public void The_page_packs_the_three_packages_and_runs_the_sample_on_the_shipped_capture()
    {
        var commands = EmbeddingPage.Blocks("")[0];
        foreach (var id in PackedLibraries.Ids)
        {
            Assert.Contains($"dotnet pack src/{id} -o nupkg\n", commands);
        }
        Assert.EndsWith("dotnet run --project samples/embedding -- samples/web-tier.pcapng rulesets/web-tier.yaml\n", commands);
    }
}
