using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;
using Firewall.Robustness.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// Lengths in capture framing that claim more than the file holds or more than is sane
/// (<see cref="CaptureReader.MaxCapturedLength"/>, <see cref="CaptureReader.MaxBlockLength"/>,
/// <see cref="CaptureReader.MaxMetadataLength"/>): each ends in a clear outcome, and what the reader
/// allocates stays under <see cref="Ceiling"/> whatever the claim.
/// </summary>
public sealed class CaptureBoundsTests(ITestOutputHelper output)
{
    /// <summary>The reader's one buffer (1 MiB metadata + 64 KiB, rented rounded up to 2 MiB) and small change.</summary>
    private const long Ceiling = 4 * Memory.MiB;

    private static readonly byte[] Syn = SynFrame();

    [Fact]
    public void A_pcap_record_claiming_4_GiB_ends_reading_with_a_warning()
    {
        var data = Concat(Frames.Pcap(1, Syn), Frames.PcapRecordHeader(1, 0xFFFF_FFF0, 0xFFFF_FFF0), new byte[64]);
        var (frames, warnings, bytes) = Read(data);
        Assert.Equal(1, frames);
        Assert.Contains("claims 4294967280 captured bytes, more than the 262144-byte maximum", Assert.Single(warnings));
        Report("pcap record length 0xFFFFFFF0", bytes);
    }

    [Fact]
    public void A_pcap_record_longer_than_the_file_is_a_truncated_capture()
    {
        var data = Concat(Frames.Pcap(1, Syn), Frames.PcapRecordHeader(1, 200_000, 200_000), new byte[100]);
        var (frames, warnings, bytes) = Read(data);
        Assert.Equal(1, frames);
        Assert.Contains("200016 bytes expected, 116 present (truncated capture)", Assert.Single(warnings));
        Report("pcap record longer than the file", bytes);
    }

    [Fact]
    public void An_absurd_snaplen_in_the_file_header_changes_nothing()
    {
        var data = Frames.Pcap(1, Syn, Syn);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(data, 16);
        var (frames, warnings, bytes) = Read(data);
        Assert.Equal(2, frames);
        Assert.Empty(warnings);
        Report("pcap snaplen 0xFFFFFFFF", bytes);
    }

    [Fact]
    public void A_pcapng_block_claiming_4_GiB_ends_reading_with_a_warning()
    {
        var huge = Frames.PcapngBlock(0x0BAD, new byte[8]);
        BitConverter.GetBytes(0xFFFF_FFF0u).CopyTo(huge, 4);
        var data = Concat(Frames.SectionHeader(), Frames.InterfaceDescription(1), Frames.EnhancedPacket(Syn), huge);
        var (frames, warnings, bytes) = Read(data);
        Assert.Equal(1, frames);
        Assert.Contains($"claims a total length of 4294967280 bytes; expected a multiple of 4 from 12 to {CaptureReader.MaxBlockLength}", Assert.Single(warnings));
        Report("pcapng block length 0xFFFFFFF0", bytes);
    }

    [Fact]
    public void A_pcapng_block_longer_than_the_file_is_a_truncated_capture()
    {
        var big = Frames.PcapngBlock(0x0BAD, new byte[8]);
        BitConverter.GetBytes(100_000_000u).CopyTo(big, 4);
        var data = Concat(Frames.SectionHeader(), Frames.InterfaceDescription(1), Frames.EnhancedPacket(Syn), big);
        var (frames, warnings, bytes) = Read(data);
        Assert.Equal(1, frames);
        Assert.Contains("truncated capture", Assert.Single(warnings));
        Report("pcapng block longer than the file", bytes);
    }

