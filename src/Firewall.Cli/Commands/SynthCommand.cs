using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using Firewall.Cli.Running;
using Firewall.Flows.Loading;
using Firewall.Flows.Pcap;
using Firewall.Flows.Random;
using Firewall.Rulesets;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall synth FLOWS.yaml -o OUT.pcap</c>: write synthetic flows as a capture (built with PacketDotNet);
/// <c>firewall synth --random N --seed S --ruleset R -o OUT.pcap</c>: a large reproducible traffic mix, streamed.
/// </summary>
internal static class SynthCommand
{
    public static Command Create(CliConsole console)
    {
        var flows = new Argument<string?>("FLOWS")
        {
            Description = "flows file (YAML, see docs/flows-format.md); omit with --random",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string>("--output", "-o") { Description = "the pcap file to write", Required = true, HelpName = "FILE" };
        var ruleset = new Option<string?>("--ruleset", "-r") { Description = "the ruleset whose interface names the flows use (replaces the file's ruleset:), and through which they are sent: a packet it denies is written but never answered; required with --random, whose mix it shapes" };
        var random = new Option<long?>("--random") { Description = "write N packets of random traffic shaped by the ruleset instead of a flows file", HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "seed of --random (the same seed gives the same capture)", DefaultValueFactory = _ => 1, HelpName = "N" };
        var flowRate = new Option<double>("--flow-rate")
        {
            Description = "conversations begun per second of capture time with --random; higher packs more of them in progress at once",
            DefaultValueFactory = _ => RandomTraffic.DefaultFlowRate,
            HelpName = "PER-SECOND",
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no summary on standard error" };
        var command = new Command("synth", "Write synthetic flows, or a random traffic mix for a ruleset, as a pcap capture.")
        {
            flows,
            output,
            ruleset,
            random,
            seed,
            flowRate,
            quiet,
        };
        Combinations.Refuse(command, result => Refusal(result, flows, ruleset, random, flowRate), "synth: ");
        command.SetAction(parse => Run(console, parse.GetValue(flows), parse.GetValue(output)!, parse.GetValue(ruleset),
            parse.GetValue(random), parse.GetValue(seed), parse.GetValue(flowRate), parse.GetValue(quiet)));
        return command;
    }

    /// <summary>Why these options cannot go together, or null.</summary>
    private static string? Refusal(CommandResult result, Argument<string?> flows, Option<string?> ruleset, Option<long?> random, Option<double> flowRate)
    {
        var n = result.GetValue(random);
        if ((result.GetValue(flows) is null) == (n is null))
        {
            return "give either a flows file or --random N (with --ruleset)";
        }
        if (n is null)
        {
            return null;
        }
        var rate = result.ValueOrDefault(flowRate);
        return result.GetValue(ruleset) is null ? "--random needs --ruleset: the traffic is shaped by its interfaces and rules"
            : n < 1 ? $"--random expects a positive number of packets, found {n}"
            : !(rate > 0 && rate <= 1e9) ? $"--flow-rate expects conversations per second, more than 0 and at most 1e9, found {rate}"
            : null;
    }

    private static int Run(CliConsole console, string? flowsPath, string outputPath, string? rulesetPath, long? random, int seed, double flowRate, bool quiet)
    {
        Engine.Compilation.CompiledRuleset? rules = null;
        if (rulesetPath is not null)
        {
            rules = Inputs.LoadRuleset(rulesetPath, console.Error);
            if (rules is null)
            {
                return ExitCodes.BadInput;
            }
        }
        var clock = Stopwatch.StartNew();
        return random is { } n
            ? WriteRandom(console, rules!.Model, n, seed, flowRate, outputPath, quiet, clock)
            : WriteFlows(console, flowsPath!, rules, outputPath, quiet, clock);
    }

    /// <summary><c>--random N</c>: a reproducible traffic mix shaped by the ruleset, streamed to the capture.</summary>
    private static int WriteRandom(CliConsole console, Engine.Model.Ruleset model, long n, int seed, double flowRate, string outputPath, bool quiet, Stopwatch clock)
    {
        using var stream = Open(outputPath, console);
        if (stream is null)
        {
            return ExitCodes.BadInput;
        }
        using var writer = new PcapWriter(stream);
        var flowCount = new RandomTraffic(model, seed, flowRate).Write(n, writer);
        writer.Flush();
        Summary(console, quiet, outputPath, n, flowCount, writer.BytesWritten, clock.Elapsed);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The flows of a flows file, built with PacketDotNet. With <paramref name="rules"/>, interface names
    /// resolve against them and a packet they deny is never answered; without, every exchange is written whole.
    /// </summary>
    private static int WriteFlows(CliConsole console, string flowsPath, Engine.Compilation.CompiledRuleset? rules, string outputPath, bool quiet, Stopwatch clock)
    {
        var error = console.Error;
        var loaded = FlowsLoader.LoadFile(flowsPath, rules?.Model);
        foreach (var d in loaded.Diagnostics)
        {
            error.WriteLine(d.Line > 0 ? d.ToString() : $"{d.File}: {d.Message}");
        }
        if (loaded.File is not { } file)
        {
            error.WriteLine($"firewall: {flowsPath}: the flows file has errors; nothing was written");
            return ExitCodes.BadInput;
        }
        using var stream = Open(outputPath, console);
        if (stream is null)
        {
            return ExitCodes.BadInput;
        }
        var frames = SynthCapture.Write(file, stream, rules);
        Summary(console, quiet, outputPath, frames, file.Flows.Sum(f => (long)f.Count), stream.Length, clock.Elapsed);
        return ExitCodes.Ok;
    }

    private static FileStream? Open(string path, CliConsole console)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            console.Error.WriteLine($"firewall: {path}: cannot write the capture: {ex.Message}");
            return null;
        }
    }

    private static void Summary(CliConsole console, bool quiet, string path, long packets, long flows, long bytes, TimeSpan elapsed)
    {
        if (!quiet)
        {
            var rate = elapsed.TotalSeconds > 0 ? packets / elapsed.TotalSeconds : 0;
            console.Error.WriteLine($"firewall: wrote {packets} packets of {flows} flows ({bytes} bytes) to {path} in {elapsed.TotalSeconds:0.00} s ({rate:0} packets/s)");
        }
    }
}
