using System.Diagnostics;

namespace Firewall.Rulesets.Tests.Properties;

using static LoaderAssert;

/// <summary>
/// Inputs built to hurt a YAML loader answer with one positioned diagnostic, quickly and with bounded
/// memory. Allocation is measured on this thread around the load only (the input text is built before).
/// </summary>
public class HostileInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private (string[] Errors, long Allocated) Measure(string text)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = RulesetLoader.LoadText(text, File);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{text.Length} chars: {allocated} bytes allocated");
        return (result.Diagnostics.Select(d => $"{d.Line}:{d.Column}: {d.Message}").ToArray(), allocated);
    }

    [Fact]
    public void TenMegabyteScalarOnOneLine()
    {
        var text = "version: 1\ndescription: " + new string('x', 10 * 1024 * 1024) + "\n";
        var (errors, allocated) = Measure(text);
        Assert.Equal(["2:65537: line 2 is longer than 65536 characters, the limit for any line or value in this format"], errors);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TenMegabyteScalarOverManyLines()
    {
        // Lines under the per-line bound, so the parser reads the block scalar and the per-value bound refuses it.
        var text = "version: 1\ndescription: |\n" + string.Concat(Enumerable.Repeat("  " + new string('x', 1022) + "\n", 10 * 1024));
        var (errors, allocated) = Measure(text);
        Assert.Equal(["2:14: a value of 10475520 characters is longer than 65536, the limit for any value in this format"], errors);
        // The parser builds the value before handing it over: a small multiple of the 20 MB of text.
        Assert.True(allocated < 96L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TenThousandDeepFlowNesting()
    {
        var text = "version: 1\nname: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var (errors, allocated) = Measure(text);
        Assert.Equal(["2:70: nesting is deeper than 64 levels, the limit for this format"], errors);
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TenThousandDeepBlockNesting()
    {
        // "- - - - …": each dash opens a block sequence one level deeper.
        var text = "version: 1\nname:\n" + string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n";
        var (errors, allocated) = Measure(text);
        Assert.Equal(["3:127: nesting is deeper than 64 levels, the limit for this format"], errors);
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void BillionLaughs()
    {
        // Nine levels of ten aliases each would expand to 10^9 strings in an alias-expanding loader.
        var lines = new List<string> { "version: 1", "prefix_lists:", "  l0: &l0 [lol]" };
        for (var i = 1; i <= 9; i++)
        {
            lines.Add($"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]");
        }
        var (errors, allocated) = Measure(string.Join("\n", lines) + "\n");
        Assert.Equal(
            [
                "3:7: anchors (&l0) are not supported: write each value out in full",
                "4:7: anchors (&l1) are not supported: write each value out in full",
                "4:12: aliases (*l0) are not supported: write the value out in full",
            ],
            errors);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ManyEntitiesLoadInLinearishTime()
    {
        // Subnets and interfaces with cross-references, at n and 4n: linear work takes about 4 times as long,
        // a quadratic step 16 times. No absolute limit (a busy CI machine ran this 3-7 times slower than an
        // idle one); the two sizes are loaded in turn and each keeps its fastest run, so a burst of load on
        // the machine slows one run of each rather than one size.
        const int small = 5_000, large = 4 * small;
        string Text(int n)
        {
            var sb = new System.Text.StringBuilder("version: 1\nsubnets:\n");
            for (var i = 0; i < n; i++)
            {
                sb.Append($"  s{i}: {{ cidr: 10.{i / 256}.{i % 256}.0/24 }}\n");
            }
            sb.Append("interfaces:\n");
            for (var i = 0; i < n; i++)
            {
                sb.Append($"  i{i}: {{ addresses: [10.{i / 256}.{i % 256}.1], subnet: s{i} }}\n");
            }
            return sb.ToString();
        }
        var texts = new[] { Text(small), Text(large) };
        RulesetLoader.LoadText(Text(100), File); // JIT and type initialisers out of the first timed run
        (TimeSpan Small, TimeSpan Large) Measure()
        {
            var fastest = new[] { TimeSpan.MaxValue, TimeSpan.MaxValue };
            for (var round = 0; round < 3; round++)
            {
                for (var k = 0; k < 2; k++)
                {
                    GC.Collect(); // each run starts with a clean heap rather than the other size's garbage
                    var clock = Stopwatch.StartNew();
                    var result = RulesetLoader.LoadText(texts[k], File);
                    clock.Stop();
                    Assert.Empty(result.Diagnostics);
                    Assert.Equal(k == 0 ? small : large, result.Ruleset!.Interfaces.Count);
                    fastest[k] = clock.Elapsed < fastest[k] ? clock.Elapsed : fastest[k];
                }
            }
            return (fastest[0], fastest[1]);
        }
        // A quadratic step is slow every time; a burst of load on a shared CI machine (tests of other projects
        // run at the same time) is not: a ratio past the bound is measured again, up to three times in all.
        var measured = new List<(TimeSpan Small, TimeSpan Large)>();
        for (var attempt = 0; attempt < 3 && (measured.Count == 0 || measured[^1].Large / measured[^1].Small >= 10); attempt++)
        {
            measured.Add(Measure());
            output.WriteLine($"{small} entities: {measured[^1].Small.TotalMilliseconds:F0} ms, {large}: {measured[^1].Large.TotalMilliseconds:F0} ms, ratio {measured[^1].Large / measured[^1].Small:F1}");
        }
        var (fast, slow) = measured[^1];
        var ratio = slow / fast;
        Assert.True(ratio < 10, $"4 times the entities took {ratio:F1} times as long ({fast} vs {slow}), in each of {measured.Count} measurements: some step grows faster than n log n");
    }

    [Fact]
    public void ErrorsAreCappedForAFileFullOfThem()
    {
        var text = "version: 1\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"bad{i}: 1\n"));
        var result = RulesetLoader.LoadText(text, File);
        Assert.Equal(Firewall.Rulesets.Yaml.DiagnosticBag.MaxDiagnostics + 1, result.Diagnostics.Count);
        Assert.EndsWith("too many errors; stopped after 500", result.Diagnostics[^1].Message);
    }
}
