using System.CommandLine;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Selection;
using Firewall.Cli.Running;
using Firewall.Reporting.Html;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall report CAPTURE --ruleset R -o report.html</c> (or <c>--flows-file FLOWS.yaml</c>): the run of
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
        common.FlowsFile.Aliases.Add("--flows");
        var maxFlows = new Option<int>("--max-flows")
        {
            Description = "rows of the flow table (flows with a denied packet first); the rest are counted in a note",
            DefaultValueFactory = _ => new HtmlReportOptions().MaxFlowRows,
            HelpName = "N",
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
        command.Options.Add(common.FlowsFile);
        command.Options.Add(maxFlows);
        var listing = new ListingOptions();
        listing.AddTo(command);
        Combinations.Refuse(command, result => TrafficInput.Of(result, common).Refusal("report"));
        command.SetAction(parse =>
        {
            var input = TrafficInput.Of(parse.CommandResult, common);
            input.NoteOldSpelling(console.Error);
            return Run(console, common.Settings(parse, input.Capture, input.FlowsFile), new HtmlReportOptions { MaxFlowRows = parse.GetValue(maxFlows) },
                listing.Request(parse));
        });
        return command;
    }

    private static int Run(CliConsole console, TrafficSettings settings, HtmlReportOptions options, ListingRequest request)
    {
        if (Traffic.Load(console, settings) is not (var rules, var traffic))
        {
            return ExitCodes.BadInput;
        }
        using (traffic)
        {
            if (request.Resolve(rules, console.Error) is not { } listing)
            {
                return ExitCodes.BadInput;
            }
            using var output = Inputs.OpenOutput(settings.OutputPath, console);
            if (output is null)
            {
                return ExitCodes.BadInput;
            }
            using var writer = new HtmlReportWriter(output, options);
            // The page's timeline counts every packet; the listing only marks the flows the page lists.
            var selected = new SelectedPackets(null, listing);
            var report = traffic.Evaluate(console, rules, settings.RulesetPath, listing.Narrows ? new SinkPair(writer, selected) : writer);
            if (report is null)
            {
                return ExitCodes.BadInput;
            }
            writer.Complete(selected.Narrow(report));
            Traffic.PrintWarnings(report, console.Error, bounds: false);
            return RunGates.Exit(report, null, console.Error);
        }
    }
}
