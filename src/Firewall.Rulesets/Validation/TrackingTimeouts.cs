using Firewall.Engine.Model;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// The <c>connection_tracking</c> keys, their ranges and where each range comes from. The first three are
/// AWS's configurable idle timeouts (EC2 API ConnectionTrackingSpecificationRequest; "Security group
/// connection tracking", Idle connection tracking timeout). AWS publishes nothing for the others: their
/// defaults are Linux nf_conntrack's, and 1–86400 s is this project's own bound, not AWS's.
/// </summary>
public static class TrackingTimeouts
{
    public sealed record Timeout(string Key, int Min, int Max, bool SetByAws, Func<TrackingSettings, int, TrackingSettings> Apply);

    public const int AssumptionMin = 1;
    public const int AssumptionMax = 86400;

    public static IReadOnlyList<Timeout> All { get; } =
    [
        new("tcp_established_timeout", TrackingSettings.TcpEstablishedMin, TrackingSettings.TcpEstablishedMax, true, (s, v) => s with { TcpEstablished = v }),
        new("udp_timeout", TrackingSettings.UdpMin, TrackingSettings.UdpMax, true, (s, v) => s with { Udp = v }),
        new("udp_stream_timeout", TrackingSettings.UdpStreamMin, TrackingSettings.UdpStreamMax, true, (s, v) => s with { UdpStream = v }),
        new("tcp_syn_sent_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpSynSent = v }),
        new("tcp_syn_recv_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpSynRecv = v }),
        new("tcp_fin_wait_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpFinWait = v }),
        new("tcp_close_wait_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpCloseWait = v }),
        new("tcp_last_ack_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpLastAck = v }),
        new("tcp_time_wait_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpTimeWait = v }),
        new("tcp_close_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { TcpClose = v }),
        new("icmp_timeout", AssumptionMin, AssumptionMax, false, (s, v) => s with { Icmp = v }),
    ];

    public static IReadOnlyList<string> Keys { get; } = All.Select(t => t.Key).ToArray();

    public static Timeout? Find(string key) => All.FirstOrDefault(t => t.Key == key);
}
