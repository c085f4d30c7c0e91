using System.Text;
using Firewall.Robustness.Tests.Support;
using Firewall.Rulesets.Yaml;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// Hostile YAML end to end through <c>firewall check --ruleset</c> (and the flows and test-file readers):
/// a scalar past <see cref="YamlLimits.MaxScalarChars"/>, nesting past <see cref="YamlLimits.MaxDepth"/>,
/// exponentially expanding aliases, a document past <see cref="YamlLimits.MaxDocumentChars"/>, and a
/// "file" that never ends (/dev/zero). Each is refused with a positioned message and exit 2, no stack
/// trace, with what the whole CLI run allocated measured against a ceiling.
/// </summary>
public sealed class YamlBoundsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fw-robust-yaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_one_megabyte_scalar_is_refused_at_its_line()
    {
        var text = "version: 1\ndescription: " + new string('A', 1_000_000) + "\n";
        var r = CheckWithRuleset(text, 32 * Memory.MiB, "scalar of 1 000 000 characters");
        Assert.StartsWith("ruleset.yaml:2:", r.ErrorLines[0]);
        Assert.Contains("65536", r.ErrorLines[0]);
    }

    [Fact]
    public void Nesting_100000_deep_is_refused_at_the_line_or_the_depth_bound()
    {
        // On one line, 200 000 characters are over the line bound before the parser sees them.
        var oneLine = CheckWithRuleset("version: 1\ndescription: " + new string('[', 100_000) + new string(']', 100_000) + "\n", 32 * Memory.MiB, "nesting 100000 deep on one line");
        Assert.StartsWith("ruleset.yaml:2:", oneLine.ErrorLines[0]);
        // Over 100 000 lines, the tree reader stops at the depth bound.
        var lines = CheckWithRuleset("version: 1\ndescription: " + string.Concat(Enumerable.Repeat("[\n", 100_000)) + "\n", 64 * Memory.MiB, "nesting 100000 deep over lines");
        Assert.Contains($"{YamlLimits.Default.MaxDepth}", lines.ErrorLines[0]);
    }

    [Fact]
    public void Billion_laughs_aliases_are_refused_without_expanding()
    {
        var text = new StringBuilder("version: 1\nprefix_lists:\n  a0: &a0 [10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8, 10.0.0.0/8]\n");
        for (var i = 1; i < 10; i++)
        {
            text.Append($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }
        var r = CheckWithRuleset(text.ToString(), 8 * Memory.MiB, "billion laughs (9^10 expansion)");
        // The reader refuses the first anchor, so no alias is ever resolved, let alone expanded.
        Assert.StartsWith("ruleset.yaml:3:7: anchors (&a0) are not supported", r.ErrorLines[0]);
    }

    [Fact]
    public void A_document_over_the_document_bound_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        using (var f = File.Create(path))
        {
            f.SetLength(4L * YamlLimits.Default.MaxDocumentChars + 1); // sparse: no disk is spent
        }
        var r = Measure(() => InProcessCli.Run("check", Repository.PathOf("tests/captures/vxlan.pcap"), "--ruleset", path), 1 * Memory.MiB, "ruleset file of 64 MiB", out _);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("more than a ruleset may be", r.ErrorLines[0]);
    }

    [SkippableTheory]
    [InlineData("check", "--ruleset")]
    [InlineData("synth", "")]
    [InlineData("test", "")]
    public void A_file_that_never_ends_is_read_only_up_to_the_document_bound(string command, string option)
    {
        Skip.If(!File.Exists("/dev/zero"), "no /dev/zero here");
        string[] args = command switch
        {
            "check" => ["check", Repository.PathOf("tests/captures/vxlan.pcap"), option, "/dev/zero"],
            "synth" => ["synth", "/dev/zero", "-o", Path.Combine(_dir, "out.pcap")],
            _ => ["test", "/dev/zero"],
        };
        // 16 Mi characters decoded into a growing buffer and refused: bounded, where it used to read until
        // memory ran out.
        var r = Measure(() => InProcessCli.Run(args), 160 * Memory.MiB, $"{command} reading /dev/zero", out _);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"/dev/zero: the file holds more than", r.Error);
        Assert.DoesNotContain("   at ", r.Error);
    }

    private CliResult CheckWithRuleset(string yaml, long ceiling, string what)
    {
        var path = Path.Combine(_dir, "ruleset.yaml");
        File.WriteAllText(path, yaml);
        var r = Measure(() => InProcessCli.Run("check", Repository.PathOf("tests/captures/vxlan.pcap"), "--ruleset", path), ceiling, what, out _);
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("Unhandled", r.Error);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.Empty(r.Out);
        // Positioned diagnostics name the file by the path given; shorten for the assertions above.
        var shortened = r.Error.Replace(path, "ruleset.yaml");
        Assert.EndsWith("nothing was evaluated", shortened.TrimEnd());
        return r with { Error = shortened };
    }

    private CliResult Measure(Func<CliResult> run, long ceiling, string what, out long bytes)
    {
        var r = Memory.Allocated(run, out bytes);
        output.WriteLine($"bound: {what}: exit {r.ExitCode}, allocated {bytes / (double)Memory.MiB:F1} MiB: {r.ErrorLines.FirstOrDefault()?[..Math.Min(160, r.ErrorLines[0].Length)]}");
        Assert.True(bytes < ceiling, $"{what}: the run allocated {bytes} bytes, over the {ceiling}-byte ceiling");
        return r;
    }
}
