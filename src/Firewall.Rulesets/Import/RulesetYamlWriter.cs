using System.Globalization;
using System.Text;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import;

/// <summary>
/// Writes a <see cref="Ruleset"/> in the loader's YAML format (docs/ruleset-format.md), so that loading
/// the text gives back an equal model. Every free text and address is double-quoted (YAML 1.2 escapes),
/// so no description can end a flow mapping early or be read as another type; keywords and numbers are
/// plain. One rule per line, in flow style, as the shipped rulesets are written.
/// </summary>
public static class RulesetYamlWriter
{
    public static string Write(
        Ruleset ruleset,
        IReadOnlyDictionary<string, string>? subnetDescriptions = null,
        IReadOnlyDictionary<string, string>? interfaceDescriptions = null)
    {
        var w = new StringBuilder();
        WriteHeader(w, ruleset);
        WritePrefixLists(w, ruleset.PrefixLists);
        WriteSubnets(w, ruleset.Subnets, subnetDescriptions);
        WriteInterfaces(w, ruleset.Interfaces, interfaceDescriptions);
        WriteSecurityGroups(w, ruleset.SecurityGroups);
        WriteNetworkAcls(w, ruleset.NetworkAcls);
        WriteTracking(w, ruleset.Tracking);
        return w.ToString();
    }

    private static void WriteHeader(StringBuilder w, Ruleset ruleset)
    {
        w.Append("version: 1\n");
        w.Append("name: ").Append(Quote(ruleset.Name)).Append('\n');
        if (ruleset.Description is { } description)
        {
            w.Append("description: ").Append(Quote(description)).Append('\n');
        }
        if (ruleset.VpcCidr is { } vpc)
        {
            w.Append("vpc_cidr: ").Append(Quote(vpc.ToString())).Append('\n');
        }
    }

    private static void WritePrefixLists(StringBuilder w, IReadOnlyList<PrefixList> prefixLists)
    {
        if (prefixLists.Count == 0)
        {
            return;
        }
        w.Append("\nprefix_lists:\n");
        foreach (var list in prefixLists)
        {
            w.Append("  ").Append(Key(list.Name)).Append(": [")
                .AppendJoin(", ", list.Cidrs.Select(c => Quote(c.ToString()))).Append("]\n");
        }
    }

    private static void WriteSubnets(StringBuilder w, IReadOnlyList<Subnet> subnets, IReadOnlyDictionary<string, string>? descriptions)
    {
        if (subnets.Count == 0)
        {
            return;
        }
        w.Append("\nsubnets:\n");
        foreach (var s in subnets)
        {
            var fields = new List<string>();
            if (s.Cidr is { } c) fields.Add($"cidr: {Quote(c.ToString())}");
            if (s.Ipv6Cidr is { } c6) fields.Add($"ipv6_cidr: {Quote(c6.ToString())}");
            fields.Add($"network_acl: {Key(s.NetworkAcl)}");
            if (descriptions?.GetValueOrDefault(s.Name) is { } d) fields.Add($"description: {Quote(d)}");
            w.Append("  ").Append(Key(s.Name)).Append(": { ").AppendJoin(", ", fields).Append(" }\n");
        }
    }

    private static void WriteInterfaces(StringBuilder w, IReadOnlyList<NetworkInterface> interfaces, IReadOnlyDictionary<string, string>? descriptions)
    {
        if (interfaces.Count == 0)
        {
            return;
        }
        w.Append("\ninterfaces:\n");
        foreach (var i in interfaces)
        {
            var fields = new List<string> { $"addresses: [{string.Join(", ", i.Addresses.Select(a => Quote(a.ToString())))}]" };
            if (i.Subnet is { } subnet) fields.Add($"subnet: {Key(subnet)}");
            if (i.SecurityGroups.Count > 0) fields.Add($"security_groups: [{string.Join(", ", i.SecurityGroups.Select(Key))}]");
            if (i.MaxTracked is { } max) fields.Add($"max_tracked: {max.ToString(CultureInfo.InvariantCulture)}");
            if (descriptions?.GetValueOrDefault(i.Name) is { } d) fields.Add($"description: {Quote(d)}");
            w.Append("  ").Append(Key(i.Name)).Append(": { ").AppendJoin(", ", fields).Append(" }\n");
        }
    }

    private static void WriteSecurityGroups(StringBuilder w, IReadOnlyList<SecurityGroup> groups)
    {
        if (groups.Count == 0)
        {
            return;
        }
        w.Append("\nsecurity_groups:\n");
        foreach (var g in groups)
        {
            WriteNameAndDescription(w, g.Name, g.Description);
            WriteSgRules(w, "inbound", g.Inbound);
            WriteSgRules(w, "outbound", g.Outbound);
        }
    }

    private static void WriteNetworkAcls(StringBuilder w, IReadOnlyList<NetworkAcl> acls)
    {
        if (acls.Count == 0)
        {
            return;
        }
        w.Append("\nnetwork_acls:\n");
        foreach (var a in acls)
        {
            WriteNameAndDescription(w, a.Name, a.Description);
            WriteNaclRules(w, "inbound", a.Inbound);
            WriteNaclRules(w, "outbound", a.Outbound);
        }
    }

