using System.CommandLine;
using Firewall.Analysis.Lint;
using Firewall.Cli.Running;
using Firewall.Reporting.Lint;

namespace Firewall.Cli.Commands;

/// <summary><c>firewall lint R</c>: static analysis of a ruleset (docs/lint.md). Exit 1 when a finding reaches <c>--fail-on</c>.</summary>
internal static class LintCommand
{
    public static Command Create(CliConsole console)
    {
        var ruleset = new Argument<string>("RULESET") { Description = "the ruleset file (YAML)" };
        var format = OptionWords.LintFormat.Option("--format", "text (default), json, or sarif (SARIF 2.1.0 for code-review tools)", defaulted: true, "-f");
        var failOn = new Option<string>("--fail-on") { Description = "exit 1 when any finding has this severity or worse: error (default), warning, note, or never", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("error", "warning", "note", "never");
        var output = new Option<string?>("--output", "-o") { Description = "write the report to FILE instead of standard output", HelpName = "FILE" };
        var command = new Command("lint", "Find shadowed or useless rules, redundant group rules, replies a NACL drops, IPv4/IPv6 gaps and quota overruns.")
        {
            ruleset, format, failOn, output,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(ruleset)!;
            var rules = Inputs.LoadRuleset(path, console.Error, allowImport: false); // findings point into the file as written
            if (rules is null)
            {
                return ExitCodes.BadInput;
            }
            var findings = RulesetLinter.Lint(rules.Model);
            if (!Inputs.WriteOutput(parse.GetValue(output), console, stream => LintWriter.Write(stream, parse.GetValue(format), path, findings)))
            {
                return ExitCodes.BadInput;
            }
            var threshold = LintFinding.Parse(parse.GetValue(failOn)!);
            return threshold is { } t && findings.Any(f => f.Severity >= t) ? ExitCodes.ConditionMet : ExitCodes.Ok;
        });
        return command;
    }
}
