using CsCheck;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Pcap;
using Firewall.Flows.Synthesis;

namespace Firewall.Flows.Tests.Synthesis;

/// <summary>
/// Must-show 2: for random flows files, evaluating <see cref="FlowSynthesizer.Packets"/> directly
/// (<c>check --flows</c>) and writing the capture, reading it back and decoding it (<c>synth</c> then
/// <c>check</c>) give identical packets, verdicts and rule references.
/// </summary>
public class EquivalenceTests
{
    private static readonly string[] Endpoints4 = ["web-1", "10.0.1.10", "10.0.1.77", "198.51.100.7", "203.0.113.9", "192.0.2.53", "169.254.169.254"];
    private static readonly string[] Endpoints6 = ["[2001:db8:1::10]", "[2001:db8:ffff::7]", "[2001:db8:1::99]"];
    private static readonly string[] Ports = ["22", "53", "80", "123", "443", "5000", "62000", "40000", "*"];
    private static readonly string[] Delays = ["1ms", "500ms", "20s", "40s", "200s"];

    /// <summary>One random flow entry as YAML: protocol, endpoints, exchange and timing drawn from the lists above.</summary>
    private static readonly Gen<string> FlowEntry =
        from v6 in Gen.Int[0, 3].Select(i => i == 0)
        from proto in Gen.OneOf("tcp", "udp", "icmp")
        from a in Gen.Int[0, 100]
        from b in Gen.Int[0, 100]
        from sp in Gen.Int[0, Ports.Length - 1]
        from dp in Gen.Int[0, Ports.Length - 2]
        from exchange in Gen.Int[0, 5]
        from count in Gen.Int[1, 3]
        from delay in Gen.Int[0, Delays.Length - 1]
        from gap in Gen.Int[0, Delays.Length - 1]
        from start in Gen.Int[0, 4]
        select Entry(v6, proto, a, b, sp, dp, exchange, count, delay, gap, start);

    private static string Entry(bool v6, string proto, int a, int b, int sp, int dp, int exchange, int count, int delay, int gap, int start)
    {
        var pool = v6 ? Endpoints6 : Endpoints4;
        var src = pool[a % pool.Length];
        var dst = pool[b % pool.Length];
        if (src == dst)
        {
            dst = pool[(b + 1) % pool.Length];
        }
        if (v6 && proto == "icmp")
        {
            proto = "icmpv6";
        }
        string Host(string e) => v6 && proto == "icmpv6" ? e.Trim('[', ']') : e;
        var line = proto is "tcp" or "udp"
            ? $"{proto} {src}:{Ports[sp]} -> {dst}:{Ports[dp]}"
            : $"{proto} {Host(src)} -> {Host(dst)}";
        var exchanges = proto switch
        {
            "tcp" => new[] { "full", "handshake", "syn-only", "reset" },
            "udp" => ["request-reply", "request-only"],
            _ => ["echo"],
        };
        var startText = start == 0 ? "" : $", start: +{start * 7}s";
        return $"  - {{ flow: \"{line}\", exchange: {exchanges[exchange % exchanges.Length]}, count: {count}, reply_after: {Delays[delay]}, gap: {Delays[gap]}{startText} }}";
    }

    private static readonly Gen<string> FlowsYaml =
        Gen.Int[1, 8].SelectMany(n => FlowEntry.Array[n]).Select(entries => "ruleset: web-tier.yaml\nflows:\n" + string.Join("\n", entries));

    [Fact]
    public void DirectEvaluationEqualsSynthThenCheck()
    {
        var compiled = TestFiles.Compile(TestFiles.WebTier);
        FlowsYaml.Sample(yaml =>
        {
            var file = TestFiles.LoadFlows(yaml, compiled.Model);
            AssertEquivalent(file, compiled, yaml, closedLoop: false);
            AssertEquivalent(file, compiled, yaml, closedLoop: true);
        }, iter: 150);
    }

    [Fact]
    public void EveryExchangeIsEquivalent()
    {
        var compiled = TestFiles.Compile(TestFiles.WebTier);
        AssertEquivalent(TestFiles.LoadFlows(SynthCaptureTests.EveryExchange), compiled, "every exchange", closedLoop: false);
        AssertEquivalent(TestFiles.LoadFlows(SynthCaptureTests.EveryExchange), compiled, "every exchange", closedLoop: true);
    }

    /// <summary>
    /// Open loop: every packet, as <c>synth</c> without a ruleset writes them. Closed loop: what a ruleset
    /// lets happen, as <c>check --flows-file</c> evaluates it and <c>synth --ruleset</c> writes it.
    /// </summary>
    internal static void AssertEquivalent(FlowsFile file, CompiledRuleset compiled, string what, bool closedLoop)
    {
        var direct = closedLoop ? Delivered(file, compiled) : FlowSynthesizer.Packets(file).ToList();
        var stream = new MemoryStream();
        SynthCapture.Write(file, stream, closedLoop ? compiled : null);
        stream.Position = 0;
        var decoded = new List<PacketInfo>();
        using (var reader = new PacketReader(CaptureReader.Open(stream, "synth.pcap"), new DecoderOptions()))
        {
            var info = default(PacketInfo);
            while (reader.TryReadNext(ref info))
            {
                decoded.Add(info);
            }
            Assert.Empty(reader.Capture.Warnings);
        }
        Assert.Equal(direct.Count, decoded.Count);
        for (var i = 0; i < direct.Count; i++)
        {
            Assert.True(direct[i].Equals(decoded[i]), $"{what}: frame {i + 1} decodes differently from its direct descriptor");
        }

        var a = new Evaluator(compiled);
        var b = new Evaluator(compiled);
        var ra = default(PacketResult);
        var rb = default(PacketResult);
        for (var i = 0; i < direct.Count; i++)
        {
            a.Evaluate(direct[i], ref ra);
            b.Evaluate(decoded[i], ref rb);
            Assert.Equal((ra.Verdict, ra.RuleId, ra.StatelessVerdict, ra.StatelessRuleId, ra.IsReply, ra.HopCount),
                (rb.Verdict, rb.RuleId, rb.StatelessVerdict, rb.StatelessRuleId, rb.IsReply, rb.HopCount));
            Assert.Equal(compiled.Rules.Reference(ra.RuleId), compiled.Rules.Reference(rb.RuleId));
        }
        Assert.Equal(a.Counters.Allowed, b.Counters.Allowed);
        Assert.Equal(a.Counters.Denied, b.Counters.Denied);
    }

    /// <summary>The packets <see cref="DeliveredPackets"/> gives when each is evaluated before the next is made.</summary>
    private static List<PacketInfo> Delivered(FlowsFile file, CompiledRuleset compiled)
    {
        var recorder = new Firewall.Runs.PacketRecorder();
        using var source = new DeliveredPackets(file);
        Firewall.Runs.PacketRun.Evaluate(source, compiled, EvaluationOptions.Default, new Firewall.Runs.RunNames("", ""), recorder);
        return recorder.Packets.Select(p => p.Packet).ToList();
    }
}
