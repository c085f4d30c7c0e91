using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Pcap;
using Firewall.Flows.Random;
using Firewall.Tests.Support;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary><c>synth --random</c>: exact size, reproducible, time-ordered, decodable, clean for tshark, and touching the ruleset.</summary>
public class RandomTrafficTests
{
    private static byte[] Generate(string ruleset, long packets, int seed, double flowRate = RandomTraffic.DefaultFlowRate)
    {
        var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, ownsStream: false))
        {
            new RandomTraffic(TestFiles.LoadRuleset(Path.Combine(TestFiles.Rulesets, ruleset)), seed, flowRate).Write(packets, writer);
        }
        return stream.ToArray();
    }

    /// <summary>Frames and flows of a capture, evaluated, and the most flows in progress at any one time.</summary>
    private static (long Frames, int Flows, int MostAtOnce) Concurrency(byte[] capture, string ruleset)
    {
        var evaluator = new Evaluator(RulesetCompiler.Compile(TestFiles.LoadRuleset(Path.Combine(TestFiles.Rulesets, ruleset))));
        using var reader = new PacketReader(CaptureReader.Open(new MemoryStream(capture), "random.pcap"), new DecoderOptions());
        var info = default(PacketInfo);
        var result = default(PacketResult);
        while (reader.TryReadNext(ref info))
        {
            evaluator.Evaluate(in info, ref result);
        }
        var edges = new List<(long Time, int Step)>();
        foreach (ref readonly var flow in evaluator.Flows.Records)
        {
            edges.Add((flow.FirstTimeNs, 1));
            edges.Add((flow.LastTimeNs + 1, -1));
        }
        var (now, most) = (0, 0);
        foreach (var (_, step) in edges.OrderBy(e => e.Time).ThenBy(e => e.Step))
        {
            now += step;
            most = Math.Max(most, now);
        }
        return (evaluator.Counters.Frames, evaluator.Flows.Count, most);
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherBytes()
    {
        var a = Generate("web-tier.yaml", 3000, 42);
        var b = Generate("web-tier.yaml", 3000, 42);
        var c = Generate("web-tier.yaml", 3000, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_higher_flow_rate_keeps_more_conversations_in_progress_with_the_same_packets()
    {
        var usual = Generate("three-tier.yaml", 20_000, 5);
        Assert.Equal(usual, Generate("three-tier.yaml", 20_000, 5, RandomTraffic.DefaultFlowRate));
        var busy = Generate("three-tier.yaml", 20_000, 5, flowRate: 200_000);

        var (usualFrames, usualFlows, usualAtOnce) = Concurrency(usual, "three-tier.yaml");
        var (busyFrames, busyFlows, busyAtOnce) = Concurrency(busy, "three-tier.yaml");
        Assert.Equal((20_000, 20_000), (usualFrames, busyFrames));
        Assert.True(busyAtOnce > usualAtOnce * 20, $"at most {busyAtOnce} of {busyFlows} flows at once at 200,000/s against {usualAtOnce} of {usualFlows} at 1,000/s");
    }

    /// <summary>
    /// A flow is a connection: on a mix whose generator reuses client ports (about one TCP conversation in
    /// 30 meets endpoints an earlier one used), the TCP and UDP flows are exactly the conversations
    /// Wireshark numbers as <c>tcp.stream</c> and <c>udp.stream</c>. Flows keyed by endpoints alone were
    /// fewer: every reuse merged two conversations into one flow.
    /// </summary>
    [SkippableFact]
    public void Tcp_and_udp_flows_are_the_streams_tshark_tells_apart()
    {
        Skip.If(!Tshark.Available, "tshark is not installed");
        using var dir = new TempDir();
        var capture = dir.File("random.pcap");
        File.WriteAllBytes(capture, Generate("three-tier.yaml", 300_000, 2));
        var evaluator = new Evaluator(RulesetCompiler.Compile(TestFiles.LoadRuleset(Path.Combine(TestFiles.Rulesets, "three-tier.yaml"))));
        using (var reader = new PacketReader(CaptureReader.Open(capture), new DecoderOptions()))
        {
            var info = default(PacketInfo);
            var result = default(PacketResult);
            while (reader.TryReadNext(ref info))
            {
                evaluator.Evaluate(in info, ref result);
            }
        }
        var flows = evaluator.Flows.Records.ToArray();
        var tcp = flows.Count(f => f.Key.Protocol == Firewall.Engine.Addressing.IpProtocol.Tcp);
        var udp = flows.Count(f => f.Key.Protocol == Firewall.Engine.Addressing.IpProtocol.Udp);
        var tcpKeys = flows.Where(f => f.Key.Protocol == Firewall.Engine.Addressing.IpProtocol.Tcp).Select(f => f.Key).Distinct().Count();
        Assert.True(tcp > tcpKeys + 100, $"the mix should reuse endpoints: {tcp} TCP flows over {tcpKeys} endpoint pairs");
        Assert.Equal(Tshark.CountDistinct(capture, "tcp.stream"), tcp);
        Assert.Equal(Tshark.CountDistinct(capture, "udp.stream"), udp);
        Assert.Equal(flows.Length, tcp + udp);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_flow_rate_must_be_positive_and_finite(double flowRate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Generate("web-tier.yaml", 10, 1, flowRate));

    [Theory]
    [InlineData("web-tier.yaml")]
    [InlineData("dual-stack.yaml")]
    [InlineData("sg-only.yaml")]
    [InlineData("three-tier.yaml")]
    [InlineData("dns-resolver.yaml")]
    [InlineData("nacl-only.yaml")]
    public void ExactCountTimeOrderedDecodableAndTouchesTheRuleset(string ruleset)
    {
        var bytes = Generate(ruleset, 20_000, 7);
        var compiled = RulesetCompiler.Compile(TestFiles.LoadRuleset(Path.Combine(TestFiles.Rulesets, ruleset)));
        var evaluator = new Evaluator(compiled);
        using var reader = new PacketReader(CaptureReader.Open(new MemoryStream(bytes), "random.pcap"), new DecoderOptions());
        var info = default(PacketInfo);
        var result = default(PacketResult);
        long last = 0, frames = 0, v6 = 0;
        var protocols = new HashSet<byte>();
        while (reader.TryReadNext(ref info))
        {
            Assert.True(info.Decoded, $"frame {info.Frame}: {info.Error}");
            Assert.True(info.TimestampNs >= last, $"frame {info.Frame} goes back in time");
            last = info.TimestampNs;
            frames++;
            v6 += info.IpVersion == 6 ? 1 : 0;
            protocols.Add(info.Protocol);
            evaluator.Evaluate(in info, ref result);
        }
        Assert.Equal(20_000, frames);
        Assert.Empty(reader.Capture.Warnings);
        var c = evaluator.Counters;
        Assert.True(c.Allowed > frames / 2, $"{c.Allowed} of {frames} allowed: the mix should mostly follow the rules");
        Assert.True(c.Denied > 0, "some traffic should be denied");
        Assert.Contains((byte)6, protocols);
        Assert.Contains((byte)17, protocols);
        var ruleHits = c.RulePackets.Count(n => n > 0);
        Assert.True(ruleHits >= 5, $"only {ruleHits} references were hit");
        var hasV6 = compiled.Model.Interfaces.Any(i => i.Addresses.Any(a => a.IsV6));
        Assert.Equal(hasV6, v6 > 0);
    }

    [SkippableFact]
    public void TsharkReadsRandomTrafficCleanly()
    {
        using var dir = new TempDir();
        foreach (var ruleset in new[] { "web-tier.yaml", "dual-stack.yaml", "dns-resolver.yaml" })
        {
            var path = dir.File(ruleset + ".pcap");
            File.WriteAllBytes(path, Generate(ruleset, 5_000, 3));
            SynthCaptureTests.AssertClean(path);
        }
    }
}
