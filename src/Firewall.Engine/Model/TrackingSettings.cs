namespace Firewall.Engine.Model;

/// <summary>
/// Connection-tracking timeouts in seconds. AWS publishes TCP established (default 432000, 60–432000),
/// UDP (30, 30–60), UDP stream (180, 60–180) and the 600 s window for other protocols ("Security group
/// connection tracking"). AWS publishes nothing for TCP outside the established state or for ICMP: those
/// take Linux netfilter's defaults (the nf_conntrack sysctls, docs/semantics.md "Time") and are reported as assumptions.
/// </summary>
public sealed record TrackingSettings
{
    public const int TcpEstablishedMin = 60;
    public const int TcpEstablishedMax = 432000;
    public const int UdpMin = 30;
    public const int UdpMax = 60;
    public const int UdpStreamMin = 60;
    public const int UdpStreamMax = 180;

    public int TcpEstablished { get; init; } = 432000;
    public int Udp { get; init; } = 30;
    public int UdpStream { get; init; } = 180;
    public int Other { get; init; } = 600;

    // Not published by AWS: Linux nf_conntrack defaults.
    public int TcpSynSent { get; init; } = 120;
    public int TcpSynRecv { get; init; } = 60;
    public int TcpFinWait { get; init; } = 120;
    public int TcpCloseWait { get; init; } = 60;
    public int TcpLastAck { get; init; } = 30;
    public int TcpTimeWait { get; init; } = 120;
    public int TcpClose { get; init; } = 10;
    public int Icmp { get; init; } = 30;

    public static TrackingSettings Default { get; } = new();
}
