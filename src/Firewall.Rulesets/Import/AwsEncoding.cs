using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Rulesets.Import;

/// <summary>
/// The EC2 API's encoding of a rule's protocol, ports and ICMP fields, shared by the AWS CLI and the
/// Terraform AWS provider (which passes the same values through):
/// <list type="bullet">
/// <item>IpProtocol / Protocol: <c>-1</c> (all), a name (<c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmpv6</c>) or a
/// protocol number as a string (<c>"6"</c>); describe-network-acls always returns numbers (API
/// IpPermission, NetworkAclEntry).</item>
/// <item>Security groups: for tcp/udp FromPort–ToPort is the destination port range; for icmp/icmpv6
/// <b>FromPort is the ICMP type and ToPort the ICMP code</b>, -1 meaning all; "if you specify all ICMP types,
/// you must specify all ICMP codes" (API IpPermission). For any other protocol the ports are ignored.</item>
/// <item>Network ACLs: PortRange {From, To} for tcp/udp, IcmpTypeCode {Type, Code} for icmp/icmpv6, -1
/// meaning all (API NetworkAclEntry, CreateNetworkAclEntry); protocol 58 with an IPv4 CIDR matches every
/// ICMP type and code whatever was given, and the given ones are kept as written.</item>
/// </list>
/// </summary>
internal static class AwsEncoding
{
    public static RuleProtocol? Protocol(string? text, string source, ImportNotes notes)
    {
        var trimmed = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed))
        {
            notes.Error(source, "the rule has no protocol");
            return null;
        }
        if (RuleProtocol.TryParse(trimmed, out var protocol))
        {
            return protocol;
        }
        notes.Error(source, $"protocol '{text}' is not -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255");
        return null;
    }

    /// <summary>A security-group rule's match from IpProtocol, FromPort and ToPort (null = absent).</summary>
    public static DraftMatch? SecurityGroup(string? protocolText, long? from, long? to, string source, ImportNotes notes)
    {
        if (Protocol(protocolText, source, notes) is not { } protocol)
        {
            return null;
        }
        switch (protocol.Value)
        {
            case IpProtocol.Tcp or IpProtocol.Udp:
                return PortMatch(protocol, from, to, source, notes);
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                // API IpPermission: FromPort = type, ToPort = code; -1 (or absent) = all.
                var type = from is null or -1 ? -1 : from.Value;
                var code = to is null or -1 ? -1 : to.Value;
                return Icmp(protocol, type, code, source, notes);
            default:
                if (!IsIgnorablePortPair(from, to))
                {
                    notes.Info(source, $"ports {from}..{to} ignored: AWS ignores ports for protocol {protocol} (API IpPermission)");
                }
                return new DraftMatch(protocol, PortRange.All, IcmpMatch.Any);
        }
    }

    /// <summary>A network ACL entry's match from Protocol, PortRange and IcmpTypeCode (null = absent).</summary>
    public static DraftMatch? NetworkAcl(string? protocolText, long? from, long? to, long? icmpType, long? icmpCode, string source, ImportNotes notes)
    {
        if (Protocol(protocolText, source, notes) is not { } protocol)
        {
            return null;
        }
        switch (protocol.Value)
        {
            case IpProtocol.Tcp or IpProtocol.Udp:
                return PortMatch(protocol, from, to, source, notes);
            case IpProtocol.Icmp or IpProtocol.IcmpV6:
                // Protocol 58 with an IPv4 CIDR matches every type and code whatever was given
                // (CreateNetworkAclEntry); the given ones are kept as AWS holds them (NaclRule.MatchedIcmp).
                var type = icmpType ?? -1;
                var code = icmpCode ?? -1;
                if (type == -1 && code != -1)
                {
                    // NetworkAclEntry: -1 type means all types; a code cannot narrow "all types".
                    notes.Info(source, $"ICMP code {code} ignored: the type is -1 (all types, all codes)");
                    code = -1;
                }
                return Icmp(protocol, type, code, source, notes);
            default:
                return new DraftMatch(protocol, PortRange.All, IcmpMatch.Any);
        }
    }

    private static DraftMatch? Icmp(RuleProtocol protocol, long type, long code, string source, ImportNotes notes)
    {
        if (type is < -1 or > 255 || code is < -1 or > 255)
        {
            notes.Error(source, $"ICMP type {type} / code {code}: expected -1 (all) or 0-255");
            return null;
        }
        if (type == -1 && code != -1)
        {
            // API IpPermission: "If you specify all ICMP types, you must specify all ICMP codes." AWS refuses
            // such a rule, so a file holding one was not produced by AWS; it is left out rather than widened.
            notes.Warning(source, $"ICMP type -1 (all) with code {code}: AWS refuses a code without a type (API IpPermission); the rule is left out");
            return null;
        }
        return new DraftMatch(protocol, PortRange.All, new IcmpMatch((short)type, (short)code));
    }

    private static DraftMatch? PortMatch(RuleProtocol protocol, long? from, long? to, string source, ImportNotes notes) =>
        Ports(protocol, from, to, source, notes) is { } ports ? new DraftMatch(protocol, ports, IcmpMatch.Any) : null;

    private static PortRange? Ports(RuleProtocol protocol, long? from, long? to, string source, ImportNotes notes)
    {
        // Absent or -1 bounds mean the whole range (the API omits them for "all ports"; some tools write -1).
        var low = from is null or -1 ? 0 : from.Value;
        var high = to is null or -1 ? 65535 : to.Value;
        if (low is < 0 or > 65535 || high is < 0 or > 65535 || low > high)
        {
            notes.Error(source, $"port range {from}..{to} for {protocol}: expected 0-65535 with from <= to");
            return null;
        }
        return new PortRange((ushort)low, (ushort)high);
    }

    private static bool IsIgnorablePortPair(long? from, long? to) =>
        (from, to) is (null, null) or (-1, -1) or (0, 0) or (0, 65535) or (null, -1) or (-1, null);

    /// <summary>A CIDR as AWS writes it. A block with host bits set is read as its network, with a warning.</summary>
    public static Cidr? Cidr(string? text, string source, ImportNotes notes)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            notes.Error(source, "expected a CIDR block, found nothing");
            return null;
        }
        switch (Engine.Addressing.Cidr.TryParse(text.Trim(), out var cidr))
        {
            case Engine.Addressing.Cidr.ParseStatus.Ok:
                return cidr;
            case Engine.Addressing.Cidr.ParseStatus.HostBitsSet:
                notes.Warning(source, $"{text} has host bits set; read as {cidr}");
                return cidr;
            default:
                notes.Error(source, $"'{text}' is not a CIDR block");
                return null;
        }
    }
}
