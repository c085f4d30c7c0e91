using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Evaluation;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Text;

/// <summary>
/// The summary of a run for people: totals, flows by outcome, denying rules, replies dropped by NACLs,
/// rule hits in ruleset order with the rules never hit marked, the assumptions in force (one line, or a
/// table when asked), capture warnings. <see cref="TextReportOptions.SummaryOnly"/> stops after the totals.
/// </summary>
internal static class SummaryTextWriter
{
    /// <summary>The sections after the verdict line (which <see cref="VerdictLine"/> writes).</summary>
    public static void Write(TextWriter o, RunReport report, RunSummary s, TextReportOptions options)
    {
        var p = options.Palette;
        Header(o, report);
        Packets(o, s, p);
        Flows(o, s, report, p);
        if (!options.SummaryOnly)
        {
            o.Write('\n');
            DenyingRules(o, s, p);
            ReplyDrops(o, s, p);
            RuleHits(o, s, p);
        }
        if (options.ListAssumptions)
        {
            if (options.SummaryOnly)
            {
                o.Write('\n');
            }
            AssumptionTable(o, report, p);
        }
        else if (!options.SummaryOnly)
        {
            AssumptionLine(o, report, p);
        }
        Warnings(o, report, p);
    }

    /// <summary>The capture and the ruleset.</summary>
    private static void Header(TextWriter o, RunReport report)
    {
        var input = report.Input;
        var format = input.CaptureFormat is { } f ? $" ({f}{(input.CaptureCompressed ? ", gzip" : "")})" : "";
        o.Write($"Capture  {input.CaptureName}{format}{(input.DecapsulateVxlan ? ", VXLAN unwrapped" : "")}\n");
        o.Write($"Ruleset  {report.Rules.Model.Name} ({input.RulesetPath})\n");
        if (report.Listing is { } listing)
        {
            o.Write($"Listed   {listing.Summary()}\n");
        }
        o.Write('\n');
    }

    /// <summary>Every frame counted once: allowed, denied (by reason), not filtered, skipped, undecodable.</summary>
    private static void Packets(TextWriter o, RunSummary s, TextPalette p)
    {
        var totals = new TextTable(false, true, false);
        totals.Add("packets read", CountText.Number(s.Packets), "");
        totals.Add("  " + p.Count(s.Allowed, "allowed", Tone.Good), CountText.Number(s.Allowed), Share(s.Allowed, s.Packets));
        totals.Add("  " + p.Count(s.Denied, "denied", Tone.Bad), CountText.Number(s.Denied), Share(s.Denied, s.Packets));
        foreach (var reason in s.DeniedBy)
        {
            totals.Add($"    {reason.Name}", CountText.Number(reason.Count), "");
        }
        totals.Add("  not filtered", CountText.Number(s.NotFiltered), s.NotFilteredBy.Count == 0
            ? "AWS filters neither DNS resolver, metadata, time sync nor DHCP traffic"
            : string.Join(", ", s.NotFilteredBy.Select(b => $"{b.Rule.Reference} {CountText.Number(b.Packets)}")));
        totals.Add("  skipped", CountText.Number(s.Skipped), "no hop on their path (not to or from the ruleset's interfaces or subnets), or not IP");
        totals.Add("  " + p.Count(s.Undecodable, "undecodable", Tone.Warning), CountText.Number(s.Undecodable), "");
        foreach (var error in s.UndecodableBy)
        {
            totals.Add($"    {error.Name}", CountText.Number(error.Count), "");
        }
        if (s.FragmentsFollowed + s.FragmentsWithoutFirst > 0)
        {
            totals.Add("  later fragments", CountText.Number(s.FragmentsFollowed + s.FragmentsWithoutFirst),
                $"{CountText.Number(s.FragmentsFollowed)} took their first fragment's verdict, {CountText.Number(s.FragmentsWithoutFirst)} matched only port-less rules");
        }
        o.Write(p.Heading("Packets") + "\n");
        totals.WriteTo(o, "  ");
        o.Write('\n');
    }

    /// <summary>Flows by how they ended, and what the run's bounds left unrecorded.</summary>
    private static void Flows(TextWriter o, RunSummary s, RunReport report, TextPalette p)
    {
        var flows = new TextTable(false, true, false);
        flows.Add("flows", CountText.Number(s.Flows), "");
        foreach (var outcome in Enum.GetValues<FlowOutcome>())
        {
            var note = outcome switch
            {
                FlowOutcome.Allowed when s.StatefulOnlyFlows > 0 =>
                    $"{CountText.Number(s.StatefulOnlyFlows)} of them only because security groups are stateful",
                FlowOutcome.ReplyDenied => "requests passed, replies dropped",
                _ => "",
            };
            var count = s.FlowsByOutcome[(int)outcome];
            flows.Add("  " + p.Count(count, FlowRecord.Name(outcome), TextPalette.ToneOf(outcome)), CountText.Number(count), note);
        }
        flows.Add("  picked up mid-stream", CountText.Number(s.InferredFlows), "client and server inferred from the ports");
        flows.Add("  untracked", CountText.Number(s.UntrackedFlows), "0.0.0.0/0 both ways: AWS does not track them");
        if (report.Counters.PacketsOfUnrecordedFlows > 0)
        {
            flows.Add("  not recorded", "", $"{CountText.Number(report.Counters.PacketsOfUnrecordedFlows)} packets of flows past the bound of {CountText.Number(report.Options.MaxFlows)} flows kept per run: evaluated and counted above, not listed per flow");
        }
        if (report.Counters.UntrackedNotKept > 0)
        {
            flows.Add("  untracked, not kept", "", $"{CountText.Number(report.Counters.UntrackedNotKept)} packets of untracked flows past the bound of {CountText.Number(report.Options.MaxUntracked)} untracked entries per interface: judged by their rules, orientation not remembered");
        }
        o.Write(p.Heading("Flows") + "\n");
        flows.WriteTo(o, "  ");
    }

