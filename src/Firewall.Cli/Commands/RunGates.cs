using System.CommandLine;
using Firewall.Analysis.Runs;
using Firewall.Capture.Reading;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Cli.Commands;

/// <summary>
/// How a run that evaluated a capture ends once its report is written, so that a CI gate cannot go green
/// by accident: a capture none of whose frames could be decoded checked nothing (exit 2, whatever was
/// asked), and each <c>--fail-on</c> condition that holds exits 1.
/// </summary>
internal static class RunGates
{
    /// <summary><c>--fail-on</c>, repeatable (<c>--fail-on deny --fail-on undecodable</c>).</summary>
    public static Option<FailCondition[]> FailOnOption(bool capture)
    {
        var option = (capture ? OptionWords.FailOn : OptionWords.FailOnFlow).Repeated("--fail-on", capture
            ? "exit 1 when any packet is denied ('deny'), any flow has its replies dropped ('reply-denied'), or any frame could not be decoded ('undecodable'); repeat for several"
            : "exit 1 when the request or the reply is denied ('deny') or the reply alone is ('reply-denied'); repeat for both");
        option.HelpName = capture ? "deny|reply-denied|undecodable" : "deny|reply-denied";
        return option;
    }

    /// <summary>The exit code of a finished capture run: 2 when nothing was checked, 1 when a condition holds, else 0.</summary>
    public static int Exit(RunReport report, IReadOnlyCollection<FailCondition>? failOn, TextWriter error)
    {
        if (NothingChecked(report) is { } why)
        {
            error.WriteLine($"firewall: {why}");
            return ExitCodes.BadInput;
        }
        var met = false;
        foreach (var condition in (failOn ?? []).Distinct())
        {
            if (Holds(condition, report) is { } what)
            {
                error.WriteLine($"firewall: --fail-on {OptionWords.FailOn.Name(condition)}: {what}");
                met = true;
            }
        }
        return met ? ExitCodes.ConditionMet : ExitCodes.Ok;
    }

    /// <summary>
    /// Why a capture that has frames checked none of them, or null when at least one frame was decoded. An
    /// empty capture is not caught here: it holds nothing to check, and says so in every report.
    /// </summary>
    public static string? NothingChecked(RunReport report)
    {
        var c = report.Counters;
        if (c.Frames == 0 || c.Undecodable < c.Frames)
        {
            return null;
        }
        var reasons = new List<string>();
        var unsupported = report.Input.DecodeErrors[(int)DecodeError.UnsupportedLinkType];
        if (unsupported > 0)
        {
            var types = report.Input.UnsupportedLinkTypes;
            var named = types.Count == 0 ? "a link type" : $"link type{(types.Count == 1 ? "" : "s")} {string.Join(", ", types.Select(LinkTypes.Describe))}";
            var readable = LinkTypes.Supported.GroupBy(t => LinkTypes.Name(t)).Select(g => $"{g.Key} ({string.Join(", ", g)})");
            reasons.Add($"{unsupported} {(unsupported == 1 ? "is" : "are")} of {named}, which firewall does not decode; it decodes {string.Join(", ", readable)}");
        }
        foreach (var error in DecodeErrorText.All.Where(e => e != DecodeError.UnsupportedLinkType && report.Input.DecodeErrors[(int)e] > 0))
        {
            reasons.Add($"{report.Input.DecodeErrors[(int)error]} {DecodeErrorText.Name(error)}");
        }
        return $"nothing was checked: none of the {c.Frames} frame{(c.Frames == 1 ? "" : "s")} of {report.Input.CaptureName} could be decoded: {string.Join("; ", reasons)}";
    }

    private static string? Holds(FailCondition condition, RunReport report)
    {
        var c = report.Counters;
        switch (condition)
        {
            case FailCondition.Deny when c.Denied > 0:
                return $"{c.Denied} packets denied";
            case FailCondition.ReplyDenied:
                var n = 0;
                foreach (ref readonly var f in report.Flows.Records)
                {
                    if (f.Outcome == FlowOutcome.ReplyDenied) n++;
                }
                return n > 0 ? $"{n} flows had their replies dropped" : null;
            case FailCondition.Undecodable when c.Undecodable > 0:
                return $"{c.Undecodable} of {c.Frames} frames could not be decoded";
            default:
                return null;
        }
    }
}
