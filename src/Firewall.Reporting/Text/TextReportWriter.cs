using System.Text;
using Firewall.Analysis.Descriptions;
using Firewall.Analysis.Runs;
using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Text;

/// <summary>
/// The report for people: with --packets one line per packet as it is evaluated, with --flows a table of
/// flows, then the summary (totals, flows by outcome, denying rules, replies dropped by NACLs, rule hits
/// in ruleset order with the rules never hit marked, the assumptions in force, capture warnings).
/// </summary>
public sealed class TextReportWriter : IRunSink
{
    private static readonly string[] VerdictNames = Enum.GetValues<Verdict>().Select(ResultText.Name).ToArray();
    private static readonly string[] HopNames = Enum.GetValues<HopKind>().Select(ResultText.Name).ToArray();

    private readonly StreamWriter _out;
    private readonly ReportContent _content;
    private readonly IReadOnlyList<string> _references;
    private readonly StringBuilder _line = new(256);
    private bool _packetHeaderWritten;

    public TextReportWriter(Stream output, ReportContent content, CompiledRuleset rules)
    {
        _out = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = false };
        _content = content;
        _references = rules.Rules.References;
    }

    public void WritePacket(in PacketInfo p, in PacketResult r)
    {
        if (!_packetHeaderWritten)
        {
            _packetHeaderWritten = true;
            _out.Write("Packets (frame, time, packet, flow, verdict and deciding rule; hops in path order)\n");
        }
        Span<char> buffer = stackalloc char[FieldText.MaxTimeChars + FieldText.MaxAddressChars];
        var line = _line.Clear();
        line.Append(p.Frame.ToString().PadLeft(6)).Append(' ');
        line.Append(FieldText.TryFormatTime(p.TimestampNs, buffer, out var n) ? buffer[..n] : p.TimestampNs.ToString()).Append(' ');
        if (!p.IsIp)
        {
            // Why there is no IP packet: "not-ip: arp" and the like; "?" for an undecodable frame, whose
            // error follows its verdict.
            if (p.NotIp != NotIpKind.None) line.Append(buffer[..NotIpText.Format(in p, buffer)]);
            else line.Append(p.Decoded ? "not IP" : "?");
        }
        else
        {
            line.Append(IpProtocol.Name(p.Protocol)).Append(' ');
            EndpointText.Append(line, p.Src, p.SrcPort, p.Has(PacketFlags.Ports), buffer);
            line.Append(" > ");
            EndpointText.Append(line, p.Dst, p.DstPort, p.Has(PacketFlags.Ports), buffer);
            if (p.Has(PacketFlags.Tcp))
            {
                line.Append(" [").Append(FieldText.TcpFlagText[p.TcpFlags]).Append(']');
            }
            if (p.Has(PacketFlags.Icmp))
            {
                line.Append(" type ").Append(p.IcmpType).Append(" code ").Append(p.IcmpCode);
            }
        }
        if (r.FlowId >= 0)
        {
            line.Append("  flow ").Append(r.FlowId).Append(' ').Append(FieldText.Direction(r.IsReply));
        }
        line.Append("  ").Append(VerdictNames[(int)r.Verdict]);
        if (r.Verdict == Verdict.Undecodable)
        {
            line.Append(' ').Append(DecodeErrorText.Name(p.Error));
        }
        else
        {
            line.Append(' ').Append(_references[r.RuleId]);
        }
        if (r.HopCount > 0)
        {
            line.Append("  (");
            for (var h = 0; h < r.HopCount; h++)
            {
                var hop = r.Hops[h];
                if (h > 0) line.Append(", ");
                line.Append(HopNames[(int)hop.Kind]).Append(' ').Append(hop.Allowed ? "allow" : "deny").Append(' ').Append(_references[hop.RuleId]);
            }
            line.Append(')');
        }
        if (r.StatelessVerdict != r.Verdict)
        {
            line.Append("  stateless: ").Append(VerdictNames[(int)r.StatelessVerdict]).Append(' ').Append(_references[r.StatelessRuleId]);
        }
        line.Append('\n');
        foreach (var chunk in line.GetChunks())
        {
            _out.Write(chunk.Span);
        }
    }

    public void Complete(RunReport report)
    {
        if (_packetHeaderWritten)
        {
            _out.Write('\n');
        }
        if (_content.Flows)
        {
            WriteFlows(report);
        }
        WriteSummary(_out, report);
        _out.Flush();
    }

    private void WriteFlows(RunReport report)
    {
        var flows = report.Flows.Records;
        _out.Write($"Flows ({flows.Length})\n");
        var table = new TextTable(true, false, false, false, true, true, true, true, false, false, false, false, false);
        table.Add("flow", "proto", "client", "server", "req ok", "req drop", "rep ok", "rep drop", "outcome", "denied by", "stateless", "tcp state", "tracking");
        for (var i = 0; i < flows.Length; i++)
        {
            ref readonly var f = ref flows[i];
            var ports = FieldText.FlowHasPorts(in f);
            table.Add(
                i.ToString(),
                IpProtocol.Name(f.Key.Protocol),
                EndpointText.Format(f.Client, f.ClientPort, ports),
                EndpointText.Format(f.Server, f.ServerPort, ports),
                f.RequestAllowed.ToString(),
                f.RequestDenied.ToString(),
                f.ReplyAllowed.ToString(),
                f.ReplyDenied.ToString(),
                FlowRecord.Name(f.Outcome) + (f.Has(FlowFlags.Inferred) ? " (inferred)" : ""),
                f.DeniedBy >= 0 ? _references[f.DeniedBy] : "-",
                f.StatelessOutcome == f.Outcome ? "same" : FlowRecord.Name(f.StatelessOutcome),
                FieldText.TcpState(in f) ?? "-",
                FieldText.Tracking(in f));
        }
        table.WriteTo(_out, "  ");
        _out.Write('\n');
    }

    /// <summary>The summary alone, as <c>firewall check</c> prints it by default.</summary>
    public static void WriteSummary(TextWriter o, RunReport report)
    {
        var s = RunSummary.Of(report);
        var input = report.Input;
        var format = input.CaptureFormat is { } f ? $" ({f}{(input.CaptureCompressed ? ", gzip" : "")})" : "";
        o.Write($"Capture  {input.CaptureName}{format}{(input.DecapsulateVxlan ? ", VXLAN unwrapped" : "")}\n");
        o.Write($"Ruleset  {report.Rules.Model.Name} ({input.RulesetPath})\n\n");

        var totals = new TextTable(false, true, false);
        totals.Add("packets read", N(s.Packets), "");
        totals.Add("  allowed", N(s.Allowed), Share(s.Allowed, s.Packets));
        totals.Add("  denied", N(s.Denied), Share(s.Denied, s.Packets));
        foreach (var reason in s.DeniedBy)
        {
            totals.Add($"    {reason.Name}", N(reason.Count), "");
        }
        totals.Add("  not filtered", N(s.NotFiltered), s.NotFilteredBy.Count == 0
            ? "AWS filters neither DNS resolver, metadata, time sync nor DHCP traffic"
            : string.Join(", ", s.NotFilteredBy.Select(b => $"{b.Rule.Reference} {N(b.Packets)}")));
        totals.Add("  skipped", N(s.Skipped), "no hop on their path (not to or from the ruleset's interfaces or subnets), or not IP");
        totals.Add("  undecodable", N(s.Undecodable), "");
        foreach (var error in s.UndecodableBy)
        {
            totals.Add($"    {error.Name}", N(error.Count), "");
        }
        if (s.FragmentsFollowed + s.FragmentsWithoutFirst > 0)
        {
            totals.Add("  later fragments", N(s.FragmentsFollowed + s.FragmentsWithoutFirst),
                $"{N(s.FragmentsFollowed)} took their first fragment's verdict, {N(s.FragmentsWithoutFirst)} matched only port-less rules");
        }
        o.Write("Packets\n");
        totals.WriteTo(o, "  ");
        o.Write('\n');

        var flows = new TextTable(false, true, false);
        flows.Add("flows", N(s.Flows), "");
        foreach (var outcome in Enum.GetValues<FlowOutcome>())
        {
            var note = outcome switch
            {
                FlowOutcome.Allowed when s.StatefulOnlyFlows > 0 =>
                    $"{N(s.StatefulOnlyFlows)} of them only because security groups are stateful",
                FlowOutcome.ReplyDenied => "requests passed, replies dropped",
                _ => "",
            };
            flows.Add($"  {FlowRecord.Name(outcome)}", N(s.FlowsByOutcome[(int)outcome]), note);
        }
        flows.Add("  picked up mid-stream", N(s.InferredFlows), "client and server inferred from the ports");
        flows.Add("  untracked", N(s.UntrackedFlows), "0.0.0.0/0 both ways: AWS does not track them");
        if (report.Counters.PacketsOfUnrecordedFlows > 0)
        {
            flows.Add("  not recorded", "", $"{N(report.Counters.PacketsOfUnrecordedFlows)} packets of flows past the bound of {N(report.Options.MaxFlows)} flows kept per run: evaluated and counted above, not listed per flow");
        }
        if (report.Counters.UntrackedNotKept > 0)
        {
            flows.Add("  untracked, not kept", "", $"{N(report.Counters.UntrackedNotKept)} packets of untracked flows past the bound of {N(report.Options.MaxUntracked)} untracked entries per interface: judged by their rules, orientation not remembered");
        }
        o.Write("Flows\n");
        flows.WriteTo(o, "  ");
        o.Write('\n');

        o.Write("Denying rules\n");
        if (s.DenyingRules.Count == 0)
        {
            o.Write("  none: no packet was denied\n");
        }
        else
        {
            var deny = new TextTable(false, true, true, false);
            deny.Add("rule", "packets", "flows", "");
            foreach (var c in s.DenyingRules)
            {
                deny.Add(c.Rule.Reference, N(c.Packets), N(c.Flows), c.Rule.Description);
            }
            deny.WriteTo(o, "  ");
        }
        o.Write('\n');

        o.Write("Replies dropped by network ACLs\n");
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
                replies.Add(c.Rule.Reference, N(c.Packets), N(c.Flows));
            }
            replies.WriteTo(o, "  ");
            o.Write("  `firewall replies` names the NACL rule to add for each.\n");
        }
        o.Write('\n');

        o.Write("Rule hits, in ruleset order\n");
        var hits = new TextTable(false, true, true, false, false);
        hits.Add("rule", "packets", "flows", "", "");
        foreach (var c in s.RuleHits)
        {
            hits.Add(c.Rule.Reference, N(c.Packets), N(c.Flows), c.Packets == 0 ? "never hit" : "", c.Rule.Description);
        }
        hits.WriteTo(o, "  ");
        if (s.EngineHits.Count > 0)
        {
            o.Write('\n');
            o.Write("Decided by the engine\n");
            var engine = new TextTable(false, true, true, false);
            engine.Add("reference", "packets", "flows", "");
            foreach (var c in s.EngineHits)
            {
                engine.Add(c.Rule.Reference, N(c.Packets), N(c.Flows), c.Rule.Description);
            }
            engine.WriteTo(o, "  ");
        }
        o.Write('\n');

        o.Write("Assumptions\n");
        var assumptions = new TextTable(false, false, false, false);
        foreach (var a in Assumptions.For(report.Rules, report.Options))
        {
            assumptions.Add(a.Name, a.Value, a.Source, a.Note);
        }
        assumptions.WriteTo(o, "  ");

        if (input.CaptureWarnings.Count > 0)
        {
            o.Write('\n');
            o.Write("Capture warnings\n");
            foreach (var warning in input.CaptureWarnings)
            {
                o.Write($"  {warning}\n");
            }
        }
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Share(long part, long whole) =>
        whole == 0 ? "" : $"{(100.0 * part / whole).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%";

    public void Dispose() => _out.Dispose();
}
