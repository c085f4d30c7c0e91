using System.CommandLine;
using Firewall.Cli.Running;
using Firewall.Runs;
using Firewall.Flows.Synthesis;
using Firewall.Reporting.Html;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall report CAPTURE --ruleset R -o report.html</c> (or <c>--flows FLOWS.yaml</c>): the run of
/// <c>check</c> as one self-contained HTML page (totals, timeline, reply drops with their fixes, stateful
/// vs stateless, denied talkers, rule hits, flows). The page's writer rides along the capture loop like
/// <c>check --packets</c>'s writers, so the report costs one evaluation, as <c>check</c> does.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        common.Capture.Arity = ArgumentArity.ZeroOrOne;
        var flows = new Option<string?>("--flows")
        {
            Description = "evaluate the synthetic flows of FLOWS.yaml instead of a capture (as `check --flows FLOWS.yaml` does)",
        };
        var maxFlows = new Option<int>("--max-flows")
        {
            Description = "rows of the flow table (flows with a denied packet first); the rest are counted in a note",
            DefaultValueFactory = _ => new HtmlReportOptions().MaxFlowRows,
        };
        maxFlows.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 1_000_000)
            {
                result.AddError("--max-flows must be between 0 and 1000000");
            }
        });
        var command = new Command("report", "Write a self-contained HTML report of an evaluation: charts, reply drops and their fixes, rule hits, flows.");
        common.AddTo(command);
        command.Options.Add(flows);
        command.Options.Add(maxFlows);
        command.SetAction(parse => Run(console, common, parse, parse.GetValue(flows), new HtmlReportOptions { MaxFlowRows = parse.GetValue(maxFlows) }));
        return command;
    }

    private static int Run(CliConsole console, CommonOptions common, ParseResult parse, string? flowsFile, HtmlReportOptions options)
    {
        var error = console.Error;
        var capturePath = parse.GetValue(common.Capture);
        if ((capturePath is null) == (flowsFile is null))
        {
            error.WriteLine(flowsFile is null
                ? "firewall: report needs a CAPTURE, or --flows FLOWS.yaml for synthetic flows"
                : $"firewall: give either a CAPTURE or --flows {flowsFile}, not both");
            return ExitCodes.BadInput;
        }
        var rulesetPath = parse.GetValue(common.Ruleset)!;
        if (capturePath is not null)
        {
            HotPathWarmup.Start();
        }
        var rules = Inputs.LoadRuleset(rulesetPath, error);
        if (rules is null)
        {
            return ExitCodes.BadInput;
        }
        var flowsDefinition = flowsFile is null ? null : Inputs.LoadFlows(flowsFile, rules, error);
        if (flowsFile is not null && flowsDefinition is null)
        {
            return ExitCodes.BadInput;
        }
        using var reader = capturePath is null ? null : Inputs.OpenCapture(capturePath, parse.GetValue(common.Decap) == "vxlan", console, readAhead: parse.GetValue(common.Threads) > 1);
        if (capturePath is not null && reader is null)
        {
            return ExitCodes.BadInput;
        }
        using var output = Inputs.OpenOutput(parse.GetValue(common.Output), console);
        if (output is null)
        {
            return ExitCodes.BadInput;
        }
        using var writer = new HtmlReportWriter(output, options);
        var report = reader is not null
            ? ConsoleRun.Evaluate(console, reader, rules, common.Evaluation(parse), parse.GetValue(common.Threads), new RunNames(capturePath!, rulesetPath), writer, parse.GetValue(common.Quiet))
            : PacketRun.Evaluate(FlowSynthesizer.Packets(flowsDefinition!), rules, common.Evaluation(parse), new RunNames(flowsFile!, rulesetPath), writer);
        if (report is null)
        {
            return ExitCodes.BadInput;
        }
        writer.Complete(report);
        foreach (var warning in report.Input.CaptureWarnings)
        {
            error.WriteLine($"firewall: warning: {report.Input.CaptureName}: {warning}");
        }
        return RunGates.Exit(report, null, error);
    }
}
