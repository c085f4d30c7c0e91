using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// The fields SG and NACL rules share, kept as written. Ports mean something for tcp/udp and ICMP type and
/// code for icmp/icmpv6. For protocol all (-1) or any other number AWS accepts both and ignores them (EC2
/// API IpPermission, CreateNetworkAclEntry), so they load and lint says they have no effect; the rule's
/// MatchedPorts and MatchedIcmp are what is evaluated. What AWS has no input for is refused: ports on an
/// icmp/icmpv6 rule (a security group's FromPort/ToPort are the ICMP type and code there) and ICMP fields
/// on a tcp/udp rule (its FromPort/ToPort are ports).
/// </summary>
internal sealed class RuleMatchValidator(ValidationContext context)
{
    private DiagnosticBag Bag => context.Bag;

    public (RuleProtocol Protocol, PortRange Ports, IcmpMatch Icmp)? Read(
        MappingNode node, string what, ScalarField? protocolField, ScalarField? portsField, ScalarField? typeField, ScalarField? codeField)
    {
        var protocol = ReadProtocol(node, what, protocolField);
        var ok = protocol is not null;
        ok &= TryReadPorts(portsField, protocol, out var ports);

        // -1 is AWS's "every type" / "every code" (API IpPermission FromPort/ToPort, NetworkAclEntry
        // IcmpTypeCode), the same as leaving the field out.
        short type = -1, code = -1;
        ok &= TryReadIcmpField(typeField, "an ICMP type 0-255, or -1 for every type", protocol, ref type, out var typeRead);
        ok &= TryReadIcmpField(codeField, "an ICMP code 0-255, or -1 for every code", protocol, ref code, out _);
        ok &= CheckCodeHasType(node, protocol, typeField, codeField, type, code, typeRead);
        return ok ? (protocol!.Value, ports, new IcmpMatch(type, code)) : null;
    }

    private RuleProtocol? ReadProtocol(MappingNode node, string what, ScalarField? field)
    {
        if (field is not null)
        {
            return ValueParser.Protocol(field, Bag);
        }
        if (node.Find("protocol") is null)
        {
            context.ReportMissing(node, "protocol", what, ValueParser.ProtocolExpected);
        }
        return null;
    }

    private bool TryReadPorts(ScalarField? field, RuleProtocol? protocol, out PortRange ports)
    {
        ports = PortRange.All;
        if (field is null)
        {
            return true;
        }
        if (protocol is { HasIcmpFields: true } p)
        {
            Bag.Add(field.Key, $"ports apply to tcp and udp rules, not to {p}: AWS documents port ranges for those protocols only (a security group's FromPort and ToPort are the ICMP type and code here); use icmp_type and icmp_code");
            return false;
        }
        if (ValueParser.Ports(field, Bag) is { } range)
        {
            ports = range;
            return true;
        }
        return false;
    }

    private bool TryReadIcmpField(ScalarField? field, string expected, RuleProtocol? protocol, ref short value, out bool read)
    {
        read = false;
        if (field is null)
        {
            return true;
        }
        if (protocol is { HasPorts: true } p)
        {
            Bag.Add(field.Key, $"{field.Key.Value} applies to icmp and icmpv6 rules, not to {p}: AWS documents ICMP types and codes for those protocols only (a security group's FromPort and ToPort are {p} ports)");
            return false;
        }
        if (ValueParser.TryInteger(field, -1, 255, expected, Bag, out var number))
        {
            value = (short)number;
            read = true;
            return true;
        }
        return false;
    }

    /// <summary>EC2 API IpPermission: "If you specify all ICMP types, you must specify all ICMP codes."</summary>
    private bool CheckCodeHasType(MappingNode node, RuleProtocol? protocol, ScalarField? typeField, ScalarField? codeField, short type, short code, bool typeRead)
    {
        var icmpFieldsMatch = protocol is not { } rp || rp.HasIcmpFields;
        if (!icmpFieldsMatch || codeField is null || code < 0)
        {
            return true;
        }
        if (typeField is null && node.Find("icmp_type") is null)
        {
            Bag.Add(codeField.Key, "icmp_code needs an icmp_type: AWS refuses a code without a type");
            return false;
        }
        if (typeRead && type < 0)
        {
            Bag.Add(codeField.Key, $"icmp_code {code} with icmp_type -1 (every type): AWS refuses a code without a type; give the type, or leave the code out");
            return false;
        }
        return true;
    }
}
