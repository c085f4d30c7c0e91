using System.Diagnostics;
using Firewall.Fuzz;
using Firewall.Robustness.Tests.Support;

namespace Firewall.Robustness.Tests;

/// <summary>
/// Replays every file of tests/fuzz-corpus/TARGET through that target's entry function, the one afl-fuzz
/// drives (scripts/fuzz.sh), without a fuzzer: seeds, inputs the fuzzer found interesting, and every
/// crash found so far (crash-*: each was fixed, and stays here as its regression test).
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_file_runs_through_its_target_without_a_crash(string target)
    {
        var run = FuzzTargets.All[target];
        var files = Directory.GetFiles(Repo.PathOf(Path.Combine("tests", "fuzz-corpus", target))).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var clock = Stopwatch.StartNew();
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
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"replaying {files.Count} files took {clock.Elapsed}: the corpus should stay small");
    }
}
