using System.CommandLine;
using Firewall.Analysis.Diff;
using Firewall.Analysis.Reachability;
using Firewall.Analysis.Runs;
using Firewall.Cli.Running;
using Firewall.Runs;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Loading;
using Firewall.Flows.Synthesis;
using Firewall.Reporting.Answers;
using Firewall.Reporting.Diff;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall diff CAPTURE --ruleset OLD --against NEW</c> (or <c>--flows F.yaml</c>): evaluate the same
/// traffic against two rulesets and list the flows whose outcome changes, with the deciding rules of both.
/// Exit 1 with <c>--fail-on</c> when such a flow exists.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var capture = new Argument<string?>("CAPTURE") { Description = "pcap or pcapng file (read twice, so not '-'); omit with --flows", Arity = ArgumentArity.ZeroOrOne };
        var against = new Option<string>("--against") { Description = "the changed ruleset to compare with --ruleset", Required = true };
        var flows = new Option<string?>("--flows") { Description = "synthetic flows (YAML) instead of a capture; interface names resolve against --ruleset" };
        var format = new Option<string>("--format", "-f") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var failOn = new Option<string?>("--fail-on") { Description = "exit 1 when any flow (or class of packets) is newly blocked ('newly-blocked') or changes at all ('any')" };
        failOn.AcceptOnlyFromAmong("newly-blocked", "any");
        var set = new Option<string?>("--set")
        {
            Description = "without a capture or flows: the packets to compare, e.g. \"tcp * -> db-1:5432\" (default: every packet, \"* * -> *\")",
        };
        var command = new Command("diff", "Compare two rulesets: on a capture or synthetic flows, the flows whose outcome changes; with neither, every class of packets whose outcome or deciding rule changes.")
        {
            capture, common.Ruleset, against, flows, set, common.Midstream, common.RelatedIcmp, common.Decap, common.Quiet, common.Output, format, failOn,
        };
        command.SetAction(parse => parse.GetValue(capture) is null && parse.GetValue(flows) is null
            ? CommonOptions.TrafficOnly(parse, common.Midstream, common.RelatedIcmp, common.Decap) is { } given
                ? Refuse(console, $"{given} applies to traffic; without a capture or --flows, every packet is answered with check's defaults (docs/answers.md)")
                : RunStatic(console, parse.GetValue(common.Ruleset)!, parse.GetValue(against)!, parse.GetValue(set) ?? "* * -> *",
                parse.GetValue(common.Output), parse.GetValue(format) == "json", parse.GetValue(failOn))
            : parse.GetValue(set) is not null
                ? Refuse(console, "--set chooses packets without traffic; with a capture or --flows, the traffic is the set")
                : Run(console, parse, common, parse.GetValue(capture), parse.GetValue(common.Ruleset)!, parse.GetValue(against)!,
                    parse.GetValue(flows), parse.GetValue(format) == "json" ? DiffFormat.Json : DiffFormat.Text, parse.GetValue(failOn)));
        return command;
    }

    private static int Refuse(CliConsole console, string message)
    {
        console.Error.WriteLine($"firewall: diff: {message}");
        return ExitCodes.BadInput;
    }

    /// <summary>
    /// Without traffic: every class of the set's packets whose outcome, stateless outcome or deciding rules
    /// differ between the two rulesets (docs/answers.md).
    /// </summary>
    private static int RunStatic(CliConsole console, string oldPath, string newPath, string setText, string? outputPath, bool json, string? failOn)
    {
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
        using (var stream = Inputs.OpenOutput(outputPath, console))
        {
            if (stream is null)
            {
                return ExitCodes.BadInput;
            }
            if (json)
            {
                AnswerWriter.WriteJson(stream, diff);
            }
            else
            {
                using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
                AnswerWriter.WriteText(text, diff, oldRules, oldPath, newPath);
            }
        }
        var condition = failOn switch
        {
            "newly-blocked" => diff.Classes.Any(c => c.Old.Outcome == "allowed" && c.New.Outcome != "allowed"),
            "any" => diff.Classes.Count > 0,
            _ => false,
        };
        if (condition)
        {
            error.WriteLine($"firewall: --fail-on {failOn}: {AnswerWriter.DiffSummary(diff)}");
            return ExitCodes.ConditionMet;
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliConsole console, ParseResult parse, CommonOptions common, string? capturePath, string oldPath, string newPath,
        string? flowsPath, DiffFormat format, string? failOn)
    {
        var error = console.Error;
        if (capturePath is not null && flowsPath is not null)
        {
            error.WriteLine("firewall: diff: give either a capture or --flows FILE, not both");
            return ExitCodes.BadInput;
        }
        if (capturePath == "-")
        {
            error.WriteLine("firewall: diff: the capture is read once per ruleset, so it must be a file, not standard input");
            return ExitCodes.BadInput;
        }
        if (capturePath is not null)
        {
            HotPathWarmup.Start();
        }
        var oldRules = Inputs.LoadRuleset(oldPath, error);
        var newRules = Inputs.LoadRuleset(newPath, error);
        if (oldRules is null || newRules is null)
        {
            return ExitCodes.BadInput;
        }
        var options = common.Evaluation(parse);
        var oldDecisions = new FlowDecisionRecorder();
        var newDecisions = new FlowDecisionRecorder();
        RunReport? oldRun, newRun;
        if (flowsPath is not null)
        {
            if (Inputs.LoadFlows(flowsPath, oldRules, error) is not { } file)
            {
                return ExitCodes.BadInput;
            }
            oldRun = PacketRun.Evaluate(FlowSynthesizer.Packets(file), oldRules, options, new RunNames(flowsPath, oldPath), oldDecisions);
            newRun = PacketRun.Evaluate(FlowSynthesizer.Packets(file), newRules, options, new RunNames(flowsPath, newPath), newDecisions);
        }
        else
        {
            oldRun = EvaluateCapture(console, parse, common, capturePath!, oldRules, options, oldPath, oldDecisions);
            newRun = oldRun is null ? null : EvaluateCapture(console, parse, common, capturePath!, newRules, options, newPath, newDecisions);
        }
        if (oldRun is null || newRun is null)
        {
            return ExitCodes.BadInput;
        }
        if (RunGates.NothingChecked(oldRun) is { } nothing)
        {
            error.WriteLine($"firewall: {nothing}");
            return ExitCodes.BadInput;
        }
        var diff = RulesetDiff.Compare(oldRun, oldDecisions, newRun, newDecisions);
        using (var output = Inputs.OpenOutput(parse.GetValue(common.Output), console))
        {
            if (output is null)
            {
                return ExitCodes.BadInput;
            }
            DiffWriter.Write(output, format, diff);
        }
        var condition = failOn switch
        {
            "newly-blocked" => diff.Count(FlowChangeKind.NewlyBlocked) > 0,
            "any" => diff.Changes.Count > 0,
            _ => false,
        };
        if (condition)
        {
            error.WriteLine($"firewall: --fail-on {failOn}: {DiffWriter.Summary(diff)}");
            return ExitCodes.ConditionMet;
        }
        return ExitCodes.Ok;
    }

    private static RunReport? EvaluateCapture(CliConsole console, ParseResult parse, CommonOptions common, string capturePath,
        CompiledRuleset rules, EvaluationOptions options, string rulesetPath, FlowDecisionRecorder decisions)
    {
        using var reader = Inputs.OpenCapture(capturePath, parse.GetValue(common.Decap) == "vxlan", console, readAhead: parse.GetValue(common.Threads) > 1);
        if (reader is null)
        {
            return null;
        }
        return ConsoleRun.Evaluate(console, reader, rules, options, parse.GetValue(common.Threads), new RunNames(capturePath, rulesetPath), decisions, parse.GetValue(common.Quiet));
    }
}
