using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Selection;
using Firewall.Cli.Running;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Replies;
using Firewall.Rulesets.Import;

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
        var fixFormat = OptionWords.FixFormat.Option("--fix-format",
            "the syntax of the rules to add: yaml (the ruleset format), aws-cli (aws ec2 create-network-acl-entry) or terraform (aws_network_acl_rule)", defaulted: true);
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
        command.Options.Add(fixFormat);
        command.Options.Add(color);
        var listing = new ListingOptions();
        listing.AddTo(command);
        Combinations.Refuse(command, result => Refusal(result, common, set, failOn, listing), "replies: ");
        command.SetAction(parse =>
        {
            var output = new Output(parse.GetValue(format) == TextOrJson.Json, parse.GetValue(fixFormat),
                ColorOption.Palette(parse.GetValue(color), console, parse.GetValue(common.Output)));
            return parse.GetValue(common.Capture) is null
                ? RunStatic(console, parse.GetValue(common.Ruleset)!, parse.GetValue(set) ?? "* * -> *", parse.GetValue(common.Output), output, parse.GetValue(failOn) ?? [])
                : Run(console, common.Settings(parse, parse.GetValue(common.Capture), null), output, parse.GetValue(failOn) ?? [], listing.Request(parse));
        });
        return command;
    }

    /// <summary>Why these options cannot go together, or null.</summary>
    private static string? Refusal(CommandResult result, CommonOptions common, Option<string?> set, Option<FailCondition[]> failOn, ListingOptions listing)
    {
        if (result.GetValue(common.Capture) is not null)
        {
            return result.GetValue(set) is not null ? "--set chooses packets without a capture; with a capture, its traffic is the set" : null;
        }
        if ((CommonOptions.TrafficOnly(result, common.Midstream, common.RelatedIcmp, common.Decap) ?? listing.Given(result)) is { } given)
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
    private static int RunStatic(CliConsole console, string rulesetPath, string setText, string? outputPath, Output how, FailCondition[] failOn)
    {
        var error = console.Error;
        var origins = new Dictionary<string, AclOrigin>(StringComparer.Ordinal);
        var rules = Inputs.LoadRuleset(rulesetPath, error, origins: origins);
        if (rules is null || QueryCommand.ParseSet(setText, rules, error) is not { } packets)
        {
            return ExitCodes.BadInput;
        }
        var analysis = StaticReplies.Analyze(rules, packets);
        var fixes = new FixText(how.FixFormat, origins);
        var written = Inputs.WriteOutput(outputPath, console, output =>
        {
            if (how.Json)
            {
                RepliesJsonWriter.Write(output, analysis, fixes);
                return;
            }
            using var text = Inputs.Text(output);
            RepliesTextWriter.Write(text, analysis, rules, rulesetPath, fixes, how.Palette);
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }
        NoteUnplaced(fixes, rulesetPath, error);
        if (failOn.Length > 0 && analysis.Groups.Count > 0)
        {
            error.WriteLine($"firewall: --fail-on reply-denied: {analysis.NaclReplyDenied} classes of packets have their replies dropped by a network ACL");
            return ExitCodes.ConditionMet;
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliConsole console, TrafficSettings settings, Output how, FailCondition[] failOn, ListingRequest request)
    {
        var error = console.Error;
        var origins = new Dictionary<string, AclOrigin>(StringComparer.Ordinal);
        if (Traffic.Load(console, settings, origins) is not (var rules, var traffic))
        {
            return ExitCodes.BadInput;
        }
        RunReport? report;
        using (traffic)
        {
            if (request.Resolve(rules, error) is not { } listing)
            {
                return ExitCodes.BadInput;
            }
            // Every packet is evaluated; the listing marks the flows whose packets it selects.
            var selected = new SelectedPackets(null, listing);
            report = traffic.Evaluate(console, rules, settings.RulesetPath, listing.Narrows ? selected : null) is { } run ? selected.Narrow(run) : null;
        }
        if (report is null)
        {
            return ExitCodes.BadInput;
        }
        var fixes = new FixText(how.FixFormat, origins);
        var written = Inputs.WriteOutput(settings.OutputPath, console, output =>
        {
            var analysis = ReplyDropAnalysis.Analyze(report);
            if (how.Json)
            {
                RepliesJsonWriter.Write(output, report, analysis, fixes);
                return;
            }
            using var text = Inputs.Text(output);
            RepliesTextWriter.Write(text, report, analysis, fixes, how.Palette);
        });
        if (!written)
        {
            return ExitCodes.BadInput;
        }
        NoteUnplaced(fixes, settings.RulesetPath, error);
        Traffic.PrintWarnings(report, error, bounds: false);
        return RunGates.Exit(report, failOn, error);
    }

    /// <summary>How the report is written: JSON or text, and the syntax of its fixes.</summary>
    private sealed record Output(bool Json, FixFormat FixFormat, TextPalette Palette);

    /// <summary>
    /// One line on standard error per ACL whose fix was written with a placeholder, since the ruleset does
    /// not say the ACL's AWS id or Terraform resource: the fix is still shown, and the line says what to put in.
    /// </summary>
    private static void NoteUnplaced(FixText fixes, string rulesetPath, TextWriter error)
    {
        var what = fixes.Format == FixFormat.AwsCli ? "the AWS id" : "the aws_network_acl resource or AWS id";
        foreach (var acl in fixes.Unplaced)
        {
            error.WriteLine($"firewall: --fix-format {OptionWords.FixFormat.Name(fixes.Format)}: {rulesetPath} does not say {what} of network ACL {acl} "
                + "(an imported plan or describe-network-acls output does); put it in place of the placeholder");
        }
    }
}
