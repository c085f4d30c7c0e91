using System.CommandLine;
using System.Text;
using Firewall.Analysis.Replies;
using Firewall.Cli.Running;
using Firewall.Reporting.Replies;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall replies CAPTURE --ruleset R</c>: the flows whose requests passed but whose replies a NACL
/// dropped, grouped by deciding rule, with the NACL rule to add (SPEC §6).
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
        var command = new Command("replies", "Find replies that a network ACL drops after their requests passed, and the NACL rule that lets them through.");
        common.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(failOn);
        command.SetAction(parse => Run(console, common, parse, parse.GetValue(format) == "json", parse.GetValue(failOn)));
        return command;
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
        var report = CaptureRun.Evaluate(
            reader, rules, common.Evaluation(parse), parse.GetValue(common.Threads), capturePath, rulesetPath,
            null, new Progress(console, parse.GetValue(common.Quiet)), error);
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
