using System.Diagnostics;
using System.IO.Compression;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;
using Firewall.Robustness.Tests.Support;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// A gzip bomb: about 4 MB of .gz that inflates to 4 GiB (a pcapng of one interface, 256 unknown blocks of
/// 16 MiB of zeros, then one packet). The reader inflates it 4 KiB at a time into its one buffer and skips
/// the blocks as they stream by: memory stays flat, the packet after the bomb is read, and the cost is the
/// time it takes to inflate — as for an uncompressed file of that size. There is no cap on total
/// decompressed bytes (docs/robustness.md says why).
/// </summary>
public sealed class GzipBombTests(ITestOutputHelper output)
{
    private const int BlockBytes = 16 * 1024 * 1024;

    /// <summary>FIREWALL_GZIP_BOMB_GIB makes a bigger bomb for a longer local run.</summary>
    private static readonly int Members =
        (int.TryParse(Environment.GetEnvironmentVariable("FIREWALL_GZIP_BOMB_GIB"), out var g) && g > 0 ? g : 4) * 1024 / 16;

    [Fact]
    public void A_gzip_bomb_streams_in_flat_memory_and_the_packet_after_it_is_read()
    {
        var bomb = MakeBomb(Members, out var inflated);
        var warm = new PacketInfo();
        using (var w = new PacketReader(CaptureReader.Open(new MemoryStream(MakeBomb(1, out _)), "warm"), new DecoderOptions()))
        {
            while (w.TryReadNext(ref warm)) { }
        }
        var clock = Stopwatch.StartNew();
        long frames = 0;
        IReadOnlyList<CaptureWarning> warnings = [];
        var source = new CountingStream(new MemoryStream(bomb));
        var bytes = Memory.Allocated(() =>
        {
            using var reader = new PacketReader(CaptureReader.Open(source, "bomb.pcapng.gz"), new DecoderOptions());
            var info = new PacketInfo();
            while (reader.TryReadNext(ref info))
            {
                Assert.Equal(DecodeError.None, info.Error);
            }
            frames = reader.Counts.Frames;
            warnings = reader.Capture.Warnings;
            Assert.True(reader.Capture.IsCompressed);
        });
        Assert.Equal(1, frames);
        Assert.Empty(warnings);
        Assert.Equal(bomb.Length, source.BytesRead);
        Assert.True(bytes < 4 * Memory.MiB, $"inflating {inflated} bytes allocated {bytes} bytes");
        output.WriteLine($"bound: gzip bomb of {bomb.Length} bytes inflating to {inflated} bytes ({inflated / bomb.Length}:1): " +
            $"{clock.Elapsed.TotalSeconds:F1} s, allocated {bytes} bytes ({bytes / (double)Memory.MiB:F2} MiB)");
    }

    [Fact]
    public void Through_the_cli_a_gzip_bomb_is_one_packet_and_exit_0()
    {
        var r = InProcessCli.RunWithInput(MakeBomb(8, out _), "check", "-", "--ruleset", Repository.PathOf("rulesets/web-tier.yaml"), "--format", "json");
        ExitContract.AssertClean(r, "gzip bomb");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"packets\": 1,", r.Out);
        Assert.Contains("\"compressed\": true", r.Out);
    }

    /// <summary>Concatenated gzip members (RFC 1952 §2.2): a head, <paramref name="members"/> copies of one 16 MiB block, a packet.</summary>
    internal static byte[] MakeBomb(int members, out long inflated)
    {
        var head = Gzip(CaptureBoundsTests.Concat(Frames.SectionHeader(), Frames.InterfaceDescription(1)), out var headLength);
        var block = new byte[BlockBytes];
        BitConverter.GetBytes(0x0BADu).CopyTo(block, 0);
        BitConverter.GetBytes((uint)BlockBytes).CopyTo(block, 4);
        BitConverter.GetBytes((uint)BlockBytes).CopyTo(block, BlockBytes - 4);
        var zeros = Gzip(block, out _);
        var tail = Gzip(Frames.EnhancedPacket(CaptureBoundsTests.SynFrame()), out var tailLength);
        var bomb = new MemoryStream();
        bomb.Write(head);
        for (var i = 0; i < members; i++)
        {
            bomb.Write(zeros);
        }
        bomb.Write(tail);
        inflated = headLength + (long)members * BlockBytes + tailLength;
        return bomb.ToArray();
    }

    private static byte[] Gzip(byte[] data, out int length)
    {
        length = data.Length;
        var s = new MemoryStream();
        using (var gz = new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gz.Write(data);
        }
        return s.ToArray();
    }

    private sealed class CountingStream(Stream inner) : GeneratedStream
    {
        public long BytesRead => BytesProduced;

        protected override int Produce(Span<byte> buffer) => inner.Read(buffer);
    }
}
