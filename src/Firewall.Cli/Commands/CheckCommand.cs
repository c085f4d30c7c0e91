using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Selection;
using Firewall.Cli.Running;
using Firewall.Reporting;
using Firewall.Reporting.FlowLogs;
using Firewall.Reporting.Text;

namespace Firewall.Cli.Commands;

/// <summary>Everything <c>check</c> was asked, parsed and checked.</summary>
/// <param name="FlowLog">The flow log's settings with <c>--format flowlog</c>, else null.</param>
/// <param name="Listing">What the records list (<c>--only</c>, <c>--filter</c>, ...); evaluation sees every packet.</param>
/// <param name="Text">With <c>--format text</c>: <c>--summary</c>, <c>--assumptions</c> and the colours.</param>
internal sealed record CheckOptions(
    TrafficSettings Traffic,
    ReportFormat Format,
    ReportContent Content,
    FailCondition[] FailOn,
    FlowLogOptions? FlowLog,
    ListingRequest Listing,
    TextReportOptions Text);

/// <summary><c>firewall check CAPTURE --ruleset R</c>: evaluate a capture and report (SPEC §5, §6).</summary>
internal static class CheckCommand
{
    /// <summary>The options of check beyond the common ones.</summary>
    private sealed class Options
    {
        public readonly CommonOptions Common = new();
        public readonly Option<CheckFormat> Format = OptionWords.CheckFormat.Option(
            "--format",
            "text (default, for people), json (one document), jsonl (one record per line), csv (with --packets or --flows), or flowlog (VPC Flow Log records, default format version 2)",
            defaulted: true,
            "-f");
        public readonly Option<int> FlowlogInterval = new("--flowlog-interval")
        {
            Description = "flowlog: the aggregation interval in seconds, 60 (default) to 600 as AWS allows",
            DefaultValueFactory = _ => 60,
            HelpName = "SECONDS",
        };
        public readonly Option<string> FlowlogAccount = new("--flowlog-account") { Description = "flowlog: the account-id field (default 'unknown')", DefaultValueFactory = _ => "unknown", HelpName = "ID" };
        public readonly Option<bool> FlowlogRule = new("--flowlog-rule") { Description = "flowlog: append a field naming the rule that decided at that interface" };
        public readonly Option<bool> Packets = new("--packets") { Description = "one record per packet: verdict, deciding rule, every hop" };
        public readonly FlowsOption Flows = new();
        public readonly Option<bool> FlowRecords = new("--flow-records") { Description = "one record per flow (as --flows)" };
        public readonly Option<PacketSelection> Only = OptionWords.Only.Option(
            "--only",
            "with --packets: list only denied packets, replies denied (reply-denied), allowed or undecodable ones; every packet is still evaluated and counted",
            defaulted: true);
        public readonly ListingOptions Listing = new();
        public readonly Option<FailCondition[]> FailOn = RunGates.FailOnOption(capture: true);
        public readonly Option<bool> Summary = new("--summary") { Description = "text: only the verdict line and the totals (packets and flows), no rule tables" };
        public readonly Option<bool> Assumptions = new("--assumptions") { Description = "text: list every assumption the run depends on, with where it comes from (by default one line counts them)" };
        public readonly Option<ColorMode> Color = ColorOption.Create();

        public Options()
        {
            Common.Capture.Arity = ArgumentArity.ZeroOrOne;
        }
    }

    public static Command Create(CliConsole console)
    {
        var o = new Options();
        var command = new Command("check", "Evaluate a capture against a ruleset: what passes, what is dropped, and which rule decided.");
        o.Common.AddTo(command);
        command.Options.Add(o.Format);
        command.Options.Add(o.Packets);
        o.Flows.AddTo(command, o.Common.FlowsFile);
        command.Options.Add(o.FlowRecords);
        command.Options.Add(o.Only);
        o.Listing.AddTo(command);
        command.Options.Add(o.FailOn);
        command.Options.Add(o.FlowlogInterval);
        command.Options.Add(o.FlowlogAccount);
        command.Options.Add(o.FlowlogRule);
        command.Options.Add(o.Summary);
        command.Options.Add(o.Assumptions);
        command.Options.Add(o.Color);
        Combinations.Refuse(command, result => Refusal(result, o));
        command.SetAction(parse =>
        {
            o.Flows.Input(parse.CommandResult, o.Common).NoteOldSpelling(console.Error);
            return Run(console, Parse(parse, o, console));
        });
        return command;
    }

    private static CheckOptions Parse(ParseResult parse, Options o, CliConsole console)
    {
        var input = o.Flows.Input(parse.CommandResult, o.Common);
        var format = parse.GetValue(o.Format);
        var settings = o.Common.Settings(parse, input.Capture, input.FlowsFile);
        return new CheckOptions(
            settings,
            OptionWords.Report(format),
            new ReportContent(parse.GetValue(o.Packets), parse.GetValue(o.FlowRecords) || input.FlowRecords),
            parse.GetValue(o.FailOn) ?? [],
            format == CheckFormat.Flowlog
                ? new FlowLogOptions { IntervalSeconds = parse.GetValue(o.FlowlogInterval), AccountId = parse.GetValue(o.FlowlogAccount)!, IncludeRule = parse.GetValue(o.FlowlogRule) }
                : null,
            o.Listing.Request(parse, parse.GetValue(o.Only)),
            new TextReportOptions
            {
                SummaryOnly = parse.GetValue(o.Summary),
                ListAssumptions = parse.GetValue(o.Assumptions),
                Palette = ColorOption.Palette(parse.GetValue(o.Color), console, settings.OutputPath),
            });
    }