    /// <summary>The references that denied packets, most packets first.</summary>
    private static void DenyingRules(TextWriter o, RunSummary s, TextPalette p)
    {
        o.Write(p.Heading("Denying rules") + "\n");
        if (s.DenyingRules.Count == 0)
        {
            o.Write("  none: no packet was denied\n");
        }
        else
        {
            WriteCounts(o, "rule", s.DenyingRules);
        }
        o.Write('\n');
    }

    /// <summary>The NACL references that dropped the replies of flows whose requests passed.</summary>
    private static void ReplyDrops(TextWriter o, RunSummary s, TextPalette p)
    {
        o.Write(p.Heading("Replies dropped by network ACLs") + "\n");
        if (s.ReplyDrops.Count == 0)
        {
            o.Write("  none: every flow whose requests passed had its replies pass too\n");
        }
        else
        {
            var replies = new TextTable(false, true, true);
            replies.Add("rule", "replies", "flows");
            foreach (var c in s.ReplyDrops)
            {
                replies.Add(c.Rule.Reference, CountText.Number(c.Packets), CountText.Number(c.Flows));
            }
            replies.WriteTo(o, "  ");
            o.Write("  `firewall replies` names the NACL rule to add for each.\n");
        }
        o.Write('\n');
    }

    /// <summary>Every rule in ruleset order with its hits, then the engine's own references.</summary>
    private static void RuleHits(TextWriter o, RunSummary s, TextPalette p)
    {
        o.Write(p.Heading("Rule hits, in ruleset order") + "\n");
        var hits = new TextTable(false, true, true, false, false);
        hits.Add("rule", "packets", "flows", "", "");
        foreach (var c in s.RuleHits)
        {
            hits.Add(c.Rule.Reference, CountText.Number(c.Packets), CountText.Number(c.Flows), c.Packets == 0 ? "never hit" : "", c.Rule.Description);
        }
        hits.WriteTo(o, "  ");
        if (s.EngineHits.Count > 0)
        {
            o.Write('\n');
            o.Write(p.Heading("Decided by the engine") + "\n");
            WriteCounts(o, "reference", s.EngineHits);
        }
        o.Write('\n');
    }

    /// <summary>A table of references with their packets, flows and what each is; <paramref name="heading"/> names the first column.</summary>
    private static void WriteCounts(TextWriter o, string heading, IReadOnlyList<RuleCount> counts)
    {
        var table = new TextTable(false, true, true, false);
        table.Add(heading, "packets", "flows", "");
        foreach (var c in counts)
        {
            table.Add(c.Rule.Reference, CountText.Number(c.Packets), CountText.Number(c.Flows), c.Rule.Description);
        }
        table.WriteTo(o, "  ");
    }

    /// <summary>Every value the run depends on, where it comes from and why.</summary>
    private static void AssumptionTable(TextWriter o, RunReport report, TextPalette p)
    {
        o.Write(p.Heading("Assumptions") + "\n");
        var assumptions = new TextTable(false, false, false, false);
        foreach (var a in Assumptions.For(report.Rules, report.Options))
        {
            assumptions.Add(a.Name, a.Value, a.Source, a.Note);
        }
        assumptions.WriteTo(o, "  ");
    }

    /// <summary>The assumptions counted by where they come from; those a ruleset or an option set are named.</summary>
    private static void AssumptionLine(TextWriter o, RunReport report, TextPalette p)
    {
        var all = Assumptions.For(report.Rules, report.Options);
        var parts = new List<string>(5);
        foreach (var (source, words) in AssumptionSources)
        {
            var these = all.Where(a => a.Source == source).ToList();
            if (these.Count == 0)
            {
                continue;
            }
            var named = source is "ruleset" or "option" ? $" ({string.Join(", ", these.Select(a => $"{a.Name} {a.Value}"))})" : "";
            parts.Add($"{these.Count} {words}{named}");
        }
        o.Write($"{p.Heading("Assumptions")}  {all.Count}: {string.Join(", ", parts)}; --assumptions lists them\n");
    }

    /// <summary>Where an assumption's value comes from (<see cref="Assumption.Source"/>), in the words of the one-line form.</summary>
    private static readonly (string Source, string Words)[] AssumptionSources =
    [
        ("aws", "AWS documented defaults"),
        ("ruleset", "set in the ruleset"),
        ("option", "set by options"),
        ("netfilter", "Linux netfilter defaults AWS does not publish"),
        ("firewall", "choices of this tool"),
    ];

    /// <summary>What the capture's reader noticed: a truncated file, a link type read as another.</summary>
    private static void Warnings(TextWriter o, RunReport report, TextPalette p)
    {
        var input = report.Input;
        if (input.CaptureWarnings.Count > 0)
        {
            o.Write('\n');
            o.Write(p.Heading("Capture warnings") + "\n");
            foreach (var warning in input.CaptureWarnings)
            {
                o.Write($"  {p.Paint(warning, Tone.Warning)}\n");
            }
        }
    }


    private static string Share(long part, long whole) =>
        whole == 0 ? "" : $"{(100.0 * part / whole).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%";
}
