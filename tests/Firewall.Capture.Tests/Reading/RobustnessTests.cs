using System.Diagnostics;
using CsCheck;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Engine.Packets;
using Firewall.Tests.Support;
using Firewall.Tests.Support.Captures;
using Xunit.Abstractions;

namespace Firewall.Capture.Tests.Reading;

/// <summary>
/// Hostile input: every truncated prefix and random corruption of every test capture. Opening may fail only
/// with <see cref="CaptureFormatException"/>; reading and decoding never throw, never hang, and end with
/// counted reasons and warnings.
/// </summary>
public class RobustnessTests(ITestOutputHelper output)
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string> { "synthetic:pcapng", "synthetic:pcap-be", "synthetic:gzip" };
        foreach (var capture in TestCaptures.All())
        {
            data.Add(capture);
        }
        return data;
    }

    internal static byte[] Load(string name) => name switch
    {
        "synthetic:pcapng" => EdgeCaseCapture.Build(),
        "synthetic:pcap-be" => SyntheticPcap(bigEndian: true),
        "synthetic:gzip" => CaptureBytes.Gzip(SyntheticPcap(bigEndian: false)),
        _ => File.ReadAllBytes(Path.Combine(Repository.Root, name)),
    };

    private static byte[] SyntheticPcap(bool bigEndian)
    {
        var c = CaptureBytes.Pcap(bigEndian, nanoseconds: true);
        using var reader = CaptureReader.Open(new MemoryStream(EdgeCaseCapture.Build()), "edge");
        while (reader.TryReadNext(out var r))
        {
            // Only the Ethernet frames: a classic pcap has one link type.
            if (r.LinkType == LinkTypes.Ethernet)
            {
                c.Record((uint)(r.TimestampNs / 1_000_000_000), (uint)(r.TimestampNs % 1_000_000_000), r.Data.ToArray());
            }
        }
        return c.ToArray();
    }

    /// <summary>Reads and decodes everything; returns records' data, warnings, and whether Open rejected the input.</summary>
    private static (List<byte[]> Frames, IReadOnlyList<CaptureWarning> Warnings, bool Rejected) ReadAndDecode(byte[] bytes, bool readAhead = false)
    {
        CaptureReader reader;
        try
        {
            reader = CaptureReader.Open(new MemoryStream(bytes, writable: false), "fuzz", readAhead);
        }
        catch (CaptureFormatException)
        {
            return ([], [], true);
        }
        using (reader)
        {
            var frames = new List<byte[]>();
            var info = new PacketInfo();
            var counts = new DecodeCounts();
            foreach (var decapsulate in new[] { true })
            {
                while (reader.TryReadNext(out var record))
                {
                    PacketDecoder.Decode(record, new DecoderOptions { DecapsulateVxlan = decapsulate }, ref info);
                    counts.Count(info.Error);
                    frames.Add(record.Data.ToArray());
                    Assert.True(frames.Count <= bytes.Length, "more frames than input bytes: the reader is not making progress");
                }
            }
            Assert.Equal(frames.Count, counts.Frames);
            return (frames, reader.Warnings, false);
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_truncated_prefix_reads_the_frames_before_the_cut(string name)
    {
        var full = Load(name);
        var (expected, fullWarnings, _) = ReadAndDecode(full);
        Assert.NotEmpty(expected);
        var gzip = full[0] == 0x1f;
        // Every prefix of small files; for larger ones every prefix near both ends and a stride in between.
        var stride = Math.Max(1, full.Length / 3000);
        var lengths = Enumerable.Range(0, full.Length)
            .Where(n => n < 2048 || n > full.Length - 2048 || n % stride == 0);
        var watch = Stopwatch.StartNew();
        var tried = 0;
        foreach (var n in lengths)
        {
            tried++;
            var (frames, warnings, rejected) = ReadAndDecode(full[..n]);
            if (rejected)
            {
                // Only a cut inside the file header (or, compressed, anywhere the gzip stream cannot start) may reject.
                Assert.True(gzip || n < 64 + FirstHeaderLength(full), $"prefix of {n} bytes rejected");
                continue;
            }
            Assert.True(frames.Count <= expected.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(expected[i], frames[i]);
            }
            Assert.True(warnings.Count <= fullWarnings.Count + 1, $"prefix of {n} bytes: {string.Join("; ", warnings)}");
            if (frames.Count < expected.Count && warnings.Count == 0 && !gzip)
            {
                // No warning is right only when the cut falls exactly on a record boundary: one more byte must warn.
                var (_, next, _) = ReadAndDecode(full[..(n + 1)]);
                Assert.NotEmpty(next);
            }
        }
        output.WriteLine($"{name}: {tried} prefixes of {full.Length} bytes in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Inflating_on_another_thread_reads_the_same_frames_and_warnings_from_damaged_gzip()
    {
        // Large enough to span several of the read-ahead thread's chunks once inflated (about 3 MB).
        var random = new Random(20261206);
        var pcap = CaptureBytes.Pcap(nanoseconds: true);
        for (var i = 0; i < 4000; i++)
        {
            var frame = new byte[random.Next(60, 1500)];
            random.NextBytes(frame.AsSpan(14));
            frame[12] = 0x08; // an IPv4 ethertype; the rest is noise, which is fine for the reader
            pcap.Record((uint)i, 0, frame);
        }
        var full = CaptureBytes.Gzip(pcap.ToArray());
        var compare = (byte[] bytes) =>
        {
            var plain = ReadAndDecode(bytes);
            var ahead = ReadAndDecode(bytes, readAhead: true);
            Assert.Equal(plain.Rejected, ahead.Rejected);
            Assert.Equal(plain.Frames.Count, ahead.Frames.Count);
            for (var f = 0; f < plain.Frames.Count; f++)
            {
                Assert.Equal(plain.Frames[f], ahead.Frames[f]);
            }
            Assert.Equal(plain.Warnings.Select(w => w.ToString()), ahead.Warnings.Select(w => w.ToString()));
            return plain;
        };
        Assert.Equal(4000, compare(full).Frames.Count);
        var damaged = 0;
        for (var i = 0; i < 120; i++)
        {
            var bytes = (byte[])full.Clone();
            if (i % 3 == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(10, bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
            }
            var plain = compare(bytes);
            damaged += plain.Warnings.Count > 0 ? 1 : 0;
        }
        Assert.True(damaged > 60, $"only {damaged} of 120 damaged inputs warned");
    }

    private static int FirstHeaderLength(byte[] capture) =>
        capture[0] == 0x0a ? BitConverter.ToInt32(capture, 4) is var le && le is > 0 and < 65536 ? le : 65536 : 24;

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Random_corruption_never_throws_or_hangs(string name)
    {
        var full = Load(name);
        var random = new Random(20260101 ^ name.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var iterations = full.Length < 20_000 ? 3000 : 600;
        var watch = Stopwatch.StartNew();
        var totals = new Dictionary<string, int>();
        for (var i = 0; i < iterations; i++)
        {
            var bytes = (byte[])full.Clone();
            var kind = random.Next(4);
            switch (kind)
            {
                case 0:   // flip a few bits
                    for (var k = random.Next(1, 9); k > 0; k--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }
                    break;
                case 1:   // overwrite a 32-bit word with an extreme value (lengths are what break parsers)
                {
                    var at = random.Next(Math.Max(1, bytes.Length - 4));
                    uint[] extremes = [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x0fffffff, 12, 13, 0x10000];
                    BitConverter.GetBytes(extremes[random.Next(extremes.Length)]).CopyTo(bytes, at);
                    break;
                }
                case 2:   // random bytes over a span
                {
                    var at = random.Next(bytes.Length);
                    var len = Math.Min(bytes.Length - at, random.Next(1, 64));
                    random.NextBytes(bytes.AsSpan(at, len));
                    break;
                }
                default:  // delete a span (shifts all later framing)
                {
                    var at = random.Next(bytes.Length);
                    var len = Math.Min(bytes.Length - at, random.Next(1, 32));
                    bytes = [.. bytes[..at], .. bytes[(at + len)..]];
                    break;
                }
            }
            var (frames, warnings, rejected) = ReadAndDecode(bytes);
            var key = rejected ? "rejected" : warnings.Count > 0 ? "warned" : "clean";
            totals[key] = totals.GetValueOrDefault(key) + 1;
        }
        output.WriteLine($"{name}: {iterations} corruptions in {watch.ElapsedMilliseconds} ms: {string.Join(", ", totals)}");
    }

    [Fact]
    public void Decoder_never_throws_on_random_bytes_of_any_link_type()
    {
        ushort[] linkTypes = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147, LinkTypes.Unknown];
        Gen.Select(Gen.Byte.Array[0, 160], Gen.Int[0, linkTypes.Length - 1], Gen.Int[0, 400], Gen.Bool)
            .Sample((bytes, lt, original, decap) =>
            {
                var info = new PacketInfo { OriginalLength = original };
                PacketDecoder.Decode(bytes, linkTypes[lt], new DecoderOptions { DecapsulateVxlan = decap }, ref info);
                return Enum.IsDefined(info.Error) && info.CapturedLength == bytes.Length;
            }, iter: 200_000);
    }

    [Fact]
    public void Decoder_never_throws_on_mutations_of_real_frames()
    {
        var frames = new List<(ushort, byte[])>();
        using (var reader = CaptureReader.Open(new MemoryStream(EdgeCaseCapture.Build()), "edge"))
        {
            while (reader.TryReadNext(out var r))
            {
                frames.Add((r.LinkType, r.Data.ToArray()));
            }
        }
        var seen = new HashSet<DecodeError>();
        Gen.Select(Gen.Int[0, frames.Count - 1], Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, 200], Gen.Bool)
            .Sample((which, position, value, cut, decap) =>
            {
                var (linkType, original) = frames[which];
                var bytes = (byte[])original.Clone();
                bytes[position % bytes.Length] = value;
                var data = bytes.AsSpan(0, Math.Min(bytes.Length, cut));
                var info = new PacketInfo { OriginalLength = cut % 3 == 0 ? bytes.Length : 0 };
                PacketDecoder.Decode(data, linkType, new DecoderOptions { DecapsulateVxlan = decap }, ref info);
                lock (seen)
                {
                    seen.Add(info.Error);
                }
                return Enum.IsDefined(info.Error);
            }, iter: 200_000);
        output.WriteLine("reasons seen: " + string.Join(", ", seen.Select(DecodeErrorText.Name)));
        Assert.Contains(DecodeError.TruncatedTransportHeader, seen);
        Assert.Contains(DecodeError.TruncatedIpHeader, seen);
    }
}