    /// <summary>Why these options cannot go together, or null: the first problem only, as one message.</summary>
    private static string? Refusal(CommandResult result, Options o)
    {
        if (o.Flows.Conflict(result, o.Common) is { } conflict)
        {
            return conflict;
        }
        var input = o.Flows.Input(result, o.Common);
        var content = new ReportContent(result.GetValue(o.Packets), result.GetValue(o.FlowRecords) || input.FlowRecords);
        var format = result.GetValue(o.Format);
        if (format == CheckFormat.Flowlog && FlowLogRefusal(result, o, content) is { } flowLog)
        {
            return flowLog;
        }
        if (result.GetValue(o.Only) != PacketSelection.All && !content.Packets)
        {
            return "--only selects the per-packet records: add --packets";
        }
        if (o.Listing.Given(result) is { } narrowing && !content.Packets && !content.Flows)
        {
            return $"{narrowing} narrows the per-packet and per-flow records: add --packets or --flows";
        }
        if (TextOnlyRefusal(result, o, content, format) is { } textOnly)
        {
            return textOnly;
        }
        if (ReportWriters.Refuse(OptionWords.Report(format), content) is { } refusal)
        {
            return refusal;
        }
        return input.Refusal("check");
    }

    /// <summary>--summary and --assumptions shape the text report; --summary leaves out every table, the records too.</summary>
    private static string? TextOnlyRefusal(CommandResult result, Options o, ReportContent content, CheckFormat format)
    {
        var summary = result.GetValue(o.Summary);
        if (format != CheckFormat.Text && (summary || result.GetValue(o.Assumptions)))
        {
            return $"{(summary ? "--summary" : "--assumptions")} shapes the text report: --format {OptionWords.CheckFormat.Name(format)} writes {(format == CheckFormat.Flowlog ? "flow log records" : "every total and assumption as data")}";
        }
        if (summary && (content.Packets || content.Flows))
        {
            return $"--summary prints only the totals: drop {(content.Packets ? "--packets" : "--flows")}";
        }
        return null;
    }

    private static string? FlowLogRefusal(CommandResult result, Options o, ReportContent content)
    {
        var interval = result.ValueOrDefault(o.FlowlogInterval);
        var account = result.ValueOrDefault(o.FlowlogAccount) ?? "";
        if (content.Packets || content.Flows)
        {
            return "--format flowlog writes flow log records only: drop --packets and --flows";
        }
        if (o.Listing.Given(result) is { } narrowing)
        {
            return $"--format flowlog writes every flow: {narrowing} narrows --packets and --flows records only";
        }
        if (interval is < FlowLogOptions.MinInterval or > FlowLogOptions.MaxInterval)
        {
            return $"--flowlog-interval {interval}: AWS aggregates over {FlowLogOptions.MinInterval} to {FlowLogOptions.MaxInterval} seconds";
        }
        if (account.Length == 0 || account.Any(char.IsWhiteSpace))
        {
            return "--flowlog-account: expected one word (the record's fields are separated by spaces)";
        }
        return null;
    }

    private static int Run(CliConsole console, CheckOptions options)
    {
        var error = console.Error;
        if (Traffic.Load(console, options.Traffic) is not (var rules, var traffic))
        {
            return ExitCodes.BadInput;
        }
        using (traffic)
        {
            if (options.Listing.Resolve(rules, error) is not { } listing)
            {
                return ExitCodes.BadInput;
            }
            using var output = Inputs.OpenOutput(options.Traffic.OutputPath, console);
            if (output is null)
            {
                return ExitCodes.BadInput;
            }
            using var writer = options.FlowLog is { } flowLog
                ? new FlowLogWriter(output, rules, flowLog)
                : ReportWriters.Create(options.Format, output, options.Content, rules, options.Text);
            using var selected = new SelectedPackets(options.Content.Packets ? writer : null, listing, options.Content.Flows);
            IRunSink? packetWriter = options.FlowLog is not null ? writer
                : listing.Narrows ? selected
                : options.Content.Packets ? writer : null;
            var report = traffic.Evaluate(console, rules, options.Traffic.RulesetPath, packetWriter);
            if (report is null)
            {
                return ExitCodes.BadInput;
            }
            writer.Complete(selected.Narrow(report));
            if (options.Format != ReportFormat.Text || options.FlowLog is not null)
            {
                // The text report lists capture warnings itself; machine formats carry them in the input record.
                Traffic.PrintWarnings(report, error, bounds: true);
            }
            return RunGates.Exit(report, options.FailOn, error);
        }
    }
}
