using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Fuzz;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Robustness.Tests;

/// <summary>
/// Lose nothing: every frame of every shipped capture is counted exactly once as allowed, denied,
/// skipped, not filtered or undecodable, under every shipped ruleset, and the frames read are the frames
/// tshark reads (and the count MANIFEST.tsv records, which needs no tshark).
/// </summary>
public sealed class AccountingTests
{
    public static TheoryData<string> Captures() => new(Repository.ShippedCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_frame_is_counted_once_under_every_shipped_ruleset(string capture)
    {
        var frames = new HashSet<long>();
        foreach (var rulesetPath in Repository.ShippedRulesets())
        {
            foreach (var decap in new[] { false, true })
            {
                var rules = Compile(rulesetPath);
                using var reader = new PacketReader(CaptureReader.Open(Repository.PathOf(capture)), new DecoderOptions { DecapsulateVxlan = decap });
                var evaluator = new Evaluator(rules);
                var info = new PacketInfo();
                var result = new PacketResult();
                while (reader.TryReadNext(ref info))
                {
                    evaluator.Evaluate(in info, ref result);
                }
                FuzzTargets.CheckAccounting(evaluator.Counters, reader);
                Assert.Empty(reader.Capture.Warnings);
                frames.Add(evaluator.Counters.Frames);
            }
        }
        Assert.Single(frames);
        var name = Path.GetFileName(capture);
        if (Manifest.TryGetValue(name, out var expected))
        {
            Assert.Equal(expected, frames.Single());
        }
        else
        {
            Assert.StartsWith("samples", capture); // every file in tests/captures has its manifest line
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public void Frames_read_equal_the_frames_tshark_reads(string capture)
    {
        Skip.If(!Tshark.Available, "tshark is not installed");
        using var reader = new PacketReader(CaptureReader.Open(Repository.PathOf(capture)), new DecoderOptions());
        var info = new PacketInfo();
        while (reader.TryReadNext(ref info))
        {
        }
        Assert.Equal(Tshark.CountFrames(Repository.PathOf(capture)), reader.Counts.Frames);
    }

    [Fact]
    public void The_manifest_lists_every_capture_in_tests_captures()
    {
        var files = Directory.GetFiles(Repository.PathOf("tests/captures")).Select(Path.GetFileName).Where(n => n != "MANIFEST.tsv" && n != "README.md");
        Assert.Equal(files.Order(StringComparer.Ordinal), Manifest.Keys.Order(StringComparer.Ordinal));
    }

    private static CompiledRuleset Compile(string path)
    {
        var loaded = RulesetLoader.LoadFile(path);
        Assert.True(loaded.Succeeded, $"{path}: {string.Join("; ", loaded.Diagnostics)}");
        return RulesetCompiler.Compile(loaded.Ruleset!);
    }

    private static readonly Dictionary<string, long> Manifest = File.ReadAllLines(Repository.PathOf("tests/captures/MANIFEST.tsv"))
        .Skip(1)
        .Where(l => l.Length > 0)
        .Select(l => l.Split('\t'))
        .ToDictionary(f => f[0], f => long.Parse(f[2]));
}
