using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Loading;
using Firewall.Flows.Pcap;
using Firewall.Flows.Synthesis;
using Firewall.Flows.Testing;
using Firewall.Reporting;
using Firewall.Rulesets;
using Firewall.Runs;
using Firewall.Tests.Support;

namespace Firewall.Fuzz;

/// <summary>
/// The fuzz targets: each takes one input (the bytes of a file) and drives one reader of hostile input
/// end to end. A target returns normally for every input the product handles as designed — including
/// a refusal with its documented typed exception (<see cref="CaptureFormatException"/> while opening a
/// capture) or a positioned diagnostic from a loader. Anything else escapes: an unexpected exception, or
/// an <see cref="InvariantViolation"/> when the product answered but its answer does not add up. The
/// fuzzer records either as a crash. The same functions replay tests/fuzz-corpus in the test suite.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target by the name scripts/fuzz.sh and the corpus folders use.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["capture"] = Capture,
        ["ruleset"] = Ruleset,
        ["flows"] = Flows,
        ["testfile"] = TestFile,
    };

    /// <summary>Packets synthesized per input at most: enough for every exchange shape, cheap per execution.</summary>
    public const int MaxSynthesizedPackets = 256;

    private static readonly Lazy<(Ruleset Model, CompiledRuleset Compiled)> WebTier = new(LoadWebTier);

    /// <summary>
    /// Capture file bytes → <see cref="CaptureReader"/> over a MemoryStream → <see cref="PacketReader"/> →
    /// <see cref="Evaluator"/> on rulesets/web-tier.yaml, every packet written as JSONL and the run
    /// completed as a text report (so the reporting of whatever the decoder produced is exercised too).
    /// Then once more with VXLAN decapsulation, decoding only.
    /// </summary>
    public static void Capture(byte[] data)
    {
        var rules = WebTier.Value.Compiled;
        PacketReader reader;
        try
        {
            reader = new PacketReader(CaptureReader.Open(new MemoryStream(data, writable: false), "fuzz"), new DecoderOptions());
        }
        catch (CaptureFormatException)
        {
            return; // not a capture: the documented refusal
        }
        using (reader)
        {
            var evaluator = new Evaluator(rules);
            var info = new PacketInfo();
            var result = new PacketResult();
            using var packets = ReportWriters.Create(ReportFormat.Jsonl, Stream.Null, new ReportContent(true, false), rules);
            while (reader.TryReadNext(ref info))
            {
                Check(info.Frame == reader.Capture.FramesRead, $"frame {info.Frame} reported as reader frame {reader.Capture.FramesRead}");
                evaluator.Evaluate(in info, ref result);
                packets.WritePacket(in info, in result);
            }
            CheckAccounting(evaluator.Counters, reader);
            var report = new RunReport(evaluator, CaptureRun.Input(reader, new RunNames("fuzz", "rulesets/web-tier.yaml")));
            packets.Complete(report);
            using var text = ReportWriters.Create(ReportFormat.Text, Stream.Null, new ReportContent(false, true), rules);
            text.Complete(report);
        }

        using var decap = new PacketReader(CaptureReader.Open(new MemoryStream(data, writable: false), "fuzz"), new DecoderOptions { DecapsulateVxlan = true });
        var again = new PacketInfo();
        while (decap.TryReadNext(ref again))
        {
        }
        Check(decap.Counts.Frames == decap.Capture.FramesRead, $"decode counts {decap.Counts.Frames} frames, the reader read {decap.Capture.FramesRead}");
    }

    /// <summary>
    /// YAML text → <see cref="RulesetLoader.LoadText"/>; a ruleset that loads is compiled too. A load
    /// either gives a ruleset or at least one diagnostic, never neither.
    /// </summary>
    public static void Ruleset(byte[] data)
    {
        var result = RulesetLoader.LoadText(Text(data), "fuzz.yaml");
        if (result.Ruleset is { } ruleset)
        {
            RulesetCompiler.Compile(ruleset);
        }
        else
        {
            Check(result.Diagnostics.Count > 0, "a ruleset was refused without a diagnostic");
        }
    }

    /// <summary>
    /// YAML text → <see cref="FlowsLoader.LoadText"/> against the web-tier ruleset (given by the caller, so
    /// no file is read); the first <see cref="MaxSynthesizedPackets"/> packets of a file that loads are
    /// written as frames into a pcap in memory and read back: every one must decode.
    /// </summary>
    public static void Flows(byte[] data)
    {
        var result = FlowsLoader.LoadText(Text(data), Path.Combine(RepoRoot, "rulesets", "fuzz.flows.yaml"), WebTier.Value.Model);
        if (result.File is not { } file)
        {
            Check(result.Diagnostics.Count > 0, "a flows file was refused without a diagnostic");
            return;
        }
        var pcap = new MemoryStream();
        var written = 0;
        using (var writer = new PcapWriter(pcap, ownsStream: false))
        {
            foreach (var p in FlowSynthesizer.Synthesize(file).Take(MaxSynthesizedPackets))
            {
                var length = FrameWriter.Write(in p, writer.Reserve(p.FrameLength));
                writer.Commit(p.TimestampNs, length);
                written++;
            }
        }
        pcap.Position = 0;
        using var reader = new PacketReader(CaptureReader.Open(pcap, "synth"), new DecoderOptions());
        var info = new PacketInfo();
        while (reader.TryReadNext(ref info))
        {
            Check(info.Error == DecodeError.None, $"synthesized frame {info.Frame} does not decode: {info.Error}");
        }
        Check(reader.Counts.Frames == written, $"{written} frames synthesized, {reader.Counts.Frames} read back");
    }

    /// <summary>
    /// YAML text → <see cref="TestFileLoader.LoadText"/>, placed in rulesets/ so that <c>ruleset: web-tier.yaml</c>
    /// and the other shipped rulesets resolve.
    /// </summary>
    public static void TestFile(byte[] data)
    {
        var result = TestFileLoader.LoadText(Text(data), Path.Combine(RepoRoot, "rulesets", "fuzz.tests.yaml"));
        if (result.File is null)
        {
            Check(result.Diagnostics.Count > 0, "a test file was refused without a diagnostic");
        }
    }

    /// <summary>SPEC §5 and issue 8: every frame read is counted exactly once, in one of five outcomes.</summary>
    public static void CheckAccounting(Counters c, PacketReader reader)
    {
        var sum = c.Allowed + c.Denied + c.Skipped + c.NotFiltered + c.Undecodable;
        Check(sum == c.Frames, $"allowed {c.Allowed} + denied {c.Denied} + skipped {c.Skipped} + not filtered {c.NotFiltered} + undecodable {c.Undecodable} = {sum}, but {c.Frames} frames were evaluated");
        Check(c.Frames == reader.Capture.FramesRead, $"{c.Frames} frames evaluated, {reader.Capture.FramesRead} read");
        Check(c.Undecodable == reader.Counts.Undecodable, $"{c.Undecodable} undecodable evaluated, {reader.Counts.Undecodable} decoded as undecodable");
    }

    /// <summary>Invalid UTF-8 becomes U+FFFD, as File.ReadAllText would make it.</summary>
    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolation(message);
        }
    }

    private static (Ruleset, CompiledRuleset) LoadWebTier()
    {
        var path = Path.Combine(RepoRoot, "rulesets", "web-tier.yaml");
        var loaded = RulesetLoader.LoadFile(path);
        var model = loaded.Ruleset ?? throw new InvalidOperationException($"{path} does not load: {string.Join("; ", loaded.Diagnostics)}");
        return (model, RulesetCompiler.Compile(model));
    }

    /// <summary>The repository (FIREWALL_REPO, else the first folder above the binary holding Firewall.sln).</summary>
    public static string RepoRoot { get; } =
        Environment.GetEnvironmentVariable("FIREWALL_REPO") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : Repository.Find() ?? throw new InvalidOperationException("set FIREWALL_REPO: Firewall.sln not found above " + AppContext.BaseDirectory);
}

/// <summary>The product answered, but its answer breaks an invariant: a bug, reported by the fuzzer as a crash.</summary>
public sealed class InvariantViolation(string message) : Exception(message);
