using Firewall.Engine.Model;

namespace Firewall.Analysis.Lint;

public enum LintSeverity : byte
{
    Note,
    Warning,
    Error,
}

/// <summary>One thing lint found: what kind, how bad, the rules concerned (references, SPEC §3) and where.</summary>
public sealed record LintFinding(string Kind, LintSeverity Severity, string Message, IReadOnlyList<string> Rules, SourceLocation Location)
{
    public static string Name(LintSeverity severity) => severity switch
    {
        LintSeverity.Note => "note",
        LintSeverity.Warning => "warning",
        _ => "error",
    };

    public static LintSeverity? Parse(string text) => text switch
    {
        "note" => LintSeverity.Note,
        "warning" => LintSeverity.Warning,
        "error" => LintSeverity.Error,
        _ => null,
    };
}

/// <summary>The kinds of finding, each with a one-line description (SARIF's rule metadata).</summary>
public static class LintKinds
{
    public const string NaclShadowed = "nacl-shadowed";
    public const string NaclDenyIneffective = "nacl-deny-ineffective";
    public const string SgRedundant = "sg-redundant";
    public const string NaclClosesReplies = "nacl-closes-replies";
    public const string FamilyAsymmetry = "family-asymmetry";
    public const string IcmpForIcmpv6 = "icmp-for-icmpv6";
    public const string IgnoredField = "ignored-field";
    public const string CidrHostBits = "cidr-host-bits";
    public const string QuotaSgRules = "quota-sg-rules";
    public const string QuotaGroupsPerInterface = "quota-groups-per-interface";
    public const string QuotaNaclRules = "quota-nacl-rules";

    public static IReadOnlyList<(string Id, string Description)> All { get; } =
    [
        (NaclShadowed, "A network ACL rule that lower-numbered rules of the same direction fully cover: it is never reached."),
        (NaclDenyIneffective, "A network ACL deny rule that changes no outcome: everything it matches would be denied anyway by later deny rules or the * rule."),
        (SgRedundant, "A security group rule whose matches are a subset of another rule's in the same union of rules."),
        (NaclClosesReplies, "A security group opens a service, but the subnet's network ACL drops its replies to the documented ephemeral port ranges."),
        (FamilyAsymmetry, "A port open to all of IPv4 (0.0.0.0/0) but not to all of IPv6 (::/0), or the reverse."),
        (IcmpForIcmpv6, "A rule with protocol icmp (1) and an IPv6 CIDR: it never matches ICMPv6, which is protocol icmpv6 (58)."),
        (CidrHostBits, "A CIDR written with host bits set (10.0.1.5/24), which AWS accepts and reads as its network (10.0.1.0/24): it stands for more than the one address it looks like."),
        (IgnoredField, "Ports or ICMP fields that AWS accepts on the rule but ignores: on protocol all or a number other than tcp, udp, icmp and icmpv6, and ICMP fields on a network ACL icmpv6 rule with an IPv4 CIDR."),
        (QuotaSgRules, "More than 60 inbound or outbound rules for one address family in one security group (AWS quota)."),
        (QuotaGroupsPerInterface, "More security groups on one network interface than AWS's default quota of 5."),
        (QuotaNaclRules, "More than 20 rules (default quota; 40 at most) for one direction and address family in one network ACL."),
    ];
}
