using System.Text;

namespace Firewall.Benchmarks;

/// <summary>
/// The realistic benchmark ruleset of issue 7: 3 subnets, 10 interfaces, 5 security groups of N rules
/// per direction (each interface carries two), NACLs of M rules per direction. Deterministic text.
/// </summary>
public static class BenchRuleset
{
    public static string Yaml(int sgRulesPerDirection, int naclRulesPerDirection)
    {
        var b = new StringBuilder();
        b.AppendLine("version: 1");
        b.AppendLine("name: bench");
        b.AppendLine("description: generated benchmark ruleset (tests/Firewall.Benchmarks)");
        b.AppendLine("vpc_cidr: 10.0.0.0/16");
        b.AppendLine("subnets:");
        string[] subnets = ["public", "app", "data"];
        for (var s = 0; s < 3; s++)
        {
            b.AppendLine($"  {subnets[s]}: {{ cidr: 10.0.{s + 1}.0/24, ipv6_cidr: \"2001:db8:{s + 1}::/64\", network_acl: nacl-{subnets[s]} }}");
        }
        b.AppendLine("interfaces:");
        for (var i = 0; i < 10; i++)
        {
            var s = i % 3;
            b.AppendLine($"  eni-{i}: {{ addresses: [10.0.{s + 1}.{10 + i}, \"2001:db8:{s + 1}::{10 + i:x}\"], subnet: {subnets[s]}, security_groups: [sg-{i % 5}, sg-{(i + 1) % 5}] }}");
        }
        b.AppendLine("security_groups:");
        for (var g = 0; g < 5; g++)
        {
            b.AppendLine($"  sg-{g}:");
            foreach (var direction in new[] { "inbound", "outbound" })
            {
                var peerKey = direction == "inbound" ? "source" : "destination";
                b.AppendLine($"    {direction}:");
                for (var r = 0; r < sgRulesPerDirection; r++)
                {
                    b.AppendLine(SgRule(g, r, sgRulesPerDirection, peerKey));
                }
            }
        }
        b.AppendLine("network_acls:");
        foreach (var name in subnets)
        {
            b.AppendLine($"  nacl-{name}:");
            foreach (var direction in new[] { "inbound", "outbound" })
            {
                var peerKey = direction == "inbound" ? "source" : "destination";
                b.AppendLine($"    {direction}:");
                for (var r = 0; r < naclRulesPerDirection; r++)
                {
                    b.AppendLine(NaclRule(r, naclRulesPerDirection, peerKey));
                }
            }
        }
        return b.ToString();
    }

    private static string SgRule(int group, int index, int count, string peerKey)
    {
        // Mostly narrow service rules from varied sources, a few wide ones, the last ones the common services,
        // so that common traffic is decided late in the list (the cost that rule count could add).
        var last = count - index;
        if (last <= 4)
        {
            return last switch
            {
                4 => $"      - {{ protocol: tcp, ports: 443, {peerKey}: 0.0.0.0/0 }}",
                3 => $"      - {{ protocol: tcp, ports: 443, {peerKey}: \"::/0\" }}",
                2 => $"      - {{ protocol: udp, ports: 53, {peerKey}: 0.0.0.0/0 }}",
                _ => $"      - {{ protocol: icmp, icmp_type: 8, {peerKey}: 0.0.0.0/0 }}",
            };
        }
        var port = 1000 + group * 100 + index;
        var cidr = $"198.{18 + index % 2}.{index * 3 % 256}.0/24";
        return (index % 4) switch
        {
            0 => $"      - {{ protocol: tcp, ports: {port}, {peerKey}: {cidr} }}",
            1 => $"      - {{ protocol: udp, ports: {port}-{port + 10}, {peerKey}: {cidr} }}",
            2 => $"      - {{ protocol: tcp, ports: {port}, {peerKey}: \"2001:db8:{index:x}::/48\" }}",
            _ => $"      - {{ protocol: tcp, ports: {port}, {peerKey}: sg:sg-{(group + 1) % 5} }}",
        };
    }

    private static string NaclRule(int index, int count, string peerKey)
    {
        var number = 100 + index * 10;
        var last = count - index;
        if (last <= 3)
        {
            return last switch
            {
                3 => $"      - {{ rule: {number}, protocol: all, {peerKey}: 0.0.0.0/0, action: allow }}",
                2 => $"      - {{ rule: {number}, protocol: all, {peerKey}: \"::/0\", action: allow }}",
                _ => $"      - {{ rule: {number}, protocol: icmp, {peerKey}: 0.0.0.0/0, action: allow }}",
            };
        }
        return $"      - {{ rule: {number}, protocol: tcp, ports: {2000 + index}, {peerKey}: 203.0.{index}.0/24, action: deny }}";
    }
}
