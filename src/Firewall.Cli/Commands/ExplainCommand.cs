using System.CommandLine;
using Firewall.Analysis.Explain;
using Firewall.Cli.Running;
using Firewall.Engine.Packets;
using Firewall.Flows.Loading;
using Firewall.Flows.Synthesis;
using Firewall.Reporting.Explain;

namespace Firewall.Cli.Commands;

/// <summary><c>firewall explain --ruleset R "tcp A:p -> B:q"</c>: one flow through every hop, request and reply, stateful and stateless.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliConsole console)
    {
        var flow = new Argument<string>("FLOW")
        {
            Description = "the flow, e.g. \"tcp 198.51.100.7:51514 -> web-1:443\" (interface names allowed; '*' picks an ephemeral port)",
        };
        var ruleset = new Option<string>("--ruleset", "-r") { Description = "the ruleset: a ruleset file (YAML), a Terraform plan (terraform show -json) or aws ec2 describe-* output (a file or a directory)", Required = true };
        var format = OptionWords.TextOrJson.Option("--format", "text (default) or json", defaulted: true, "-f");
        var failOn = RunGates.FailOnOption(capture: false);
        var command = new Command("explain", "Trace one flow through every hop: the rule that matched or why none did, tracking, and the stateless comparison.")
        {
            flow,
            ruleset,
            format,
            failOn,
        };
        command.SetAction(parse => Run(console, parse.GetValue(flow)!, parse.GetValue(ruleset)!, parse.GetValue(format) == TextOrJson.Json, parse.GetValue(failOn) ?? []));
        return command;
    }

    private static int Run(CliConsole console, string flowText, string rulesetPath, bool json, FailCondition[] failOn)
    {
        var rules = Inputs.LoadRuleset(rulesetPath, console.Error);
        if (rules is null)
        {
            return ExitCodes.BadInput;
        }
        var def = FlowsLoader.ParseFlow(flowText, rules.Model, out var error);
        if (def is null)
        {
            console.Error.WriteLine($"firewall: explain: {error}");
            return ExitCodes.BadInput;
        }
        // The first packet each way: SYN and SYN/ACK, request and response, echo request and reply.
        var (request, reply) = FlowSynthesizer.FirstExchange(def, Flows.Definitions.FlowTiming.DefaultStartNs);
        var requestInfo = default(PacketInfo);
        SynthDecoding.Fill(in request, 1, ref requestInfo);
        PacketInfo? replyInfo = null;
        if (reply is { } r)
        {
            var info = default(PacketInfo);
            SynthDecoding.Fill(in r, 2, ref info);
            replyInfo = info;
        }
        var explanation = new FlowExplainer(rules).Explain(def.Flow.Text, in requestInfo, in replyInfo);
        using var text = Inputs.Text(console.Out);
        if (json)
        {
            ExplainWriter.WriteJson(explanation, text);
        }
        else
        {
            ExplainWriter.WriteText(explanation, text);
        }
        return FailOn(explanation, failOn, console.Error);
    }

    /// <summary>As <c>check --fail-on</c>, for the one flow: its request or reply denied, or its reply alone.</summary>
    private static int FailOn(FlowExplanation explanation, FailCondition[] failOn, TextWriter error)
    {
        var met = false;
        foreach (var condition in failOn.Distinct())
        {
            // A denied request gets no reply: the reply explain shows "as if" is not part of the outcome.
            var denied = explanation.Request.Verdict == "deny" ? explanation.Request : explanation.Reply?.Verdict == "deny" ? explanation.Reply : null;
            var what = condition switch
            {
                FailCondition.Deny when denied is not null => $"the {denied.Direction} is denied by {denied.Rule}",
                FailCondition.ReplyDenied when explanation.Outcome == "reply-denied" => $"the reply is denied by {explanation.Reply!.Rule}",
                _ => null,
            };
            if (what is not null)
            {
                error.WriteLine($"firewall: --fail-on {OptionWords.FailOn.Name(condition)}: {what}");
                met = true;
            }
        }
        return met ? ExitCodes.ConditionMet : ExitCodes.Ok;
    }
}
