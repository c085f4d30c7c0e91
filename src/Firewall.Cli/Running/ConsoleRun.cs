using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Runs;

namespace Firewall.Cli.Running;

/// <summary>A capture run with its progress on the terminal and its problems on standard error.</summary>
internal static class ConsoleRun
{
    /// <returns>The finished run, or null when reading stopped part-way (the message has been printed).</returns>
    public static RunReport? Evaluate(
        CliConsole console, PacketReader reader, CompiledRuleset rules, EvaluationOptions options, int threads,
        RunNames names, IRunSink? packetWriter, bool quiet)
    {
        var run = CaptureRun.Evaluate(reader, rules, options, threads, names, packetWriter, Progress.For(console, quiet));
        if (run.Failure is { } failure)
        {
            console.Error.WriteLine($"firewall: {failure}");
            return null;
        }
        foreach (var caveat in run.Caveats)
        {
            console.Error.WriteLine($"firewall: warning: {caveat}");
        }
        return run.Report;
    }
}