    [Fact]
    public void A_200_MB_pcapng_packet_is_cut_to_the_maximum_and_streamed_past()
    {
        // An EPB whose packet is 200 MB (under MaxBlockLength, so plausible framing): the record handed out is
        // cut to MaxCapturedLength, the rest is skipped as it streams by, and the next packet is read.
        const int captured = 200_000_000;
        var head = Concat(Frames.SectionHeader(), Frames.InterfaceDescription(1));
        var epb = new byte[28];
        BitConverter.GetBytes(6u).CopyTo(epb, 0);
        BitConverter.GetBytes((uint)(32 + captured)).CopyTo(epb, 4);
        BitConverter.GetBytes((uint)captured).CopyTo(epb, 20);
        BitConverter.GetBytes((uint)captured).CopyTo(epb, 24);
        var tail = Concat(BitConverter.GetBytes((uint)(32 + captured)), Frames.EnhancedPacket(Syn));
        var stream = new PaddedStream(Concat(head, epb), captured, tail);
        var (frames, warnings, bytes) = Read(stream);
        Assert.Equal(2, frames);
        Assert.Contains($"packet of {captured} captured bytes is longer than the {CaptureReader.MaxCapturedLength}-byte maximum; only its first {CaptureReader.MaxCapturedLength} bytes are read", Assert.Single(warnings));
        Assert.Equal(head.Length + epb.Length + captured + tail.Length, stream.BytesProduced);
        Report("pcapng packet of 200 MB", bytes);
    }

    [Fact]
    public void An_interface_block_with_a_100_MB_comment_is_examined_only_to_its_first_MiB()
    {
        const int commentLength = 100_000_000;
        var idb = new byte[8 + 8 + 4];
        BitConverter.GetBytes(1u).CopyTo(idb, 0);
        var total = (uint)(idb.Length + commentLength + 4 + 4);
        BitConverter.GetBytes(total).CopyTo(idb, 4);
        BitConverter.GetBytes((ushort)1).CopyTo(idb, 8);               // LINKTYPE_ETHERNET
        BitConverter.GetBytes((ushort)1).CopyTo(idb, 16);              // opt_comment
        BitConverter.GetBytes((ushort)0xFFFF).CopyTo(idb, 18);         // its (wrong) length: the walk must stop
        var tail = Concat(new byte[4], BitConverter.GetBytes(total), Frames.EnhancedPacket(Syn));
        var stream = new PaddedStream(Concat(Frames.SectionHeader(), idb), commentLength, tail);
        var (frames, warnings, bytes) = Read(stream);
        Assert.Equal(1, frames);
        Assert.Empty(warnings);
        Report("pcapng IDB of 100 MB", bytes);
    }

    private (long Frames, IReadOnlyList<string> Warnings, long Allocated) Read(byte[] data) => Read(new MemoryStream(data));

    private static (long, IReadOnlyList<string>, long) Read(Stream stream)
    {
        long frames = 0;
        IReadOnlyList<string> warnings = [];
        // Warm up type initialisers and the JIT so that the measurement is of reading, not of first use.
        using (var warm = new PacketReader(CaptureReader.Open(new MemoryStream(Frames.Pcap(1, Syn)), "warm"), new DecoderOptions()))
        {
            var w = new PacketInfo();
            while (warm.TryReadNext(ref w)) { }
        }
        var bytes = Memory.Allocated(() =>
        {
            using var reader = new PacketReader(CaptureReader.Open(stream, "bounds"), new DecoderOptions());
            var info = new PacketInfo();
            while (reader.TryReadNext(ref info))
            {
                Assert.Equal(DecodeError.None, info.Error);
            }
            frames = reader.Counts.Frames;
            warnings = reader.Capture.Warnings.Select(w => w.ToString()).ToList();
        });
        Assert.True(bytes < Ceiling, $"reading allocated {bytes} bytes, over the {Ceiling}-byte ceiling");
        return (frames, warnings, bytes);
    }

    private void Report(string what, long bytes) => output.WriteLine($"bound: {what}: allocated {bytes} bytes ({bytes / (double)Memory.MiB:F2} MiB)");

    internal static byte[] SynFrame()
    {
        var ip = new byte[40];
        Frames.WriteIpv4TcpSyn(ip, 0xC6336407, Frames.Web1, 51514, 443);
        return Frames.Ethernet(0x0800, ip);
    }

    internal static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
