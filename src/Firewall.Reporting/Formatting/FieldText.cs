using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;

namespace Firewall.Reporting.Formatting;

/// <summary>
/// The text of every field that more than one writer prints, in one place, so that text, JSON, JSONL and
/// CSV agree on names and notation (docs/output-fields.md). Span-based where it runs once per packet.
/// </summary>
public static class FieldText
{
    public const int MaxTimeChars = 40;
    public const int MaxAddressChars = 46;

    /// <summary>
    /// RFC 3339 UTC time of a capture timestamp: microseconds when the timestamp has no finer part
    /// (what most captures hold), else nanoseconds, so that the text never hides what was recorded.
    /// </summary>
    private const int SecondChars = 32;

    [ThreadStatic] private static char[]? _secondText;
    [ThreadStatic] private static long _second;
    [ThreadStatic] private static int _secondLength;

    public static bool TryFormatTime(long ns, Span<char> destination, out int written)
    {
        written = 0;
        var seconds = Math.DivRem(ns, 1_000_000_000L, out var fraction);
        if (fraction < 0)
        {
            fraction += 1_000_000_000L;
            seconds--;
        }
        if (seconds < -62135596800L || seconds > 253402300799L || destination.Length < MaxTimeChars)
        {
            return false; // outside what DateTime can hold; callers print the raw number instead
        }
        // Consecutive packets share their second: format it once (per thread) and reuse the text.
        var cache = _secondText ??= new char[SecondChars];
        if (seconds != _second || _secondLength == 0)
        {
            var time = DateTime.UnixEpoch.AddSeconds(seconds);
            if (!time.TryFormat(cache, out _secondLength, "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
            {
                _secondLength = 0;
                return false;
            }
            _second = seconds;
        }
        cache.AsSpan(0, _secondLength).CopyTo(destination);
        written = _secondLength;
        destination[written++] = '.';
        var digits = fraction % 1000 == 0 ? 6 : 9;
        var value = digits == 6 ? fraction / 1000 : fraction;
        for (var i = digits - 1; i >= 0; i--)
        {
            destination[written + i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        written += digits;
        destination[written++] = 'Z';
        return true;
    }

    public static string Time(long ns)
    {
        Span<char> buffer = stackalloc char[MaxTimeChars];
        return TryFormatTime(ns, buffer, out var n) ? new string(buffer[..n]) : ns.ToString();
    }

    /// <summary>Formats an address; false only when the destination is too small.</summary>
    public static bool TryFormatAddress(IpAddr address, Span<char> destination, out int written) =>
        address.TryFormat(destination, out written);

    public static string Direction(bool isReply) => isReply ? "reply" : "request";

    /// <summary>The flow's tracking at its security-group hops: tracked, untracked, mixed, or none (no SG hop opened an entry).</summary>
    public static string Tracking(in FlowRecord flow) =>
        (flow.Has(FlowFlags.Tracked), flow.Has(FlowFlags.Untracked)) switch
        {
            (true, true) => "mixed",
            (true, false) => "tracked",
            (false, true) => "untracked",
            _ => "none",
        };

    /// <summary>The flow's last TCP tracking state (netfilter names), or null when it is not TCP or never tracked.</summary>
    public static string? TcpState(in FlowRecord flow) =>
        flow.Key.Protocol == IpProtocol.Tcp && flow.TcpState != Engine.Tracking.TcpState.None
            ? TcpStateMachine.Name(flow.TcpState)
            : null;

    /// <summary>Whether a flow's endpoints carry ports (TCP, UDP); ICMP echo flows keep their identifier in the key instead.</summary>
    public static bool FlowHasPorts(in FlowRecord flow) => IpProtocol.HasPorts(flow.Key.Protocol);

    /// <summary>Notes on how a packet was decided, as stable kebab-case words, in a fixed order.</summary>
    public static int Notes(in PacketInfo p, in PacketResult r, Span<string> destination)
    {
        var n = 0;
        if (r.Has(PacketResultFlags.NotFiltered)) destination[n++] = "not-filtered";
        if (r.Has(PacketResultFlags.Untracked)) destination[n++] = "untracked";
        if (r.Has(PacketResultFlags.Inferred)) destination[n++] = "inferred";
        if (r.Has(PacketResultFlags.FragmentFollowed)) destination[n++] = "fragment-followed";
        if (r.Has(PacketResultFlags.FragmentWithoutFirst)) destination[n++] = "fragment-without-first";
        if (p.Has(PacketFlags.Decapsulated)) destination[n++] = "decapsulated";
        if (p.Has(PacketFlags.Truncated)) destination[n++] = "truncated";
        if (p.Has(PacketFlags.IpVersionMismatch)) destination[n++] = "ip-version-mismatch";
        return n;
    }

    public const int MaxNotes = 8;

    public static readonly string[] TcpFlagText = Enumerable.Range(0, 256).Select(f => TcpFlag.Format((byte)f)).ToArray();
}
