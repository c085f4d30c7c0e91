using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Summaries;

/// <summary>
/// One choice the run depends on that AWS does not publish, or a knob the user set. <see cref="Source"/>
/// says where the value comes from: <c>aws</c> (documented by AWS), <c>ruleset</c> (set in the file),
/// <c>netfilter</c> (Linux's default, AWS publishes none), <c>firewall</c> (this tool's choice), <c>option</c>
/// (a command-line option).
/// </summary>
public sealed record Assumption(string Name, string Value, string Source, string Note);

public static class Assumptions
{
    /// <summary>The assumptions in force for a run, in a fixed order.</summary>
    public static IReadOnlyList<Assumption> For(CompiledRuleset rules, EvaluationOptions options)
    {
        var t = rules.Tracking;
        var d = TrackingSettings.Default;
        string Aws(int value, int def) => value == def ? "aws" : "ruleset";
        string Linux(int value, int def) => value == def ? "netfilter" : "ruleset";
        var list = new List<Assumption>
        {
            new("tcp-established-timeout", $"{t.TcpEstablished}s", Aws(t.TcpEstablished, d.TcpEstablished), "AWS default 432000 s (5 days), configurable 60-432000"),
            new("udp-timeout", $"{t.Udp}s", Aws(t.Udp, d.Udp), "AWS default 30 s, configurable 30-60"),
            new("udp-stream-timeout", $"{t.UdpStream}s", Aws(t.UdpStream, d.UdpStream), "AWS default 180 s, configurable 60-180; a UDP flow whose initiator sends again after a reply"),
            new("other-protocol-timeout", $"{t.Other}s", Aws(t.Other, d.Other), "AWS: traffic of another protocol admits the reverse direction for 600 s"),
            new("tcp-syn-sent-timeout", $"{t.TcpSynSent}s", Linux(t.TcpSynSent, d.TcpSynSent), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-syn-recv-timeout", $"{t.TcpSynRecv}s", Linux(t.TcpSynRecv, d.TcpSynRecv), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-fin-wait-timeout", $"{t.TcpFinWait}s", Linux(t.TcpFinWait, d.TcpFinWait), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-close-wait-timeout", $"{t.TcpCloseWait}s", Linux(t.TcpCloseWait, d.TcpCloseWait), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-last-ack-timeout", $"{t.TcpLastAck}s", Linux(t.TcpLastAck, d.TcpLastAck), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-time-wait-timeout", $"{t.TcpTimeWait}s", Linux(t.TcpTimeWait, d.TcpTimeWait), "not published by AWS; Linux nf_conntrack default"),
            new("tcp-close-timeout", $"{t.TcpClose}s", Linux(t.TcpClose, d.TcpClose), "not published by AWS; Linux nf_conntrack default"),
            new("icmp-timeout", $"{t.Icmp}s", Linux(t.Icmp, d.Icmp), "not published by AWS; Linux nf_conntrack default for ICMP echo"),
            new("tcp-state-machine", "netfilter", "netfilter",
                "Linux tcp_conntracks transitions without window tracking; a packet the table calls invalid is judged by rules; a SYN after TIME_WAIT/CLOSE always reopens; a picked-up connection gets the established timeout"),
            options.MidstreamStrict
                ? new("midstream", "strict", "option", "a non-SYN TCP packet of no tracked connection is denied")
                : new("midstream", "pickup", "firewall",
                    "a non-SYN TCP packet of no tracked connection is judged by the rules of its direction and, if allowed, opens an entry whose client is inferred (lower port = server)"),
            options.RelatedIcmp
                ? new("icmp-errors", "related", "option", "ICMP errors quoting a tracked flow are admitted (netfilter RELATED), which AWS does not document")
                : new("icmp-errors", "rules", "aws", "ICMP errors need rules of their own; the flow they quote does not admit them (AWS Path MTU Discovery advice)"),
            new("fragments", $"follow-first ({options.FragmentTimeout}s)", "firewall",
                "AWS documents nothing: a later fragment takes its first fragment's verdict; without it, it matches only rules naming no ports and no ICMP type"),
            new("neighbor-discovery", "skip", "firewall",
                "ARP and ICMPv6 neighbour/router discovery and MLD are out of scope: the VPC answers them itself (AWS documents no filtering of them)"),
            new("tracking-table-size", MaxTracked(rules), "firewall",
                $"entries per interface: its max_tracked, else a bound that protects this process (AWS publishes allowances per instance type, not per interface); untracked flows' orientation entries, outside it, up to {options.MaxUntracked}"),
        };
        return list;
    }

    private static string MaxTracked(CompiledRuleset rules)
    {
        var bounds = rules.Interfaces.Select(i => i.MaxTracked).Distinct().ToList();
        return bounds.Count switch
        {
            0 => RulesetCompiler.DefaultMaxTracked.ToString(),
            1 => bounds[0].ToString(),
            _ => string.Join(", ", rules.Interfaces.Select(i => $"{i.Name} {i.MaxTracked}")),
        };
    }
}
