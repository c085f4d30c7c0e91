using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Rulesets;

namespace Firewall.Benchmarks;

/// <summary>What the command-line measurements (<see cref="EvaluationSplit"/>, <see cref="Floors"/>) read, and how each pass starts.</summary>
internal static class BenchInputs
{
    /// <summary>The compiled ruleset of <paramref name="path"/>, or null after printing why it did not load.</summary>
    public static CompiledRuleset? Rules(string path)
    {
        var load = RulesetLoader.LoadFile(path);
        if (load.Ruleset is null)
        {
            foreach (var diagnostic in load.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }
            return null;
        }
        return RulesetCompiler.Compile(load.Ruleset);
    }

    /// <summary>The capture read and decoded as <c>check</c> reads it by default.</summary>
    public static PacketReader Open(string capture) => new(CaptureReader.Open(capture), new DecoderOptions());

    /// <summary>Frees the last pass's tables, which are garbage now, before the next pass grows its own.</summary>
    public static void FreshHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
