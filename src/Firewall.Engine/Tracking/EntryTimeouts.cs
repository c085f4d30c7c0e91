using Firewall.Engine.Model;

namespace Firewall.Engine.Tracking;

/// <summary>
/// How long a tracking entry lives without traffic, in nanoseconds of capture time: a table indexed by TCP
/// state, and one value for each other kind of entry. Built once per evaluator from the ruleset's
/// <see cref="TrackingSettings"/> (AWS's published timeouts, Linux netfilter's defaults where AWS publishes none).
/// </summary>
public sealed class EntryTimeouts
{
    private const long NsPerSecond = 1_000_000_000L;

    private readonly long[] _tcp = new long[Enum.GetValues<TcpState>().Length];
    private readonly long _udp;
    private readonly long _udpStream;
    private readonly long _icmp;
    private readonly long _other;

    public EntryTimeouts(TrackingSettings settings)
    {
        // netfilter's tcp_timeouts: SYN_SENT2 shares SYN_SENT's; a state with no timeout of its own takes CLOSE's.
        Array.Fill(_tcp, settings.TcpClose * NsPerSecond);
        _tcp[(int)TcpState.SynSent] = settings.TcpSynSent * NsPerSecond;
        _tcp[(int)TcpState.SynSent2] = settings.TcpSynSent * NsPerSecond;
        _tcp[(int)TcpState.SynRecv] = settings.TcpSynRecv * NsPerSecond;
        _tcp[(int)TcpState.Established] = settings.TcpEstablished * NsPerSecond;
        _tcp[(int)TcpState.FinWait] = settings.TcpFinWait * NsPerSecond;
        _tcp[(int)TcpState.CloseWait] = settings.TcpCloseWait * NsPerSecond;
        _tcp[(int)TcpState.LastAck] = settings.TcpLastAck * NsPerSecond;
        _tcp[(int)TcpState.TimeWait] = settings.TcpTimeWait * NsPerSecond;
        _udp = settings.Udp * NsPerSecond;
        _udpStream = settings.UdpStream * NsPerSecond;
        _icmp = settings.Icmp * NsPerSecond;
        _other = settings.Other * NsPerSecond;
    }

    /// <summary>The lifetime of a TCP entry in <paramref name="state"/>.</summary>
    public long Tcp(TcpState state) => _tcp[(int)state];

    /// <summary>The lifetime of an entry of <paramref name="kind"/>; <paramref name="stream"/> is a UDP stream's (AWS: 180 s).</summary>
    public long Of(TrackKind.Value kind, TcpState state, bool stream) => kind switch
    {
        TrackKind.Tcp => _tcp[(int)state],
        TrackKind.Udp => stream ? _udpStream : _udp,
        TrackKind.IcmpEcho => _icmp,
        _ => _other,
    };
}