    private static void WriteNameAndDescription(StringBuilder w, string name, string? description)
    {
        w.Append("  ").Append(Key(name)).Append(":\n");
        if (description is { } d)
        {
            w.Append("    description: ").Append(Quote(d)).Append('\n');
        }
    }

    private static void WriteSgRules(StringBuilder w, string direction, IReadOnlyList<SgRule> rules)
    {
        w.Append("    ").Append(direction).Append(':');
        if (rules.Count == 0)
        {
            w.Append(" []\n");
            return;
        }
        w.Append('\n');
        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            var fields = new List<string>();
            // A rule named by its position needs no id; any other id is written so references stay stable.
            if (r.Id != (i + 1).ToString(CultureInfo.InvariantCulture))
            {
                fields.Add($"id: {Key(r.Id)}");
            }
            AppendMatch(fields, r.Protocol, r.Ports, r.Icmp);
            var peerKey = r.Direction == Direction.Inbound ? "source" : "destination";
            fields.Add($"{peerKey}: {Quote(r.Peer.ToString())}");
            if (r.Description is { } d) fields.Add($"description: {Quote(d)}");
            w.Append("      - { ").AppendJoin(", ", fields).Append(" }\n");
        }
    }

    private static void WriteNaclRules(StringBuilder w, string direction, IReadOnlyList<NaclRule> rules)
    {
        w.Append("    ").Append(direction).Append(':');
        if (rules.Count == 0)
        {
            w.Append(" []\n");
            return;
        }
        w.Append('\n');
        foreach (var r in rules)
        {
            var fields = new List<string>
            {
                $"rule: {r.Number.ToString(CultureInfo.InvariantCulture)}",
                $"action: {(r.Action == NaclAction.Allow ? "allow" : "deny")}",
            };
            AppendMatch(fields, r.Protocol, r.Ports, r.Icmp);
            var peerKey = r.Direction == Direction.Inbound ? "source" : "destination";
            fields.Add($"{peerKey}: {Quote(r.Cidr.ToString())}");
            if (r.Description is { } d) fields.Add($"description: {Quote(d)}");
            w.Append("      - { ").AppendJoin(", ", fields).Append(" }\n");
        }
    }

    private static void AppendMatch(List<string> fields, RuleProtocol protocol, PortRange ports, IcmpMatch icmp)
    {
        fields.Add($"protocol: {protocol}");
        if (!ports.IsAll)
        {
            fields.Add($"ports: {ports}");
        }
        // Written as held, including fields AWS ignores (a code without a type is one, on an `all` rule).
        if (icmp.Type >= 0)
        {
            fields.Add($"icmp_type: {icmp.Type.ToString(CultureInfo.InvariantCulture)}");
        }
        if (icmp.Code >= 0)
        {
            fields.Add($"icmp_code: {icmp.Code.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void WriteTracking(StringBuilder w, TrackingSettings t)
    {
        var d = TrackingSettings.Default;
        var values = new (string Key, int Value, int Default)[]
        {
            ("tcp_established_timeout", t.TcpEstablished, d.TcpEstablished),
            ("udp_timeout", t.Udp, d.Udp),
            ("udp_stream_timeout", t.UdpStream, d.UdpStream),
            ("tcp_syn_sent_timeout", t.TcpSynSent, d.TcpSynSent),
            ("tcp_syn_recv_timeout", t.TcpSynRecv, d.TcpSynRecv),
            ("tcp_fin_wait_timeout", t.TcpFinWait, d.TcpFinWait),
            ("tcp_close_wait_timeout", t.TcpCloseWait, d.TcpCloseWait),
            ("tcp_last_ack_timeout", t.TcpLastAck, d.TcpLastAck),
            ("tcp_time_wait_timeout", t.TcpTimeWait, d.TcpTimeWait),
            ("tcp_close_timeout", t.TcpClose, d.TcpClose),
            ("icmp_timeout", t.Icmp, d.Icmp),
        };
        var changed = values.Where(v => v.Value != v.Default).ToList();
        if (changed.Count == 0)
        {
            return;
        }
        w.Append("\nconnection_tracking:\n");
        foreach (var (key, value, _) in changed)
        {
            w.Append("  ").Append(key).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static readonly HashSet<string> YamlKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~",
    };

    /// <summary>A simple name plain when YAML reads it back as the same string, quoted otherwise.</summary>
    private static string Key(string name)
    {
        var plain = name.Length > 0 && char.IsAsciiLetter(name[0]) && !YamlKeywords.Contains(name)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return plain ? name : Quote(name);
    }

    /// <summary>A YAML double-quoted scalar: backslash, quote and every control character escaped.</summary>
    public static string Quote(string text)
    {
        var b = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\t': b.Append("\\t"); break;
                case '\r': b.Append("\\r"); break;
                case < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff':
                    b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case var _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    b.Append(c).Append(text[++i]);
                    break;
                case var _ when char.IsSurrogate(c):
                    // A lone surrogate cannot be written as UTF-8: it becomes U+FFFD, as any UTF-8 encoder writes it.
                    b.Append('\ufffd');
                    break;
                default:
                    b.Append(c);
                    break;
            }
        }
        return b.Append('"').ToString();
    }
}
