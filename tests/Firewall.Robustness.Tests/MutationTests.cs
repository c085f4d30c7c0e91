using System.IO.Compression;
using System.Text.Json;
using Firewall.Robustness.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Robustness.Tests;

/// <summary>
/// Wireshark's fuzz-test in-process: corrupt bytes of every shipped capture at random, as
/// <c>editcap -E 0.02</c> does (each byte replaced with probability 0.02), and run
/// <c>firewall check - --ruleset rulesets/web-tier.yaml --format json</c> on each (every other run with
/// another format, <c>--packets</c>/<c>--flows</c>, <c>--decap vxlan</c> or a policy option). Every run must exit
/// cleanly (0, or 2 with one message line, never a stack trace) and, when it ran, its five packet
/// totals must add up to the packets read. Seeded: a failure names the file and seed that reproduce it.
/// </summary>
public sealed class MutationTests
{
    /// <summary>Probability that a byte is replaced (editcap -E's value in Wireshark's tools/fuzz-test.sh).</summary>
    private const double ErrorProbability = 0.02;

    /// <summary>Mutations per capture; FIREWALL_MUTATIONS raises it for a longer local run.</summary>
    private static readonly int Iterations =
        int.TryParse(Environment.GetEnvironmentVariable("FIREWALL_MUTATIONS"), out var n) && n > 0 ? n : 100;

    public static TheoryData<string> Captures() => new(Repository.ShippedCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void Corrupted_captures_exit_cleanly_and_their_counts_add_up(string capture)
    {
        var original = File.ReadAllBytes(Repository.PathOf(capture));
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var exits = new int[3];
        for (var i = 0; i < Iterations; i++)
        {
            var seed = HashCode.Combine(StableHash(capture), i) & int.MaxValue;
            // A gzip file is corrupted inside (the capture it holds, recompressed) on even iterations and
            // as it stands on odd ones: raw damage mostly breaks the deflate stream before the first frame.
            var mutated = IsGzip(original) && i % 2 == 0
                ? Gzip(Corrupt(Gunzip(original), new Random(seed)))
                : Corrupt(original, new Random(seed));
            var what = $"{capture} corrupted with seed {seed}";
            // Every other run uses another output and decoding option, so that the writers meet garbage too.
            string[] extra = (i % 8) switch
            {
                1 => ["--format", "jsonl", "--packets", "--flows"],
                3 => ["--format", "csv", "--packets", "--decap", "vxlan"],
                5 => ["--format", "text", "--flows", "--related-icmp"],
                7 => ["--format", "csv", "--flows", "--midstream", "strict"],
                _ => ["--format", "json"],
            };
            var r = InProcessCli.RunWithInput(mutated, ["check", "-", "--ruleset", ruleset, .. extra]);
            ExitContract.AssertClean(r, $"{what} ({string.Join(' ', extra)})");
            exits[r.ExitCode]++;
            if (r.ExitCode == 0 && extra is [_, "json"])
            {
                AssertTotalsAddUp(r.Out, what);
            }
        }
        // Corruption must still let most runs through to evaluation, or the test only exercises "not a capture".
        Assert.True(exits[0] > 0, $"{capture}: none of {Iterations} corrupted copies was evaluated");
    }

    [Fact]
    public void The_mutation_itself_corrupts_about_two_percent_of_bytes()
    {
        var data = new byte[100_000];
        var changed = Corrupt(data, new Random(1)).Count(b => b != 0);
        Assert.InRange(changed, 1_800, 2_200); // 2 % of 100 000, less the 1/256 of draws that write a zero
    }

    /// <summary>editcap -E: each byte, with probability <see cref="ErrorProbability"/>, becomes a random byte.</summary>
    internal static byte[] Corrupt(byte[] data, Random random)
    {
        var copy = (byte[])data.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (random.NextDouble() < ErrorProbability)
            {
                copy[i] = (byte)random.Next(256);
            }
        }
        return copy;
    }

    private static bool IsGzip(byte[] data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }
        return output.ToArray();
    }

    internal static void AssertTotalsAddUp(string json, string what)
    {
        using var doc = JsonDocument.Parse(json);
        var t = doc.RootElement.GetProperty("summary").GetProperty("totals");
        long Get(string name) => t.GetProperty(name).GetInt64();
        var sum = Get("allowed") + Get("denied") + Get("skipped") + Get("not_filtered") + Get("undecodable");
        Assert.True(sum == Get("packets"), $"{what}: allowed + denied + skipped + not_filtered + undecodable = {sum}, packets = {Get("packets")}");
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s.Replace('\\', '/'))
        {
            h = unchecked(h * 31 + c);
        }
        return h;
    }
}
