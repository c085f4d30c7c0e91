using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Tests.Support.Captures;

namespace Firewall.Capture.Tests.Reading;

public class PcapngReadingTests
{
    private const long Epoch2026 = 1_767_225_600; // 2026-01-01T00:00:00Z

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_enhanced_packets_in_both_byte_orders(bool bigEndian)
    {
        var frame = PacketBytes.SampleFrame();
        var bytes = CaptureBytes.Pcapng(bigEndian)
            .Interface(1, snapLength: 65535)
            .Enhanced(0, (ulong)Epoch2026 * 1_000_000 + 250_000, frame, originalLength: 2000)
            .ToArray();

        using var reader = CaptureReader.Open(new MemoryStream(bytes), "a.pcapng");
        Assert.Equal(CaptureFormat.Pcapng, reader.Format);
        var (records, warnings) = Read.All(reader);

        Assert.Empty(warnings);
        var r = Assert.Single(records);
        Assert.Equal(new Rec(1, Epoch2026 * 1_000_000_000 + 250_000_000, 1, 2000, frame), r, RecComparer.Instance);
    }

    [Fact]
    public void Several_interfaces_keep_their_own_link_types()
    {
        var bytes = CaptureBytes.Pcapng()
            .Interface(1)
            .Interface(101)
            .Interface(113)
            .Enhanced(2, 0, [1])
            .Enhanced(0, 0, [2])
            .Enhanced(1, 0, [3])
            .ToArray();
        var (records, _) = Read.All(bytes);
        Assert.Equal(new ushort[] { 113, 1, 101 }, records.Select(r => r.LinkType));
    }

    [Fact]
    public void A_new_section_resets_interfaces_and_may_switch_byte_order()
    {
        var bytes = CaptureBytes.Pcapng(bigEndian: false)
            .Interface(1)
            .Interface(101)
            .Enhanced(1, 0, [1])
            .Section(bigEndian: true)
            .Interface(229)
            .Enhanced(0, 0, [2])
            .Enhanced(1, 0, [3])   // interface 1 of the old section no longer exists
            .ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Equal(new ushort[] { 101, 229, LinkTypes.Unknown }, records.Select(r => r.LinkType));
        Assert.Equal(new long[] { 1, 2, 3 }, records.Select(r => r.Frame));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(9, 1_000_000_123L, 1_000_000_123L)]              // nanoseconds
    [InlineData(3, 1_500L, 1_500_000_000L)]                       // milliseconds
    [InlineData(0, 7L, 7_000_000_000L)]                           // seconds
    [InlineData(12, 5_000_000_000_123L, 5_000_000_000L)]          // picoseconds, truncated to ns
    [InlineData(0x80 | 10, 3L * 1024 + 512, 3_500_000_000L)]      // 2^-10 s units
    [InlineData(0x80 | 20, 1L << 19, 500_000_000L)]               // 2^-20 s units
    [InlineData(0x80 | 0, 2L, 2_000_000_000L)]                    // 2^0 s units
    public void Timestamp_resolution_decimal_and_binary(byte tsresol, long units, long expectedNs)
    {
        var bytes = CaptureBytes.Pcapng().Interface(1, tsresol: tsresol).Enhanced(0, (ulong)units, [0]).ToArray();
        Assert.Equal(expectedNs, Read.All(bytes).Records[0].TimestampNs);
    }

    [Fact]
    public void Timestamp_offset_adds_seconds()
    {
        var bytes = CaptureBytes.Pcapng().Interface(1, tsresol: 6, tsoffset: Epoch2026).Enhanced(0, 1_000_001, [0]).ToArray();
        Assert.Equal(Epoch2026 * 1_000_000_000 + 1_000_001_000, Read.All(bytes).Records[0].TimestampNs);
    }

    [Fact]
    public void Simple_packet_block_uses_interface_0_and_cuts_to_its_snaplen()
    {
        var frame = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var bytes = CaptureBytes.Pcapng()
            .Interface(101, snapLength: 64)
            .Interface(1)
            .Simple(frame[..64], originalLength: 100)
            .ToArray();
        var r = Assert.Single(Read.All(bytes).Records);
        Assert.Equal(101, r.LinkType);
        Assert.Equal(100, r.OriginalLength);
        Assert.Equal(frame[..64], r.Data);
        Assert.Equal(0, r.TimestampNs);
    }

    [Fact]
    public void Simple_packet_block_without_snaplen_takes_the_original_length()
    {
        var frame = PacketBytes.SampleFrame();
        var bytes = CaptureBytes.Pcapng().Interface(1).Simple(frame).ToArray();
        Assert.Equal(frame, Assert.Single(Read.All(bytes).Records).Data);
    }

    [Fact]
    public void Obsolete_packet_block_is_read_with_its_16_bit_interface_id()
    {
        var frame = PacketBytes.SampleFrame();
        var bytes = CaptureBytes.Pcapng().Interface(113).Interface(1).ObsoletePacket(1, 42, frame).ToArray();
        var r = Assert.Single(Read.All(bytes).Records);
        Assert.Equal(new Rec(1, 42_000, 1, frame.Length, frame), r, RecComparer.Instance);
    }

