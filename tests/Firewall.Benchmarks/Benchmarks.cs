using BenchmarkDotNet.Attributes;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Engine.Tracking;
using Firewall.Rulesets;
using Firewall.Tests.Support;

namespace Firewall.Benchmarks;

/// <summary>Decoding real frames (a loopback capture with TCP, UDP, ICMP over IPv4 and IPv6), per frame.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[][] _frames = [];
    private ushort _linkType;

    [GlobalSetup]
    public void Setup()
    {
        // Outside a checkout (a copied binary) the capture is looked for below the working directory.
        using var reader = CaptureReader.Open(Path.Combine(Repository.Find() ?? Directory.GetCurrentDirectory(), "tests", "captures", "eth-ipv4-ipv6.pcap"));
        var frames = new List<byte[]>();
        while (reader.TryReadNext(out var record))
        {
            frames.Add(record.Data.ToArray());
            _linkType = record.LinkType;
        }
        _frames = frames.ToArray();
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public int Decode()
    {
        var info = new PacketInfo();
        var sum = 0;
        var options = new DecoderOptions();
        for (var i = 0; i < 1024; i++)
        {
            PacketDecoder.Decode(_frames[i % _frames.Length], _linkType, options, ref info);
            sum += info.DstPort;
        }
        return sum;
    }
}

/// <summary>
/// Per-packet evaluation on the benchmark ruleset as security-group and NACL rule counts grow: the common
/// traffic (HTTPS, DNS, ping) is admitted by the last rules of each list.
/// </summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    private const int Packets = 65536;
    private const int FlowCount = 4096;
    private Evaluator _evaluator = null!;
    private PacketInfo[] _packets = [];
    private long _round;

    /// <summary>Rules per group per direction; each interface carries two groups (500 → AWS's 1,000 per interface).</summary>
    [Params(5, 50, 500)]
    public int SgRules { get; set; }

    [Params(10, 40)]
    public int NaclRules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var load = RulesetLoader.LoadText(BenchRuleset.Yaml(SgRules, NaclRules), "bench.yaml");
        if (load.Ruleset is null)
        {
            throw new InvalidOperationException(string.Join("\n", load.Diagnostics));
        }
        _evaluator = new Evaluator(RulesetCompiler.Compile(load.Ruleset));
        _packets = new PacketInfo[Packets];
        for (var i = 0; i < Packets; i++)
        {
            var f = i % FlowCount;
            var reply = (i / FlowCount) % 2 == 1;
            var client = IpAddr.FromV4(0xC6336400u + (uint)(f % 250)); // 198.51.100.x
            var server = IpAddr.FromV4(0x0A00010Au + (uint)((f % 10) / 3 * 256 + f % 10)); // an eni address
            var p = new PacketInfo
            {
                IpVersion = 4,
                Src = client,
                Dst = server,
                Protocol = IpProtocol.Tcp,
                SrcPort = (ushort)(20000 + f),
                DstPort = 443,
                Flags = PacketFlags.Ports | PacketFlags.Tcp,
                TcpFlags = i < FlowCount ? TcpFlag.Syn : TcpFlag.Ack,
                IpLength = 400,
            };
            if (reply)
            {
                (p.Src, p.Dst, p.SrcPort, p.DstPort) = (p.Dst, p.Src, p.DstPort, p.SrcPort);
            }
            _packets[i] = p;
        }
        Run(); // warm the tables
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public long Run()
    {
        var result = new PacketResult();
        var baseNs = ++_round * 1_000_000_000L;
        for (var i = 0; i < _packets.Length; i++)
        {
            ref var p = ref _packets[i];
            p.TimestampNs = baseNs + i;
            p.Frame = _round * Packets + i;
            _evaluator.Evaluate(in p, ref result);
        }
        return _evaluator.Counters.Allowed;
    }
}

/// <summary>Tracking-table inserts into a growing table and lookups of present keys.</summary>
[MemoryDiagnoser]
public class TrackingBenchmarks
{
    private FlowKey[] _keys = [];
    private TrackingTable _table = null!;

    [Params(100_000, 1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = new FlowKey[Entries];
        for (var i = 0; i < Entries; i++)
        {
            _keys[i] = new FlowKey(IpAddr.FromV4(0x0A00010A), 443, IpAddr.FromV4(0xC6336400u + (uint)(i >> 16)), (ushort)i, IpProtocol.Tcp);
        }
        _table = Fill();
    }

    private TrackingTable Fill()
    {
        var table = new TrackingTable(int.MaxValue);
        foreach (ref readonly var key in _keys.AsSpan())
        {
            var slot = table.Insert(in key, 0, EntryFlags.OriginLocal);
            table[slot].Deadline = long.MaxValue;
        }
        return table;
    }

    [Benchmark]
    public int Insert() => Fill().Count;

    [Benchmark]
    public int Find()
    {
        var found = 0;
        foreach (ref readonly var key in _keys.AsSpan())
        {
            found += _table.Find(in key, 1) >= 0 ? 1 : 0;
        }
        return found;
    }
}
