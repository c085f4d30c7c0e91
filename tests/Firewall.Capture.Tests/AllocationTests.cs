using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Engine.Packets;
using Firewall.Tests.Support;
using Firewall.Tests.Support.Captures;
using Xunit.Abstractions;

namespace Firewall.Capture.Tests;

/// <summary>The hot path (read record → decode) allocates nothing per packet in steady state.</summary>
public class AllocationTests(ITestOutputHelper output)
{
    private const int Packets = 120_000;
    private const int WarmUp = 5_000;

    /// <summary>Real frames to repeat: every committed capture's frames, and the synthetic edge cases.</summary>
    private static List<(ushort LinkType, byte[] Data, int OriginalLength)> SourceFrames()
    {
        var frames = new List<(ushort, byte[], int)>();
        var captures = TestCaptures.All().Select(c => File.ReadAllBytes(Path.Combine(Repository.Root, c)))
            .Prepend(EdgeCaseCapture.Build());
        foreach (var capture in captures)
        {
            using var reader = CaptureReader.Open(new MemoryStream(capture), "source");
            while (reader.TryReadNext(out var r) && frames.Count < 50_000)
            {
                frames.Add((r.LinkType, r.Data.ToArray(), r.OriginalLength));
            }
        }
        return frames;
    }

    public static TheoryData<string> Formats() => new() { "pcap", "pcapng", "pcapng-gzip" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Read_and_decode_allocate_nothing_per_packet(string format)
    {
        var frames = SourceFrames();
        byte[] capture;
        if (format == "pcap")
        {
            // One link type per pcap: keep the Ethernet frames.
            var ethernet = frames.Where(f => f.LinkType == LinkTypes.Ethernet).ToList();
            var c = CaptureBytes.Pcap(nanoseconds: true);
            for (var i = 0; i < Packets; i++)
            {
                var (_, data, original) = ethernet[i % ethernet.Count];
                c.Record((uint)(1_767_261_600 + i / 1000), (uint)i, data, originalLength: (uint)original);
            }
            capture = c.ToArray();
        }
        else
        {
            ushort[] linkTypes = [.. frames.Select(f => f.LinkType).Distinct()];
            var c = CaptureBytes.Pcapng();
            foreach (var lt in linkTypes)
            {
                c.Interface(lt, tsresol: 9);
            }
            for (var i = 0; i < Packets; i++)
            {
                var (lt, data, original) = frames[i % frames.Count];
                c.Enhanced((uint)Array.IndexOf(linkTypes, lt), 1_767_261_600_000_000_000UL + (ulong)i, data, originalLength: (uint)original);
            }
            capture = c.ToArray();
            if (format == "pcapng-gzip")
            {
                capture = CaptureBytes.Gzip(capture);
            }
        }

        using var reader = new PacketReader(CaptureReader.Open(new MemoryStream(capture, writable: false), format),
            new DecoderOptions { DecapsulateVxlan = true });
        var info = new PacketInfo();
        for (var i = 0; i < WarmUp; i++)
        {
            Assert.True(reader.TryReadNext(ref info));
        }
        // Measured in three parts: the runtime may allocate a few kilobytes on this thread while the JIT's
        // tiering settles (seen now and then when other tests keep the machine busy). One part with nothing
        // allocated is the steady state; allocating per packet would show in every part, thousands of times over.
        long checksum = 0;
        var measured = 0;
        const int Part = (Packets - WarmUp) / 3;
        var parts = new List<long>();
        for (var part = 0; part < 3; part++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            // The last part takes the remainder too.
            for (var n = 0; part == 2 ? reader.TryReadNext(ref info) : n < Part && reader.TryReadNext(ref info); n++)
            {
                checksum += info.SrcPort + info.Protocol;
                measured++;
            }
            parts.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        var allocated = parts.Min();
        output.WriteLine($"{format}: {measured} packets after warm-up, bytes allocated per part of {Part}: {string.Join(", ", parts)}, {reader.Counts.Undecodable} undecodable, checksum {checksum}");
        Assert.All(parts, bytes => Assert.True(bytes < 20_000, $"{bytes} bytes in a part of {Part} packets"));
        Assert.Equal(Packets - WarmUp, measured);
        Assert.Equal(Packets, reader.Counts.Frames);
        Assert.Empty(reader.Capture.Warnings);
        Assert.Equal(0, reader.Counts.Undecodable);
        Assert.True(allocated == 0, $"every part of {Part} packets allocated: {string.Join(", ", parts)} bytes");
    }
}
