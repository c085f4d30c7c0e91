using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Analysis.Diff;
using Firewall.Analysis.Reachability;
using Firewall.Analysis.Runs;
using Firewall.Cli.Running;
using Firewall.Runs;
using Firewall.Engine.Compilation;
using Firewall.Reporting.Answers;
using Firewall.Reporting.Diff;
using Firewall.Reporting.Formatting;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall diff CAPTURE --ruleset OLD --against NEW</c> (or <c>--flows-file F.yaml</c>): evaluate the same
/// traffic against two rulesets and list the flows whose outcome changes, with the deciding rules of both.
/// Exit 1 with <c>--fail-on</c> when such a flow exists.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        common.Capture.Description = "pcap or pcapng file (read twice, so not '-'); omit with --flows-file";
        common.Capture.Arity = ArgumentArity.ZeroOrOne;
        common.FlowsFile.Description = "synthetic flows (YAML) instead of a capture; interface names resolve against --ruleset";
        common.FlowsFile.Aliases.Add("--flows");
        var against = new Option<string>("--against") { Description = "the changed ruleset to compare with --ruleset", Required = true, HelpName = "RULESET" };
        var format = OptionWords.TextOrJson.Option("--format", "text (default) or json", defaulted: true, "-f");
        var failOn = OptionWords.DiffFailOn.Option("--fail-on",
            "exit 1 when any flow (or class of packets) is newly blocked ('newly-blocked') or changes at all ('any')", defaulted: false);
        var color = ColorOption.Create();
        var set = new Option<string?>("--set")
        {
            Description = "without a capture or flows: the packets to compare, e.g. \"tcp * -> db-1:5432\" (default: every packet, \"* * -> *\")",
        };
        var command = new Command("diff", "Compare two rulesets: on a capture or synthetic flows, the flows whose outcome changes; with neither, every class of packets whose outcome or deciding rule changes.")
        {
            common.Capture, common.Ruleset, against, common.FlowsFile, set, common.Midstream, common.RelatedIcmp, common.Decap, common.Quiet, common.Output, format, failOn, color,
        };
        Combinations.Refuse(command, result => Refusal(result, common, set), "diff: ");
        command.SetAction(parse =>
        {
            var input = TrafficInput.Of(parse.CommandResult, common);
            var gate = parse.GetResult(failOn) is null ? (DiffGate?)null : parse.GetValue(failOn);
            var palette = ColorOption.Palette(parse.GetValue(color), console, parse.GetValue(common.Output));
            if (input.Capture is null && input.FlowsFile is null)
            {
                return RunStatic(console, (parse.GetValue(common.Ruleset)!, parse.GetValue(against)!), parse.GetValue(set) ?? "* * -> *",
                    parse.GetValue(common.Output), parse.GetValue(format) == TextOrJson.Json, gate, palette);
            }
            input.NoteOldSpelling(console.Error);
            return Run(console, common.Settings(parse, input.Capture, input.FlowsFile), parse.GetValue(against)!,
                parse.GetValue(format) == TextOrJson.Json ? DiffFormat.Json : DiffFormat.Text, gate, palette);
        });
        return command;
    }

    /// <summary>Why these options cannot go together, or null.</summary>
    private static string? Refusal(CommandResult result, CommonOptions common, Option<string?> set)
    {
        var input = TrafficInput.Of(result, common);
        if (input.Capture is null && input.FlowsFile is null)
        {
            return CommonOptions.TrafficOnly(result, common.Midstream, common.RelatedIcmp, common.Decap) is { } given
                ? $"{given} applies to traffic; without a capture or --flows-file, every packet is answered with check's defaults (docs/answers.md)"
                : null;
        }
        if (result.GetValue(set) is not null)
        {
            return "--set chooses packets without traffic; with a capture or --flows-file, the traffic is the set";
        }
        if (input.Capture is not null && input.FlowsFile is not null)
        {
            return $"give either a capture or {input.FlowsSpelling} FILE, not both";
        }
        return input.Capture == "-" ? "the capture is read once per ruleset, so it must be a file, not standard input" : null;
    }

    /// <summary>
    /// Without traffic: every class of the set's packets whose outcome, stateless outcome or deciding rules
    /// differ between the two rulesets (docs/answers.md).
    /// </summary>
    private static int RunStatic(CliConsole console, (string Old, string New) paths, string setText, string? outputPath, bool json, DiffGate? failOn, TextPalette palette)
    {
        var (oldPath, newPath) = paths;
        var error = console.Error;
        var oldRules = Inputs.LoadRuleset(oldPath, error);
        var newRules = Inputs.LoadRuleset(newPath, error);
        // Names in the set resolve in the old ruleset, or else in the new one (an interface the change adds).
        if (oldRules is null || newRules is null
            || (PacketSetParser.Parse(setText, oldRules.Model, out _) ?? QueryCommand.ParseSet(setText, newRules, error)) is not { } set)
        {
            return ExitCodes.BadInput;
        }
        var diff = Answers.Diff(oldRules, newRules, set);
        var written = Inputs.WriteOutput(outputPath, console, stream =>
        {
            if (json)
            {
                AnswerWriter.WriteJson(stream, diff);
                return;
            }
            using var text = Inputs.Text(stream);
            AnswerWriter.WriteText(text, diff, oldRules, oldPath, newPath, palette);
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }
        var newlyBlocked = diff.Classes.Any(c => c.Old.Outcome == "allowed" && c.New.Outcome != "allowed");
        return Gate(failOn, newlyBlocked, diff.Classes.Count > 0, () => AnswerWriter.DiffSummary(diff), error);
    }

    /// <summary><c>--fail-on</c>: exit 1, saying why, when its condition holds.</summary>
    /// <param name="summary">What changed, in one line (computed only when the condition holds).</param>
    private static int Gate(DiffGate? failOn, bool newlyBlocked, bool anyChange, Func<string> summary, TextWriter error)
    {
        var holds = failOn switch
        {
            DiffGate.NewlyBlocked => newlyBlocked,
            DiffGate.Any => anyChange,
            _ => false,
        };
        if (!holds)
        {
            return ExitCodes.Ok;
        }
        error.WriteLine($"firewall: --fail-on {OptionWords.DiffFailOn.Name(failOn!.Value)}: {summary()}");
        return ExitCodes.ConditionMet;
    }

    private static int Run(CliConsole console, TrafficSettings settings, string newPath, DiffFormat format, DiffGate? failOn, TextPalette palette)
    {
        var error = console.Error;
        if (settings.CapturePath is not null)
        {
            HotPathWarmup.Start();
        }
        var oldRules = Inputs.LoadRuleset(settings.RulesetPath, error);
        var newRules = Inputs.LoadRuleset(newPath, error);
        if (oldRules is null || newRules is null)
        {
            return ExitCodes.BadInput;
        }
        var oldDecisions = new FlowDecisionRecorder();
        var newDecisions = new FlowDecisionRecorder();
        if (EvaluateBoth(console, settings, (oldRules, settings.RulesetPath, oldDecisions), (newRules, newPath, newDecisions)) is not (var oldRun, var newRun))
        {
            return ExitCodes.BadInput;
        }
        if (RunGates.NothingChecked(oldRun) is { } nothing)
        {
            error.WriteLine($"firewall: {nothing}");
            return ExitCodes.BadInput;
        }
        var diff = RulesetDiff.Compare(oldRun, oldDecisions, newRun, newDecisions);
        if (!Inputs.WriteOutput(settings.OutputPath, console, output => DiffWriter.Write(output, format, diff, palette)))
        {
            return ExitCodes.BadInput;
        }
        return Gate(failOn, diff.Count(FlowChangeKind.NewlyBlocked) > 0, diff.Changes.Count > 0, () => DiffWriter.Summary(diff), error);
    }

    /// <summary>
    /// The same traffic against both rulesets: synthetic flows are loaded once (names resolve against the
    /// old ruleset) and evaluated twice; a capture is read once per ruleset. Null after printing why not.
    /// </summary>
    private static (RunReport Old, RunReport New)? EvaluateBoth(CliConsole console, TrafficSettings settings,
        (CompiledRuleset Rules, string Path, FlowDecisionRecorder Decisions) old, (CompiledRuleset Rules, string Path, FlowDecisionRecorder Decisions) @new)
    {
        var traffic = Traffic.Open(console, settings, old.Rules);
        try
        {
            if (traffic?.Evaluate(console, old.Rules, old.Path, old.Decisions) is not { } oldRun)
            {
                return null;
            }
            if (settings.FlowsFile is null)
            {
                traffic.Dispose(); // the capture is read again from its start: one reader open at a time
                traffic = Traffic.Open(console, settings, @new.Rules);
            }
            if (traffic?.Evaluate(console, @new.Rules, @new.Path, @new.Decisions) is not { } newRun)
            {
                return null;
            }
            return (oldRun, newRun);
        }
        finally
        {
            traffic?.Dispose();
        }
    }
}
