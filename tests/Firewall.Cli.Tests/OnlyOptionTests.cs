using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>check --only</c> narrows the per-packet records to what a person is chasing; evaluation still sees every
/// packet, so tracking and every total stay those of the whole capture.
/// </summary>
public sealed class OnlyOptionTests
{
    private static readonly string Capture = Repository.PathOf("samples/web-tier.pcapng");
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    private static string[] Lines(params string[] extra)
    {
        var r = InProcessCli.Run(["check", Capture, "--ruleset", Ruleset, "--packets", "--format", "jsonl", .. extra]);
        Assert.Equal(0, r.ExitCode);
        return r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Field(string line, string name)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
    }

    [Theory]
    [InlineData("denied")]
    [InlineData("reply-denied")]
    [InlineData("allowed")]
    [InlineData("undecodable")]
    public void Only_lists_the_selected_packets_and_keeps_every_other_record(string only)
    {
        var all = Lines();
        var selected = Lines("--only", only);
        bool Wanted(string line) => only switch
        {
            "denied" => Field(line, "verdict") == "deny",
            "reply-denied" => Field(line, "verdict") == "deny" && Field(line, "direction") == "reply",
            "allowed" => Field(line, "verdict") == "allow",
            _ => Field(line, "verdict") == "undecodable",
        };
        var expected = all.Where(l => Field(l, "type") != "packet" || Wanted(l)).ToArray();
        Assert.Equal(expected, selected);
        if (only != "undecodable")
        {
            Assert.Contains(selected, l => Field(l, "type") == "packet"); // the sample has such packets
        }
    }

    [Fact]
    public void Only_needs_packets()
    {
        var r = InProcessCli.Run("check", Capture, "--ruleset", Ruleset, "--only", "denied");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--only selects the per-packet records: add --packets", r.Error);
    }
}
