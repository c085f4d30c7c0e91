using System.Security.Cryptography;
using System.Text.Json;
using Firewall.Capture.Reading;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Filter;

/// <summary>
/// <c>--filter</c> against tcpdump: on a random capture of many hosts and ports (IPv4 in and out of
/// 10.0.0.0/8, IPv6, TCP, UDP, ICMP, port 5432), the packets <c>check --filter EXPR --packets</c> lists are
/// exactly those <c>tcpdump -r CAP -w - EXPR</c> selects, and with <c>--only denied</c> exactly those
/// intersected with the denied packets of an unfiltered run. Packets are told apart by their bytes and
/// timestamp, which the test checks are unique in the capture. The captures hold no VLAN tags, no IPv6
/// extension headers and no ARP, where this filter and tcpdump differ on purpose (docs/filter.md).
/// </summary>
public sealed class FilterCrossCheckTests : IClassFixture<FilterCrossCheckTests.Capture>
{
    public static readonly TheoryData<string> Expressions = new()
    {
        "tcp port 5432 and not net 10.0.0.0/8",
        "src net 172.31.0.0/16 and tcp src port 5432",
        "dst host 172.31.3.10 or dst host 10.0.1.10",
        "udp and (dst portrange 1-1024 or src portrange 1-1024)",
        "ip6 and tcp dst port 5432",
        "not (tcp or udp) or icmp",
        "host 10.0.1.10 and not port 80 and not port 443",
        "net 172.31 and (port 80 or 443 or 5432)",
        "src 10.0.1.10 or 172.31.3.10",
        "icmp6 or ip6 net 2001:db8:3::/64",
        "tcp src portrange 32768-40000 or udp dst port 53 and ip",
        "! ip6 && dst net 172.31.3.0 mask 255.255.255.0 || src and dst net 2001:db8::/32",
    };

    private readonly Capture _capture;

    public FilterCrossCheckTests(Capture capture) => _capture = capture;

    /// <summary>A random capture for a dual-stack app and database tier, and its unfiltered verdicts.</summary>
    public sealed class Capture : IDisposable
    {
        private readonly TempDir _dir = new();

        public Capture()
        {
            Ruleset = Repository.PathOf("tests/Firewall.Cli.Tests/Filter/filter-cross-check.yaml");
            Path = _dir.File("random.pcap");
            var synth = InProcessCli.Run("synth", "--random", "20000", "--seed", "7", "--ruleset", Ruleset, "-o", Path);
            Assert.True(synth.ExitCode == 0, synth.Error);
            Frames = Identities(Path).Select((id, i) => (id, i + 1)).ToDictionary(p => p.id, p => (long)p.Item2);
            Denied = ListedFrames([], "deny").ToHashSet();
        }

        public string Ruleset { get; }

        public string Path { get; }

        /// <summary>Each packet's identity (bytes and microsecond timestamp) to its frame number.</summary>
        public Dictionary<string, long> Frames { get; }

        public HashSet<long> Denied { get; }

        public TempDir Dir => _dir;

        /// <summary>The frames <c>check --packets --format jsonl</c> lists with <paramref name="extra"/> options, optionally only those of one verdict.</summary>
        public List<long> ListedFrames(string[] extra, string? verdict = null)
        {
            var r = InProcessCli.Run(["check", Path, "--ruleset", Ruleset, "--packets", "--format", "jsonl", "--threads", "1", .. extra]);
            Assert.True(r.ExitCode == 0, r.Error);
            var frames = new List<long>();
            foreach (var line in r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.GetProperty("type").GetString() == "packet" && (verdict is null || root.GetProperty("verdict").GetString() == verdict))
                {
                    frames.Add(root.GetProperty("frame").GetInt64());
                }
            }
            return frames;
        }

        public void Dispose() => _dir.Dispose();
    }

    /// <summary>Every record of a capture as bytes and timestamp (to the microsecond, what a pcap tcpdump writes keeps), in file order.</summary>
    private static List<string> Identities(string path)
    {
        using var reader = CaptureReader.Open(path);
        var ids = new List<string>();
        while (reader.TryReadNext(out var record))
        {
            ids.Add($"{record.TimestampNs / 1000}:{Convert.ToHexString(SHA256.HashData(record.Data))}");
        }
        return ids;
    }

    private HashSet<long> TcpdumpFrames(string expression)
    {
        var output = _capture.Dir.File($"tcpdump-{Guid.NewGuid():N}.pcap");
        Tcpdump.Select(_capture.Path, expression, output);
        return Identities(output).Select(id => _capture.Frames[id]).ToHashSet();
    }

    [Fact]
    public void Packets_are_told_apart()
    {
        Assert.Equal(20000, _capture.Frames.Count); // no two records share bytes and timestamp
        Assert.True(_capture.Denied.Count > 1000, $"only {_capture.Denied.Count} denied packets: the cross-check would prove little");
    }

    [SkippableTheory]
    [MemberData(nameof(Expressions))]
    public void Filter_lists_what_tcpdump_selects(string expression)
    {
        var tcpdump = TcpdumpFrames(expression);
        var ours = _capture.ListedFrames(["--filter", expression]);
        Assert.Equal(ours.Count, ours.Distinct().Count());
        Assert.Equal(tcpdump.Order(), ours.Order());
        Assert.NotEmpty(ours); // each expression selects something in this capture
    }

    [SkippableTheory]
    [MemberData(nameof(Expressions))]
    public void Filter_and_only_denied_list_tcpdumps_selection_of_the_denied_packets(string expression)
    {
        var expected = TcpdumpFrames(expression).Where(_capture.Denied.Contains).Order().ToList();
        var ours = _capture.ListedFrames(["--filter", expression, "--only", "denied"]);
        Assert.Equal(expected, ours.Order());
    }

    [SkippableFact]
    public void The_headline_expression_lists_denied_database_traffic_from_outside_10_8()
    {
        const string expression = "tcp port 5432 and not net 10.0.0.0/8";
        var expected = TcpdumpFrames(expression).Where(_capture.Denied.Contains).Order().ToList();
        var ours = _capture.ListedFrames(["--filter", expression, "--only", "denied"]);
        Assert.Equal(expected, ours.Order());
        Assert.True(ours.Count > 100, $"{ours.Count} packets listed");
        Console.WriteLine($"check --filter \"{expression}\" --only denied --packets listed {ours.Count} packets; tcpdump ∩ denied: {expected.Count}");
    }
}
