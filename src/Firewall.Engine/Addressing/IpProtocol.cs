namespace Firewall.Engine.Addressing;

/// <summary>IP protocol numbers the engine gives meaning to (IANA "Assigned Internet Protocol Numbers").</summary>
public static class IpProtocol
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte IcmpV6 = 58;

    public static bool HasPorts(byte protocol) => protocol is Tcp or Udp;

    public static bool IsIcmp(byte protocol) => protocol is Icmp or IcmpV6;

    /// <summary>The name used in output: tcp, udp, icmp, icmpv6, or the number.</summary>
    public static string Name(byte protocol) => protocol switch
    {
        Tcp => "tcp",
        Udp => "udp",
        Icmp => "icmp",
        IcmpV6 => "icmpv6",
        _ => Names[protocol],
    };

    private static readonly string[] Names = Enumerable.Range(0, 256).Select(i => i.ToString()).ToArray();
}
