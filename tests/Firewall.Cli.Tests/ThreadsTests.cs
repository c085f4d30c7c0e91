using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>--threads N</c> changes how fast, never what: every output of a run on N threads is byte-identical to
/// the run on one, on every capture in the repository and on a generated mix of many flows.
/// </summary>
public sealed class ThreadsTests
{
    private static readonly string[][] Outputs =
    [
        [],
        ["--format", "jsonl", "--packets", "--flows"],
        ["--format", "json", "--flows"],
        ["--format", "csv", "--flows"],
    ];

    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf("tests/captures")).Where(f => f.Contains(".pcap")).Order())
        {
            data.Add(Path.GetRelativePath(Repository.Root, file));
        }
        data.Add("samples/web-tier.pcapng");
        return data;
    }

    private static void AssertSameOnThreads(string capture, string ruleset, params string[] extra)
    {
        foreach (var output in Outputs)
        {
            string[] Args(int threads) => ["check", capture, "--ruleset", ruleset, .. extra, .. output, "--threads", threads.ToString()];
            var one = InProcessCli.Run(Args(1));
            Assert.True(one.ExitCode is 0, one.Error);
            foreach (var threads in new[] { 2, 3, 5 })
            {
                var many = InProcessCli.Run(Args(threads));
                Assert.Equal(one.ExitCode, many.ExitCode);
                Assert.Equal(one.Error, many.Error);
                Assert.True(one.Out == many.Out, $"{capture} {string.Join(' ', output)}: --threads {threads} differs from --threads 1");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_capture_gives_the_same_output_on_several_threads(string capture)
    {
        var decap = capture.Contains("vxlan") ? new[] { "--decap", "vxlan" } : [];
        AssertSameOnThreads(Repository.PathOf(capture), Repository.PathOf("rulesets/web-tier.yaml"), decap);
        AssertSameOnThreads(Repository.PathOf(capture), Repository.PathOf("rulesets/dual-stack.yaml"), decap);
    }

    [Fact]
    public void A_generated_mix_of_many_flows_gives_the_same_output_on_several_threads()
    {
        var dir = Directory.CreateTempSubdirectory("firewall-threads-");
        try
        {
            var ruleset = Repository.PathOf("rulesets/three-tier.yaml");
            var capture = Path.Combine(dir.FullName, "mix.pcap");
            var synth = InProcessCli.Run("synth", "--random", "40000", "--seed", "11", "--ruleset", ruleset, "-o", capture);
            Assert.True(synth.ExitCode == 0, synth.Error);
            AssertSameOnThreads(capture, ruleset);
            AssertSameOnThreads(capture, ruleset, "--midstream", "strict");

            // The same mix packed as on a busy subnet: thousands of flows in progress at once across the shards.
            var busy = Path.Combine(dir.FullName, "busy.pcap");
            synth = InProcessCli.Run("synth", "--random", "40000", "--seed", "11", "--flow-rate", "500000", "--ruleset", ruleset, "-o", busy);
            Assert.True(synth.ExitCode == 0, synth.Error);
            AssertSameOnThreads(busy, ruleset);

            // Compressed, it is inflated on a thread of its own when several may run: whole, and damaged
            // part-way (the frames before the damage and the same warning, whatever the thread count).
            var gzip = Path.Combine(dir.FullName, "mix.pcap.gz");
            using (var output = File.Create(gzip))
            using (var compressor = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
            {
                compressor.Write(File.ReadAllBytes(capture));
            }
            AssertSameOnThreads(gzip, ruleset);
            var damaged = File.ReadAllBytes(gzip);
            damaged[damaged.Length * 2 / 3] ^= 0x5a;
            var damagedPath = Path.Combine(dir.FullName, "damaged.pcap.gz");
            File.WriteAllBytes(damagedPath, damaged);
            AssertSameOnThreads(damagedPath, ruleset);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Input_that_fails_part_way_stops_the_run_alike_on_every_thread_count()
    {
        using var dir = new TempDir();
        var ruleset = Repository.PathOf("rulesets/three-tier.yaml");
        var capture = dir.File("mix.pcap");
        var synth = InProcessCli.Run("synth", "--random", "20000", "--seed", "5", "--ruleset", ruleset, "-o", capture);
        Assert.True(synth.ExitCode == 0, synth.Error);
        var bytes = File.ReadAllBytes(capture);

        // Many batches of packets in, some still being evaluated when the read fails.
        string[] Args(int threads) => ["check", "-", "--ruleset", ruleset, "--format", "jsonl", "--packets", "--flows", "--threads", threads.ToString()];
        var one = InProcessCli.RunWithStream(() => new FailingStream(bytes, bytes.Length * 3 / 5), Args(1));
        Assert.NotEqual(0, one.ExitCode);
        Assert.Matches(@"^firewall: -: reading stopped after frame \d+: Input/output error \(simulated\)\n$", one.Error);
        Assert.True(one.Out.Split('\n').Count(l => l.StartsWith("{\"type\":\"packet\"", StringComparison.Ordinal)) > 5000);
        foreach (var threads in new[] { 2, 3, 5 })
        {
            var many = InProcessCli.RunWithStream(() => new FailingStream(bytes, bytes.Length * 3 / 5), Args(threads));
            Assert.Equal(one.ExitCode, many.ExitCode);
            Assert.Equal(one.Error, many.Error);
            Assert.True(one.Out == many.Out, $"--threads {threads}: output before the failure differs from --threads 1");
        }

        // Failing at once, and on an input that holds only its header, is no different.
        foreach (var failAt in new[] { 0, 24 })
        {
            var first = InProcessCli.RunWithStream(() => new FailingStream(bytes, failAt), Args(1));
            Assert.NotEqual(0, first.ExitCode);
            var again = InProcessCli.RunWithStream(() => new FailingStream(bytes, failAt), Args(4));
            Assert.Equal((first.ExitCode, first.Error, first.Out), (again.ExitCode, again.Error, again.Out));
        }
    }

    [Fact]
    public void A_capture_of_fewer_packets_than_threads_gives_the_same_output()
    {
        using var dir = new TempDir();
        var ruleset = Repository.PathOf("rulesets/three-tier.yaml");
        foreach (var packets in new[] { 1, 3 })
        {
            var capture = dir.File($"few-{packets}.pcap");
            var synth = InProcessCli.Run("synth", "--random", packets.ToString(), "--seed", "2", "--ruleset", ruleset, "-o", capture);
            Assert.True(synth.ExitCode == 0, synth.Error);
            AssertSameOnThreads(capture, ruleset);
        }
    }

    [Fact]
    public void Related_icmp_runs_on_one_thread_and_threads_are_bounded()
    {
        var capture = Repository.PathOf("tests/captures/icmp-errors.pcap");
        var ruleset = Repository.PathOf("rulesets/dual-stack.yaml");
        var one = InProcessCli.Run("check", capture, "--ruleset", ruleset, "--related-icmp", "--threads", "1", "--format", "jsonl", "--packets");
        var many = InProcessCli.Run("check", capture, "--ruleset", ruleset, "--related-icmp", "--threads", "4", "--format", "jsonl", "--packets");
        Assert.Equal(one.Out, many.Out);
        var zero = InProcessCli.Run("check", capture, "--ruleset", ruleset, "--threads", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--threads must be between 1 and 256", zero.Error);
    }
}