    [Fact]
    public void Unknown_blocks_are_skipped_by_their_length_and_frames_count_only_packets()
    {
        var bytes = CaptureBytes.Pcapng()
            .Interface(1)
            .Block(4, new byte[20])                 // name resolution
            .Enhanced(0, 0, [1])
            .Block(5, new byte[36])                 // interface statistics
            .Block(0x40000bad, new byte[1000])      // custom / unknown
            .Simple([2])
            .ObsoletePacket(0, 0, [3])
            .ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Equal(new long[] { 1, 2, 3 }, records.Select(r => r.Frame));
        Assert.Equal(new byte[] { 1, 2, 3 }, records.Select(r => r.Data[0]));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Packet_options_after_the_data_are_skipped()
    {
        var comment = new byte[] { 1, 0, 5, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0, 0, 0, 0, 0, 0, 0 };
        var bytes = CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, [9, 9, 9], options: comment).Enhanced(0, 0, [7]).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Equal(2, records.Count);
        Assert.Equal(new byte[] { 9, 9, 9 }, records[0].Data);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Packet_on_an_undefined_interface_has_unknown_link_type_and_still_counts()
    {
        var bytes = CaptureBytes.Pcapng().Interface(1).Enhanced(3, 0, [1]).Enhanced(0, 0, [2]).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Equal(new[] { LinkTypes.Unknown, (ushort)1 }, records.Select(r => r.LinkType));
        Assert.Equal(new long[] { 1, 2 }, records.Select(r => r.Frame));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Gzip_and_a_pipe_together()
    {
        var plain = CaptureBytes.Pcapng(bigEndian: true).Interface(1).Enhanced(0, 5, PacketBytes.SampleFrame()).Simple([1, 2]).ToArray();
        using var reader = CaptureReader.Open(new PipeLikeStream(CaptureBytes.Gzip(plain), 3), "-");
        var (records, warnings) = Read.All(reader);
        Assert.Equal(2, records.Count);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Truncated_last_block_is_a_warning_and_its_packet_is_not_returned()
    {
        var full = CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, PacketBytes.SampleFrame(1)).Enhanced(0, 0, PacketBytes.SampleFrame(2)).ToArray();
        for (var cut = 1; cut < 40; cut++)
        {
            var (records, warnings) = Read.All(full[..^cut]);
            Assert.Single(records);
            var w = Assert.Single(warnings);
            Assert.Equal(2, w.Frame);
            Assert.Contains("truncated", w.Message);
        }
    }

    [Fact]
    public void Mismatched_trailing_length_stops_with_a_warning()
    {
        var bytes = CaptureBytes.Pcapng().Interface(1).Block(6, new byte[24], trailerOverride: 40).Enhanced(0, 0, [1]).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Empty(records);
        Assert.Contains("trailing length 40 does not match its leading length 36", Assert.Single(warnings).Message);
    }

    [Theory]
    [InlineData(13u)]           // not a multiple of 4
    [InlineData(8u)]            // below the minimum
    [InlineData(0x7fff_fff0u)]  // beyond MaxBlockLength
    public void Absurd_block_lengths_stop_with_a_warning(uint length)
    {
        var bytes = CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, [1]).Block(6, new byte[24], lengthOverride: length).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Single(records);
        Assert.Contains($"claims a total length of {length} bytes", Assert.Single(warnings).Message);
    }

    [Fact]
    public void Captured_length_beyond_the_block_stops_with_a_warning()
    {
        var bytes = CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, [1, 2, 3, 4], capturedLength: 400).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Empty(records);
        Assert.Contains("claims 400 captured bytes", Assert.Single(warnings).Message);
    }

    [Fact]
    public void Packet_longer_than_the_maximum_is_cut_with_a_warning_and_reading_goes_on()
    {
        var big = new byte[CaptureReader.MaxCapturedLength + 1000];
        big[^1] = 0xee;
        var bytes = CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, big).Enhanced(0, 0, [5]).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Equal(2, records.Count);
        Assert.Equal(CaptureReader.MaxCapturedLength, records[0].Data.Length);
        Assert.Equal(big.Length, records[0].OriginalLength);
        Assert.Equal(new byte[] { 5 }, records[1].Data);
        Assert.Contains("longer than the 262144-byte maximum", Assert.Single(warnings).Message);
    }

    [Fact]
    public void Block_larger_than_the_buffer_streams_through()
    {
        // A 3 MiB unknown block and a packet with 2 MiB of options: both larger than the reader's buffer.
        var bytes = CaptureBytes.Pcapng().Interface(1)
            .Block(0x0bad, new byte[3 * 1024 * 1024])
            .Enhanced(0, 0, [1, 2], options: new byte[2 * 1024 * 1024])
            .Enhanced(0, 0, [3])
            .ToArray();
        using var reader = CaptureReader.Open(new PipeLikeStream(bytes, 100_000), "-");
        var (records, warnings) = Read.All(reader);
        Assert.Equal(2, records.Count);
        Assert.Equal(new byte[] { 1, 2 }, records[0].Data);
        Assert.Empty(warnings);
    }
}
