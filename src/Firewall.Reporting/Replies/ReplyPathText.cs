using Firewall.Analysis.Replies;
using Firewall.Engine.Model;

namespace Firewall.Reporting.Replies;

/// <summary>A reply path fix in words, for every report that shows one.</summary>
public static class ReplyPathText
{
    /// <summary>"sg:web-sg:inbound:1: every peer it admits (0.0.0.0/0), every port a client may pick (Linux 32768-60999, …)".</summary>
    public static string Describe(ReplyPathFix path, bool ports)
    {
        var text = $"{string.Join(", ", path.SgRules)}: every peer {(path.SgRules.Count == 1 ? "it admits" : "they admit")} ({string.Join(", ", path.Peers)})";
        if (ports)
        {
            var who = path.Clients.Count > EphemeralPorts.OfAnInstance.Count ? "a client" : "the interface";
            text += $", every port {who} may pick ({string.Join(", ", path.Clients.Select(c => $"{c.Text} {c.Range}"))})";
        }
        return text;
    }
}
