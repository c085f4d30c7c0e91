using System.CommandLine;
using Firewall.Cli.Running;
using Firewall.Runs;
using Firewall.Engine.Evaluation;
using Firewall.Flows.Synthesis;
using Firewall.Reporting;
using Firewall.Reporting.FlowLogs;

namespace Firewall.Cli.Commands;

/// <summary><c>firewall check CAPTURE --ruleset R</c>: evaluate a capture and report (SPEC §5, §6).</summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (default, for people), json (one document), jsonl (one record per line), csv (with --packets or --flows), or flowlog (VPC Flow Log records, default format version 2)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "jsonl", "csv", "flowlog");
        var flowlogInterval = new Option<int>("--flowlog-interval")
        {
            Description = "flowlog: the aggregation interval in seconds, 60 (default) to 600 as AWS allows",
            DefaultValueFactory = _ => 60,
        };
        var flowlogAccount = new Option<string>("--flowlog-account") { Description = "flowlog: the account-id field (default 'unknown')", DefaultValueFactory = _ => "unknown" };
        var flowlogRule = new Option<bool>("--flowlog-rule") { Description = "flowlog: append a field naming the rule that decided at that interface" };
        var packets = new Option<bool>("--packets") { Description = "one record per packet: verdict, deciding rule, every hop" };
        // SPEC §5 names --flows for per-flow records and SPEC §6 names `check --flows F.yaml` for synthetic input:
        // a value ending in .yaml/.yml is a flows file; bare, it asks for per-flow records (so does --flow-records).
        var flows = new Option<string?>("--flows")
        {
            Description = "bare: one record per flow (packets per direction, outcome, stateful vs stateless); with FLOWS.yaml: evaluate those synthetic flows instead of a capture",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var flowRecords = new Option<bool>("--flow-records") { Description = "one record per flow, also when --flows names a flows file" };
        common.Capture.Arity = ArgumentArity.ZeroOrOne;
        var failOn = RunGates.FailOnOption(capture: true);

        var command = new Command("check", "Evaluate a capture against a ruleset: what passes, what is dropped, and which rule decided.");
        common.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(packets);
        command.Options.Add(flows);
        command.Options.Add(flowRecords);
        command.Options.Add(failOn);
        command.Options.Add(flowlogInterval);
        command.Options.Add(flowlogAccount);
        command.Options.Add(flowlogRule);
        command.SetAction(parse => Run(
            console,
            common,
            parse,
            parse.GetValue(format) == "flowlog" ? ReportFormat.Text : Enum.Parse<ReportFormat>(parse.GetValue(format)!, ignoreCase: true),
            new ReportContent(parse.GetValue(packets), parse.GetValue(flowRecords) || FlowsInput(parse, flows) is (true, null)),
            FlowsInput(parse, flows).File,
            parse.GetValue(failOn),
            parse.GetValue(format) == "flowlog"
                ? new FlowLogOptions { IntervalSeconds = parse.GetValue(flowlogInterval), AccountId = parse.GetValue(flowlogAccount)!, IncludeRule = parse.GetValue(flowlogRule) }
                : null));
        return command;
    }

    /// <summary>Whether --flows was given, and the flows file it names (null when bare or naming a capture).</summary>
    private static (bool Given, string? File) FlowsInput(ParseResult parse, Option<string?> flows)
    {
        if (parse.GetResult(flows) is null)
        {
            return (false, null);
        }
        var value = parse.GetValue(flows);
        return (true, value is not null && IsFlowsFile(value) ? value : null);
    }

    private static bool IsFlowsFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static int Run(CliConsole console, CommonOptions common, ParseResult parse, ReportFormat format, ReportContent content, string? flowsFile, string[]? failOn, FlowLogOptions? flowLog)
    {
        var error = console.Error;
        if (flowLog is not null && (content.Packets || content.Flows))
        {
            error.WriteLine("firewall: --format flowlog writes flow log records only: drop --packets and --flows");
            return ExitCodes.BadInput;
        }
        if (flowLog is { IntervalSeconds: < FlowLogOptions.MinInterval or > FlowLogOptions.MaxInterval })
        {
            error.WriteLine($"firewall: --flowlog-interval {flowLog.IntervalSeconds}: AWS aggregates over {FlowLogOptions.MinInterval} to {FlowLogOptions.MaxInterval} seconds");
            return ExitCodes.BadInput;
        }
        if (flowLog is not null && (flowLog.AccountId.Length == 0 || flowLog.AccountId.Any(char.IsWhiteSpace)))
        {
            error.WriteLine("firewall: --flowlog-account: expected one word (the record's fields are separated by spaces)");
            return ExitCodes.BadInput;
        }
        if (ReportWriters.Refuse(format, content) is { } refusal)
        {
            error.WriteLine($"firewall: {refusal}");
            return ExitCodes.BadInput;
        }
        var capturePath = parse.GetValue(common.Capture);
        if (capturePath is null && flowsFile is null && parse.GetValue<string?>("--flows") is { } flowsValue)
        {
            capturePath = flowsValue; // `check --flows CAPTURE`: the parser gave the capture to --flows
        }
        if ((capturePath is null) == (flowsFile is null))
        {
            error.WriteLine(flowsFile is null
                ? "firewall: check needs a CAPTURE, or --flows FLOWS.yaml for synthetic flows"
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
        using var writer = flowLog is null ? ReportWriters.Create(format, output, content, rules) : new FlowLogWriter(output, rules, flowLog);
        var packetWriter = content.Packets || flowLog is not null ? writer : null;
        var report = reader is not null
            ? ConsoleRun.Evaluate(console, reader, rules, common.Evaluation(parse), parse.GetValue(common.Threads), new RunNames(capturePath!, rulesetPath), packetWriter, parse.GetValue(common.Quiet))
            : PacketRun.Evaluate(FlowSynthesizer.Packets(flowsDefinition!), rules, common.Evaluation(parse), new RunNames(flowsFile!, rulesetPath), packetWriter);
        if (report is null)
        {
            return ExitCodes.BadInput;
        }
        writer.Complete(report);
        if (format != ReportFormat.Text || flowLog is not null)
        {
            // The text report lists capture warnings itself; machine formats carry them in the input record.
            foreach (var warning in report.Input.CaptureWarnings)
            {
                error.WriteLine($"firewall: warning: {report.Input.CaptureName}: {warning}");
            }
            foreach (var warning in report.BoundWarnings())
            {
                error.WriteLine($"firewall: warning: {warning}");
            }
        }
        return RunGates.Exit(report, failOn, error);
    }
}
