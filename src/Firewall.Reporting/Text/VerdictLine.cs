using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Text;

/// <summary>
/// The run in one sentence for people, the first line of <c>check</c>'s text report: the flows counted by
/// outcome ("12 flows: 5 allowed, 3 request-denied, 4 reply-denied by network ACLs"), with what dropped
/// the replies taken from each flow's denying reference, and what a person should not miss (undecodable
/// frames, flows past the run's bound). Without flows, why there are none.
/// </summary>
public static class VerdictLine
{
    public static string For(RunReport report, RunSummary s, TextPalette p)
    {
        var line = s.Flows == 0 ? NoFlows(s, p) : Flows(s, p);
        var unrecorded = report.Counters.PacketsOfUnrecordedFlows;
        if (unrecorded > 0)
        {
            line += "; " + p.Paint($"{CountText.Grouped(unrecorded, "packet")} of flows past the bound of {CountText.Grouped(report.Options.MaxFlows, "flow")} not counted here", Tone.Warning);
        }
        return line;
    }

    /// <summary>"12 flows: 5 allowed, 3 request-denied, 4 reply-denied by network ACLs", outcomes of no flow left out.</summary>
    private static string Flows(RunSummary s, TextPalette p)
    {
        var parts = new List<string>(4);
        foreach (var outcome in Enum.GetValues<FlowOutcome>())
        {
            var n = s.FlowsByOutcome[(int)outcome];
            if (n == 0)
            {
                continue;
            }
            var text = $"{CountText.Number(n)} {FlowRecord.Name(outcome)}";
            parts.Add(p.Paint(text, TextPalette.ToneOf(outcome))
                + (outcome == FlowOutcome.ReplyDenied ? ReplyDeniers(s.ReplyDeniedBy, n) : ""));
        }
        var line = $"{CountText.Grouped(s.Flows, "flow")}: {string.Join(", ", parts)}";
        if (s.Undecodable > 0)
        {
            line += "; " + p.Paint($"{CountText.Grouped(s.Undecodable, "frame")} undecodable", Tone.Warning);
        }
        return line;
    }

    /// <summary>" by network ACLs" when one kind dropped them all, else " (3 by network ACLs, 1 by a security group)".</summary>
    private static string ReplyDeniers(ReplyDenials by, int flows)
    {
        var kinds = new List<(int Flows, string Singular, string Plural)>(3);
        if (by.Nacl > 0) kinds.Add((by.Nacl, "a network ACL", "network ACLs"));
        if (by.SecurityGroup > 0) kinds.Add((by.SecurityGroup, "a security group", "security groups"));
        if (by.Tracking > 0) kinds.Add((by.Tracking, "connection tracking", "connection tracking"));
        string By((int Flows, string Singular, string Plural) k) => $"by {(k.Flows == 1 ? k.Singular : k.Plural)}";
        return kinds.Count switch
        {
            0 => "",
            1 => " " + By(kinds[0]),
            _ => $" ({string.Join(", ", kinds.Select(k => $"{CountText.Number(k.Flows)} {By(k)}"))})",
        };
    }

    /// <summary>Why a run has no flows: no packets, none decodable, or none in scope.</summary>
    private static string NoFlows(RunSummary s, TextPalette p)
    {
        if (s.Packets == 0)
        {
            return "No flows: no packets read";
        }
        if (s.Undecodable == s.Packets)
        {
            return "No flows: " + p.Paint(s.Packets == 1
                ? "the only frame could not be decoded"
                : $"none of the {CountText.Number(s.Packets)} frames could be decoded", Tone.Warning);
        }
        var parts = new List<string>(5);
        void Add(long n, string what, Tone tone = Tone.Plain)
        {
            if (n > 0) parts.Add(p.Paint($"{CountText.Number(n)} {what}", tone));
        }
        Add(s.Skipped, "out of scope");
        Add(s.NotFiltered, "not filtered");
        Add(s.Undecodable, "undecodable", Tone.Warning);
        Add(s.Allowed, "allowed", Tone.Good);
        Add(s.Denied, "denied", Tone.Bad);
        return $"No flows: {CountText.Grouped(s.Packets, "packet")} read, {string.Join(", ", parts)}";
    }

}
