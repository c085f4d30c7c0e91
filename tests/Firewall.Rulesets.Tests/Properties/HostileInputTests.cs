using System.Diagnostics;

namespace Firewall.Rulesets.Tests.Properties;

using static LoaderAssert;

/// <summary>
/// Inputs built to hurt a YAML loader answer with one positioned diagnostic, quickly and with bounded
/// memory. Allocation is measured on this thread around the load only (the input text is built before).
/// </summary>
public class HostileInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private (string[] Errors, long Allocated, TimeSpan Elapsed) Measure(string text)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var result = RulesetLoader.LoadText(text, File);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{text.Length} chars: {allocated} bytes allocated, {clock.Elapsed.TotalMilliseconds:F1} ms");
        return (result.Diagnostics.Select(d => $"{d.Line}:{d.Column}: {d.Message}").ToArray(), allocated, clock.Elapsed);
    }

    [Fact]
    public void TenMegabyteScalarOnOneLine()
    {
        var text = "version: 1\ndescription: " + new string('x', 10 * 1024 * 1024) + "\n";
        var (errors, allocated, elapsed) = Measure(text);
        Assert.Equal(["2:65537: line 2 is longer than 65536 characters, the limit for any line or value in this format"], errors);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
    }

    [Fact]
    public void TenMegabyteScalarOverManyLines()
    {
        // Lines under the per-line bound, so the parser reads the block scalar and the per-value bound refuses it.
        var text = "version: 1\ndescription: |\n" + string.Concat(Enumerable.Repeat("  " + new string('x', 1022) + "\n", 10 * 1024));
        var (errors, allocated, elapsed) = Measure(text);
        Assert.Equal(["2:14: a value of 10475520 characters is longer than 65536, the limit for any value in this format"], errors);
        // The parser builds the value before handing it over: a small multiple of the 20 MB of text.
        Assert.True(allocated < 96L * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public void TenThousandDeepFlowNesting()
    {
        var text = "version: 1\nname: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var (errors, allocated, elapsed) = Measure(text);
        Assert.Equal(["2:70: nesting is deeper than 64 levels, the limit for this format"], errors);
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
    }

    [Fact]
    public void TenThousandDeepBlockNesting()
    {
        // "- - - - …": each dash opens a block sequence one level deeper.
        var text = "version: 1\nname:\n" + string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n";
        var (errors, allocated, elapsed) = Measure(text);
        Assert.Equal(["3:127: nesting is deeper than 64 levels, the limit for this format"], errors);
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"took {elapsed}");
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
        var (errors, allocated, elapsed) = Measure(string.Join("\n", lines) + "\n");
        Assert.Equal(
            [
                "3:7: anchors (&l0) are not supported: write each value out in full",
                "4:7: anchors (&l1) are not supported: write each value out in full",
                "4:12: aliases (*l0) are not supported: write the value out in full",
            ],
            errors);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
    }

    [Fact]
    public void ManyEntitiesLoadInLinearishTime()
    {
        // 20,000 subnets and interfaces with cross-references: any quadratic step would take minutes.
        var sb = new System.Text.StringBuilder("version: 1\nsubnets:\n");
        for (var i = 0; i < 20_000; i++)
        {
            sb.Append($"  s{i}: {{ cidr: 10.{i / 256}.{i % 256}.0/24 }}\n");
        }
        sb.Append("interfaces:\n");
        for (var i = 0; i < 20_000; i++)
        {
            sb.Append($"  i{i}: {{ addresses: [10.{i / 256}.{i % 256}.1], subnet: s{i} }}\n");
        }
        var clock = Stopwatch.StartNew();
        var result = RulesetLoader.LoadText(sb.ToString(), File);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(20_000, result.Ruleset!.Interfaces.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
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
