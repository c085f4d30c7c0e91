using System.CommandLine;
using Firewall.Analysis.Reachability;
using Firewall.Cli.Running;
using Firewall.Engine.Compilation;
using Firewall.Reporting.Answers;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall query "SET" --ruleset R</c>: what every packet of a set gets, as classes of packets that get
/// the same outcome and deciding rules from <c>check</c>, without a capture (docs/answers.md).
/// </summary>
internal static class QueryCommand
{
    public static Command Create(CliConsole console)
    {
        var set = new Argument<string>("SET")
        {
            Description = "the packets, e.g. \"tcp 0.0.0.0/0 -> db-1:5432\", \"* web-1 -> *\", \"icmp 198.51.100.0/24 -> web-1 type 8\"",
        };
        var ruleset = new Option<string>("--ruleset", "-r") { Description = "the ruleset: a ruleset file (YAML), a Terraform plan (terraform show -json) or aws ec2 describe-* output (a file or a directory)", Required = true };
        var format = OptionWords.TextOrJson.Option("--format", "text (default) or json", defaulted: true, "-f");
        var output = new Option<string?>("--output", "-o") { Description = "write the answer to FILE instead of standard output", HelpName = "FILE" };
        var command = new Command("query", "Answer for every packet of a set, without traffic: who reaches what, with the outcome and rules check would give.")
        {
            set, ruleset, format, output,
        };
        command.SetAction(parse =>
        {
            var rulesetPath = parse.GetValue(ruleset)!;
            var rules = Inputs.LoadRuleset(rulesetPath, console.Error);
            if (rules is null || ParseSet(parse.GetValue(set)!, rules, console.Error) is not { } packets)
            {
                return ExitCodes.BadInput;
            }
            var answer = Answers.Query(rules, packets);
            var written = Inputs.WriteOutput(parse.GetValue(output), console, stream =>
            {
                if (parse.GetValue(format) == TextOrJson.Json)
                {
                    AnswerWriter.WriteJson(stream, answer);
                    return;
                }
                using var text = Inputs.Text(stream);
                AnswerWriter.WriteText(text, answer, rules, rulesetPath);
            });
            return written ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return command;
    }

    /// <summary>The packet set, or null after printing where it is wrong (the set, a caret under the column, the message).</summary>
    public static PacketSet? ParseSet(string text, CompiledRuleset rules, TextWriter error)
    {
        var set = PacketSetParser.Parse(text, rules.Model, out var problem);
        if (set is null)
        {
            error.WriteLine($"firewall: {problem}");
            error.WriteLine($"  {text}");
            error.WriteLine($"  {new string(' ', Math.Min(problem.Offset, text.Length))}^");
        }
        return set;
    }
}
