using Firewall.Capture.Reading;
using Firewall.Flows.Loading;
using Firewall.Flows.Testing;
using Firewall.Fuzz;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Robustness.Tests;

/// <summary>
/// Replays every file of tests/fuzz-corpus/TARGET through that target's entry function, the one afl-fuzz
/// drives (scripts/fuzz.sh), without a fuzzer: seeds, inputs afl-fuzz found that reach new code (grown-*:
/// the afl-cmin minimum of a 900 s run, files under 1200 bytes), and every crash found so far (crash-*:
/// each was fixed, and stays here as its regression test).
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_file_runs_through_its_target_without_a_crash(string target)
    {
        var run = FuzzTargets.All[target];
        var files = Directory.GetFiles(Repository.PathOf(Path.Combine("tests", "fuzz-corpus", target))).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                run(File.ReadAllBytes(file));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Collected so that one run names every crashing file; the test fails below.
                failures.Add($"{Path.GetFileName(file)}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {files.Count} {target} corpus files crash:\n{string.Join("\n", failures)}");
        // The corpus should stay small enough to replay on every test run: bounded in files and bytes, not in
        // seconds (a busy CI machine runs several times slower than an idle one).
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Assert.True(files.Count <= 400 && bytes <= 2 * 1024 * 1024, $"the {target} corpus holds {files.Count} files, {bytes} bytes: minimise it (afl-cmin) below 400 files and 2 MiB");
    }

    /// <summary>
    /// The seeds are inputs the product accepts, so that fuzzing starts deep inside each reader rather than
    /// at its first refusal (a seed the harness rejects would make the fuzzer mutate error paths only).
    /// </summary>
    [Fact]
    public void The_seeds_are_valid_inputs_for_their_targets()
    {
        string[] Seeds(string target) => Directory.GetFiles(Repository.PathOf(Path.Combine("tests", "fuzz-corpus", target)))
            .Where(f => !Path.GetFileName(f).StartsWith("crash-", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("grown-", StringComparison.Ordinal))
            .ToArray();
        foreach (var f in Seeds("capture"))
        {
            using var reader = CaptureReader.Open(new MemoryStream(File.ReadAllBytes(f)), f);
            Assert.True(reader.TryReadNext(out _), $"{f}: no frame");
        }
        foreach (var f in Seeds("ruleset"))
        {
            var r = RulesetLoader.LoadText(File.ReadAllText(f), "fuzz.yaml");
            Assert.True(r.Succeeded, $"{f}: {string.Join("; ", r.Diagnostics)}");
        }
        var webTier = RulesetLoader.LoadFile(Repository.PathOf("rulesets/web-tier.yaml")).Ruleset;
        foreach (var f in Seeds("flows"))
        {
            var r = FlowsLoader.LoadText(File.ReadAllText(f), Repository.PathOf("rulesets/fuzz.flows.yaml"), webTier);
            Assert.True(r.Succeeded, $"{f}: {string.Join("; ", r.Diagnostics)}");
        }
        foreach (var f in Seeds("testfile"))
        {
            var r = TestFileLoader.LoadText(File.ReadAllText(f), Repository.PathOf("rulesets/fuzz.tests.yaml"));
            Assert.True(r.Succeeded, $"{f}: {string.Join("; ", r.Diagnostics)}");
        }
    }
}
