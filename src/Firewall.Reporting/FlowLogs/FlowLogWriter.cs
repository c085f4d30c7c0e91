using System.Globalization;
using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.FlowLogs;

/// <summary>Settings of <c>check --format flowlog</c>.</summary>
public sealed record FlowLogOptions
{
    /// <summary>AWS offers 60 s (the default, "1 minute") and 600 s ("10 minutes") aggregation intervals.</summary>
    public const int MinInterval = 60;
    public const int MaxInterval = 600;

    public int IntervalSeconds { get; init; } = 60;

    /// <summary>The account-id field. AWS writes the ENI owner's account; a ruleset does not know it.</summary>
    public string AccountId { get; init; } = "unknown";

    /// <summary>Append one field naming the rule that decided at that interface (not part of AWS's format).</summary>
    public bool IncludeRule { get; init; }
}

/// <summary>
/// Writes the run as VPC Flow Log records in the default format, version 2 (VPC User Guide "Flow log
/// records", "Available fields"): <c>version account-id interface-id srcaddr dstaddr srcport dstport
/// protocol packets bytes start end action log-status</c>, space-separated.
/// <list type="bullet">
/// <item>A flow log belongs to a network interface. A packet is logged at its source interface (leaving
/// it) and at its destination interface (arriving), each direction of a conversation as its own record
/// with source and destination as seen: AWS logs each direction separately.</item>
/// <item>ACCEPT/REJECT: at the source interface REJECT when its security group's outbound rules or its
/// subnet's outbound NACL denied the packet; the packet never reaches the destination interface, which
/// logs nothing. At the destination interface REJECT when the inbound NACL or security group denied it.
/// A packet denied further along (by the destination's hops) is ACCEPT at the source interface.</item>
/// <item>Not logged, as AWS does not log it ("Flow log limitations"): traffic to the Amazon DNS resolver,
/// instance metadata, the Time Sync Service and DHCP (the engine's <c>bypass:</c> verdicts); frames that
/// are not IP or cannot be decoded.</item>
/// <item>Aggregation: one record per interface, direction 5-tuple and action per aggregation interval;
/// intervals are aligned to multiples of the interval in capture time, start and end are the Unix
/// seconds of the first and last packet in it, and bytes are IP bytes (header included). ICMP and other
/// protocols have ports 0. An interval's records are written once capture time has moved past it, so
/// memory holds one interval's flows.</item>
/// </list>
/// NODATA and SKIPDATA records are not written: a replay has no idle intervals to report and skips nothing.
/// </summary>
public sealed class FlowLogWriter : IRunSink
{
    private readonly Stream _output;
    private readonly CompiledRuleset _rules;
    private readonly FlowLogOptions _options;
    private readonly long _intervalNs;
    private readonly Dictionary<Key, Entry> _entries = [];
    private readonly StringBuilder _line = new(160);
    private long _window = long.MinValue;
    private int _order;

