using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;
using Firewall.Rulesets.Import;
using Firewall.Runs;

namespace Firewall.Cli.Running;

/// <summary>What a command that evaluates traffic was asked to read, and how: parsed once from its options.</summary>
/// <param name="CapturePath">The capture, or null when <paramref name="FlowsFile"/> is given.</param>
internal sealed record TrafficSettings(
    string RulesetPath,
    string? CapturePath,
    string? FlowsFile,
    EvaluationOptions Evaluation,
    bool DecapsulateVxlan,
    int Threads,
    bool Quiet,
    string? OutputPath);

/// <summary>
/// The traffic of a run, opened: a capture, or the synthetic flows of a flows file, ready to be evaluated
/// against a ruleset. check, report, replies and diff read their input only through this.
/// </summary>
internal sealed class Traffic : IDisposable
{
    private readonly TrafficSettings _settings;
    private readonly PacketReader? _reader;
    private readonly FlowsFile? _flows;

    private Traffic(TrafficSettings settings, PacketReader? reader, FlowsFile? flows)
    {
        _settings = settings;
        _reader = reader;
        _flows = flows;
    }

    /// <summary>
    /// Loads the ruleset, then opens the input; null after printing why either is unusable. A capture's
    /// per-packet code is compiled on another core meanwhile.
    /// </summary>
    public static (CompiledRuleset Rules, Traffic Traffic)? Load(CliConsole console, TrafficSettings settings, Dictionary<string, AclOrigin>? origins = null)
    {
        if (settings.CapturePath is not null)
        {
            HotPathWarmup.Start();
        }
        if (Inputs.LoadRuleset(settings.RulesetPath, console.Error, origins: origins) is not { } rules)
        {
            return null;
        }
        return Open(console, settings, rules) is { } traffic ? (rules, traffic) : null;
    }

    /// <summary>Opens the input; a flows file's interface names resolve against <paramref name="names"/>. Null after printing why it is unusable.</summary>
    public static Traffic? Open(CliConsole console, TrafficSettings settings, CompiledRuleset names)
    {
        if (settings.FlowsFile is { } flowsFile)
        {
            return Inputs.LoadFlows(flowsFile, names, console.Error) is { } flows ? new Traffic(settings, null, flows) : null;
        }
        var reader = Inputs.OpenCapture(settings.CapturePath!, settings.DecapsulateVxlan, console, readAhead: settings.Threads > 1);
        return reader is null ? null : new Traffic(settings, reader, null);
    }

    /// <summary>
    /// Evaluates the traffic against <paramref name="rules"/> (named <paramref name="rulesetPath"/> in the
    /// report). A capture is read once; synthetic flows may be evaluated again, against another ruleset.
    /// </summary>
    /// <returns>The finished run, or null when reading stopped part-way (the message has been printed).</returns>
    public RunReport? Evaluate(CliConsole console, CompiledRuleset rules, string rulesetPath, IRunSink? packetWriter)
    {
        var s = _settings;
        return _reader is not null
            ? ConsoleRun.Evaluate(console, _reader, rules, s.Evaluation, PushOutWhenLive(console, _reader, packetWriter) ? 1 : s.Threads, new RunNames(s.CapturePath!, rulesetPath), packetWriter, s.Quiet)
            : PacketRun.Evaluate(new DeliveredPackets(_flows!), rules, s.Evaluation, new RunNames(s.FlowsFile!, rulesetPath), packetWriter);
    }

    /// <summary>
    /// A live input (a pipe, a FIFO) with records written as the run goes (<see cref="IRunSink.WritesAsItGoes"/>):
    /// evaluated on one thread, whose output is pushed out whenever the input is about to wait, so each record
    /// follows its packet within milliseconds instead of waiting for a batch or a buffer to fill. The same when standard output is a terminal and
    /// the run is on one thread anyway. A file read as fast as the disk goes is not slowed: it is pushed out
    /// once per read of the input (256 KiB).
    /// </summary>
    /// <returns>Whether the input is live (the run then takes one thread).</returns>
    private bool PushOutWhenLive(CliConsole console, PacketReader reader, IRunSink? packetWriter)
    {
        if (packetWriter is not { WritesAsItGoes: true })
        {
            return false;
        }
        var live = reader.Capture.IsLive;
        if (live || (console.OutIsTerminal && _settings.Threads == 1))
        {
            reader.Capture.BeforeRead = packetWriter.Flush;
        }
        return live;
    }

    public void Dispose() => _reader?.Dispose();

    /// <summary>The warnings of a finished run that its report does not list: the capture's damage, and optionally what the bounds left out.</summary>
    public static void PrintWarnings(RunReport report, TextWriter error, bool bounds)
    {
        foreach (var warning in report.Input.CaptureWarnings)
        {
            error.WriteLine($"firewall: warning: {report.Input.CaptureName}: {warning}");
        }
        if (bounds)
        {
            foreach (var warning in report.BoundWarnings())
            {
                error.WriteLine($"firewall: warning: {warning}");
            }
        }
    }
}
