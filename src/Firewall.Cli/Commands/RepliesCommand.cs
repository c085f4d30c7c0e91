using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Cli.Running;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Replies;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall replies CAPTURE --ruleset R</c>: the flows whose requests passed but whose replies a NACL
/// dropped, grouped by deciding rule, with the NACL rule to add; without CAPTURE, the same for every
/// packet of <c>--set</c>.
/// </summary>
internal static class RepliesCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var format = OptionWords.TextOrJson.Option("--format", "text (default) or json", defaulted: true, "-f");
        var failOn = RunGates.FailOnOption(capture: true);
        var color = ColorOption.Create();
        var set = new Option<string?>("--set")
        {
            Description = "without a capture: the packets whose replies to check, e.g. \"tcp * -> web-1\" (default: every packet, \"* * -> *\")",
        };
        common.Capture.Arity = ArgumentArity.ZeroOrOne;
        common.Capture.Description += "; omit it to check every packet of --set instead";
        var command = new Command("replies", "Find replies that a network ACL drops after their requests passed, and the NACL rule that lets them through: in a capture, or for every packet.");
        common.AddTo(command);
        command.Options.Add(set);
        command.Options.Add(format);
        command.Options.Add(failOn);
        command.Options.Add(color);
        Combinations.Refuse(command, result => Refusal(result, common, set, failOn), "replies: ");
        command.SetAction(parse =>
        {
            var palette = ColorOption.Palette(parse.GetValue(color), console, parse.GetValue(common.Output));
            return parse.GetValue(common.Capture) is null
                ? RunStatic(console, parse.GetValue(common.Ruleset)!, parse.GetValue(set) ?? "* * -> *", parse.GetValue(common.Output),
                    parse.GetValue(format) == TextOrJson.Json, parse.GetValue(failOn) ?? [], palette)
                : Run(console, common.Settings(parse, parse.GetValue(common.Capture), null), parse.GetValue(format) == TextOrJson.Json, parse.GetValue(failOn) ?? [], palette);
        });
        return command;
    }

    /// <summary>Why these options cannot go together, or null.</summary>
    private static string? Refusal(CommandResult result, CommonOptions common, Option<string?> set, Option<FailCondition[]> failOn)
    {
        if (result.GetValue(common.Capture) is not null)
        {
            return result.GetValue(set) is not null ? "--set chooses packets without a capture; with a capture, its traffic is the set" : null;
        }
        if (CommonOptions.TrafficOnly(result, common.Midstream, common.RelatedIcmp, common.Decap) is { } given)
        {
            return $"{given} applies to a capture; without one, every packet is answered with check's defaults (docs/answers.md)";
        }
        if ((result.GetValue(failOn) ?? []).Where(f => f != FailCondition.ReplyDenied).ToList() is [var other, ..])
        {
            return $"--fail-on {OptionWords.FailOn.Name(other)} needs a capture; without one, only reply-denied applies";
        }
        return null;
    }

    /// <summary>
    /// Without a capture: the classes of the set's packets whose requests pass and whose replies a NACL drops,
    /// with the fixes for all their client ports and peers (docs/answers.md). <c>--fail-on reply-denied</c>
    /// exits 1 when there is one.
    /// </summary>
    private static int RunStatic(CliConsole console, string rulesetPath, string setText, string? outputPath, bool json, FailCondition[] failOn, TextPalette palette)
    {
        var error = console.Error;
        var rules = Inputs.LoadRuleset(rulesetPath, error);
        if (rules is null || QueryCommand.ParseSet(setText, rules, error) is not { } packets)
        {
            return ExitCodes.BadInput;
        }
        var analysis = StaticReplies.Analyze(rules, packets);
        var written = Inputs.WriteOutput(outputPath, console, output =>
        {
            if (json)
            {
                RepliesJsonWriter.Write(output, analysis);
                return;
            }
            using var text = Inputs.Text(output);
            RepliesTextWriter.Write(text, analysis, rules, rulesetPath, palette);
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }
        if (failOn.Length > 0 && analysis.Groups.Count > 0)
        {
            error.WriteLine($"firewall: --fail-on reply-denied: {analysis.NaclReplyDenied} classes of packets have their replies dropped by a network ACL");
            return ExitCodes.ConditionMet;
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliConsole console, TrafficSettings settings, bool json, FailCondition[] failOn, TextPalette palette)
    {
        var error = console.Error;
        if (Traffic.Load(console, settings) is not (var rules, var traffic))
        {
            return ExitCodes.BadInput;
        }
        RunReport? report;
        using (traffic)
        {
            report = traffic.Evaluate(console, rules, settings.RulesetPath, null);
        }
        if (report is null)
        {
            return ExitCodes.BadInput;
        }
        var written = Inputs.WriteOutput(settings.OutputPath, console, output =>
        {
            var analysis = ReplyDropAnalysis.Analyze(report.Rules, report.Catalog, report.Flows.Records);
            if (json)
            {
                RepliesJsonWriter.Write(output, report, analysis);
                return;
            }
            using var text = Inputs.Text(output);
            RepliesTextWriter.Write(text, report, analysis, palette);
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }
        Traffic.PrintWarnings(report, error, bounds: false);
        return RunGates.Exit(report, failOn, error);
    }
}
