using System.CommandLine;
using System.Text;
using Firewall.Analysis.Replies;
using Firewall.Cli.Running;
using Firewall.Runs;
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
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (default) or json",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var failOn = RunGates.FailOnOption(capture: true);
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
        command.SetAction(parse => parse.GetValue(common.Capture) is null
            ? CommonOptions.TrafficOnly(parse, common.Midstream, common.RelatedIcmp, common.Decap) is { } given
                ? Refuse(console, $"{given} applies to a capture; without one, every packet is answered with check's defaults (docs/answers.md)")
                : RunStatic(console, parse.GetValue(common.Ruleset)!, parse.GetValue(set) ?? "* * -> *", parse.GetValue(common.Output),
                parse.GetValue(format) == "json", parse.GetValue(failOn))
            : parse.GetValue(set) is not null
                ? Refuse(console, "--set chooses packets without a capture; with a capture, its traffic is the set")
                : Run(console, common, parse, parse.GetValue(format) == "json", parse.GetValue(failOn)));
        return command;
    }

    private static int Refuse(CliConsole console, string message)
    {
        console.Error.WriteLine($"firewall: replies: {message}");
        return ExitCodes.BadInput;
    }

    /// <summary>
    /// Without a capture: the classes of the set's packets whose requests pass and whose replies a NACL drops,
    /// with the fixes for all their client ports and peers (docs/answers.md). <c>--fail-on reply-denied</c>
    /// exits 1 when there is one.
    /// </summary>
    private static int RunStatic(CliConsole console, string rulesetPath, string setText, string? outputPath, bool json, string[]? failOn)
    {
        var error = console.Error;
        if (failOn?.FirstOrDefault(f => f != RunGates.ReplyDenied) is { } other)
        {
            return Refuse(console, $"--fail-on {other} needs a capture; without one, only reply-denied applies");
        }
        var rules = Inputs.LoadRuleset(rulesetPath, error);
        if (rules is null || QueryCommand.ParseSet(setText, rules, error) is not { } packets)
        {
            return ExitCodes.BadInput;
        }
        var analysis = StaticReplies.Analyze(rules, packets);
        using (var output = Inputs.OpenOutput(outputPath, console))
        {
            if (output is null)
            {
                return ExitCodes.BadInput;
            }
            if (json)
            {
                RepliesJsonWriter.Write(output, analysis);
            }
            else
            {
                using var text = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
                RepliesTextWriter.Write(text, analysis, rules, rulesetPath);
            }
        }
        if (failOn is { Length: > 0 } && analysis.Groups.Count > 0)
        {
            error.WriteLine($"firewall: --fail-on reply-denied: {analysis.NaclReplyDenied} classes of packets have their replies dropped by a network ACL");
            return ExitCodes.ConditionMet;
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliConsole console, CommonOptions common, ParseResult parse, bool json, string[]? failOn)
    {
        var error = console.Error;
        var capturePath = parse.GetValue(common.Capture)!;
        var rulesetPath = parse.GetValue(common.Ruleset)!;
        HotPathWarmup.Start();
        var rules = Inputs.LoadRuleset(rulesetPath, error);
        if (rules is null)
        {
            return ExitCodes.BadInput;
        }
        using var reader = Inputs.OpenCapture(capturePath, parse.GetValue(common.Decap) == "vxlan", console, readAhead: parse.GetValue(common.Threads) > 1);
        if (reader is null)
        {
            return ExitCodes.BadInput;
        }
        var report = ConsoleRun.Evaluate(console, reader, rules, common.Evaluation(parse), parse.GetValue(common.Threads), new RunNames(capturePath, rulesetPath), null, parse.GetValue(common.Quiet));
        if (report is null)
        {
            return ExitCodes.BadInput;
        }
        using var output = Inputs.OpenOutput(parse.GetValue(common.Output), console);
        if (output is null)
        {
            return ExitCodes.BadInput;
        }
        var analysis = ReplyDropAnalysis.Analyze(report.Rules, report.Catalog, report.Flows.Records);
        if (json)
        {
            RepliesJsonWriter.Write(output, report, analysis);
        }
        else
        {
            using var text = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
            RepliesTextWriter.Write(text, report, analysis);
        }
        foreach (var warning in report.Input.CaptureWarnings)
        {
            error.WriteLine($"firewall: warning: {capturePath}: {warning}");
        }
        return RunGates.Exit(report, failOn, error);
    }
}