    public FlowLogWriter(Stream output, CompiledRuleset rules, FlowLogOptions? options = null)
    {
        _output = output;
        _rules = rules;
        _options = options ?? new FlowLogOptions();
        if (_options.IntervalSeconds is < FlowLogOptions.MinInterval or > FlowLogOptions.MaxInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.IntervalSeconds, $"the aggregation interval is {FlowLogOptions.MinInterval}-{FlowLogOptions.MaxInterval} s");
        }
        _intervalNs = _options.IntervalSeconds * 1_000_000_000L;
    }

    /// <summary>The header line AWS's console and S3 delivery put first: the field names.</summary>
    public const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    private readonly record struct Key(long Window, int Interface, IpAddr Src, IpAddr Dst, ushort SrcPort, ushort DstPort, byte Protocol, bool Reject);

    private sealed class Entry
    {
        public long Packets;
        public long Bytes;
        public long FirstNs;
        public long LastNs;
        public int RuleId;
        public int Order;
    }

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        if (!packet.Decoded || !packet.IsIp || result.Verdict == Verdict.Undecodable || result.Has(PacketResultFlags.NotFiltered))
        {
            return;
        }
        var window = FloorDiv(packet.TimestampNs, _intervalNs);
        if (window > _window)
        {
            Flush(window);
            _window = window;
        }
        var src = _rules.Addresses.InterfaceOf(packet.Src);
        var dst = _rules.Addresses.InterfaceOf(packet.Dst);
        var deniedAt = -1;
        for (var i = 0; i < result.HopCount; i++)
        {
            if (!result.Hops[i].Allowed)
            {
                deniedAt = i;
                break;
            }
        }
        var deniedAtSource = deniedAt >= 0 && IsSourceSide(result.Hops[deniedAt].Kind);
        if (src >= 0)
        {
            Add(window, src, in packet, deniedAtSource, deniedAtSource ? result.Hops[deniedAt].RuleId : Deciding(in result, source: true));
        }
        if (dst >= 0 && !deniedAtSource)
        {
            var rejected = deniedAt >= 0;
            Add(window, dst, in packet, rejected, rejected ? result.Hops[deniedAt].RuleId : Deciding(in result, source: false));
        }
    }

    private static bool IsSourceSide(HopKind kind) => kind is HopKind.SgOutbound or HopKind.NaclOutbound;

    /// <summary>The rule that let the packet through at that side: its security group hop, else its NACL hop, else none (-1).</summary>
    private static int Deciding(in PacketResult result, bool source)
    {
        var found = -1;
        for (var i = 0; i < result.HopCount; i++)
        {
            var kind = result.Hops[i].Kind;
            if (IsSourceSide(kind) != source)
            {
                continue;
            }
            if (kind is HopKind.SgOutbound or HopKind.SgInbound)
            {
                return result.Hops[i].RuleId;
            }
            found = result.Hops[i].RuleId;
        }
        return found;
    }

    private void Add(long window, int iface, in PacketInfo p, bool reject, int ruleId)
    {
        var ports = IpProtocol.HasPorts(p.Protocol) && p.Has(PacketFlags.Ports);
        var key = new Key(window, iface, p.Src, p.Dst, ports ? p.SrcPort : (ushort)0, ports ? p.DstPort : (ushort)0, p.Protocol, reject);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry { FirstNs = p.TimestampNs, LastNs = p.TimestampNs, RuleId = ruleId, Order = _order++ };
            _entries.Add(key, entry);
        }
        entry.Packets++;
        entry.Bytes += p.IpLength > 0 ? p.IpLength : p.OriginalLength;
        entry.FirstNs = Math.Min(entry.FirstNs, p.TimestampNs);
        entry.LastNs = Math.Max(entry.LastNs, p.TimestampNs);
    }

    /// <summary>Writes every record of intervals before <paramref name="before"/>, in interval order, then first-seen order.</summary>
    private void Flush(long before)
    {
        if (_entries.Count == 0)
        {
            return;
        }
        var done = _entries.Where(e => e.Key.Window < before).OrderBy(e => e.Key.Window).ThenBy(e => e.Value.Order).ToList();
        foreach (var (key, entry) in done)
        {
            WriteRecord(key, entry);
            _entries.Remove(key);
        }
    }

    private void WriteRecord(Key key, Entry e)
    {
        var inv = CultureInfo.InvariantCulture;
        _line.Clear()
            .Append("2 ").Append(_options.AccountId).Append(' ')
            .Append(_rules.Interfaces[key.Interface].Name).Append(' ')
            .Append(key.Src.ToString()).Append(' ').Append(key.Dst.ToString()).Append(' ')
            .Append(key.SrcPort.ToString(inv)).Append(' ').Append(key.DstPort.ToString(inv)).Append(' ')
            .Append(key.Protocol.ToString(inv)).Append(' ')
            .Append(e.Packets.ToString(inv)).Append(' ').Append(e.Bytes.ToString(inv)).Append(' ')
            .Append(FloorDiv(e.FirstNs, 1_000_000_000L).ToString(inv)).Append(' ')
            .Append(FloorDiv(e.LastNs, 1_000_000_000L).ToString(inv)).Append(' ')
            .Append(key.Reject ? "REJECT" : "ACCEPT").Append(" OK");
        if (_options.IncludeRule)
        {
            _line.Append(' ').Append(e.RuleId >= 0 ? _rules.Rules.Reference(e.RuleId) : "-");
        }
        _line.Append('\n');
        var bytes = Encoding.UTF8.GetBytes(_line.ToString());
        _output.Write(bytes);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    public void Complete(RunReport report)
    {
        Flush(long.MaxValue);
        _output.Flush();
    }

    /// <summary>Closed aggregation windows are already written; the open ones are not records yet.</summary>
    bool IRunSink.WritesAsItGoes => true;

    void IRunSink.Flush() => _output.Flush();

    public void Dispose()
    {
    }
}
