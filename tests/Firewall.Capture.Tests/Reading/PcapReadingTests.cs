using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Tests.Support;
using Firewall.Tests.Support.Captures;

namespace Firewall.Capture.Tests.Reading;

public class PcapReadingTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Reads_every_magic_in_both_byte_orders(bool bigEndian, bool nanoseconds)
    {
        var frame1 = PacketBytes.SampleFrame(1);
        var frame2 = PacketBytes.SampleFrame(2);
        var bytes = CaptureBytes.Pcap(bigEndian, nanoseconds, linkType: 1)
            .Record(1_767_261_600, 123_456, frame1)
            .Record(1_767_261_601, 999_999, frame2, originalLength: 1500)
            .ToArray();

        var (records, warnings) = Read.All(bytes);

        Assert.Empty(warnings);
        Assert.Equal(2, records.Count);
        var scale = nanoseconds ? 1L : 1000L;
        Assert.Equal(new Rec(1, 1_767_261_600L * 1_000_000_000 + 123_456 * scale, 1, frame1.Length, frame1), records[0], RecComparer.Instance);
        Assert.Equal(new Rec(2, 1_767_261_601L * 1_000_000_000 + 999_999 * scale, 1, 1500, frame2), records[1], RecComparer.Instance);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Modified_pcap_reads_in_both_byte_orders(bool bigEndian)
    {
        var frame1 = PacketBytes.SampleFrame(1);
        var frame2 = PacketBytes.SampleFrame(2);
        var bytes = CaptureBytes.ModifiedPcap(bigEndian)
            .ModifiedRecord(1_767_261_600, 123_456, frame1)
            .ModifiedRecord(1_767_261_601, 999_999, frame2, originalLength: 1500, interfaceIndex: 0xffff_ffff, protocol: 0xffff, packetType: 0xff)
            .ToArray();

        using var reader = CaptureReader.Open(new MemoryStream(bytes), "kuznetsov.pcap");
        var (records, warnings) = Read.All(reader);

        Assert.Equal(CaptureFormat.Pcap, reader.Format);
        Assert.True(reader.IsModifiedPcap);
        Assert.Empty(warnings);
        Assert.Equal(2, records.Count);
        Assert.Equal(new Rec(1, 1_767_261_600L * 1_000_000_000 + 123_456_000, 1, frame1.Length, frame1), records[0], RecComparer.Instance);
        Assert.Equal(new Rec(2, 1_767_261_601L * 1_000_000_000 + 999_999_000, 1, 1500, frame2), records[1], RecComparer.Instance);
    }

    [Fact]
    public void Modified_pcap_cut_inside_the_longer_record_header_is_a_warning()
    {
        var bytes = CaptureBytes.ModifiedPcap().ModifiedRecord(1, 2, PacketBytes.SampleFrame(1)).ModifiedRecord(3, 4, PacketBytes.SampleFrame(2)).ToArray();
        var cut = bytes.Length - PacketBytes.SampleFrame(2).Length - 4; // 20 of the second record's 24 header bytes
        var (records, warnings) = Read.All(bytes[..cut]);
        Assert.Single(records);
        var warning = Assert.Single(warnings);
        Assert.Contains("the input ends inside a record header: 24 bytes expected, 20 present", warning.Message);
    }

    [Theory]
    [InlineData("modified.pcap")]
    [InlineData("modified-be.pcap")]
    public void Committed_modified_pcaps_hold_the_records_of_their_source(string name)
    {
        // craft-captures.sh made them from lo-tcp-udp-icmp.pcap with editcap -F modpcap (and pcaptool pcap-be).
        var (expected, _) = Read.All(File.ReadAllBytes(Path.Combine(Repository.Root, "tests/captures/lo-tcp-udp-icmp.pcap")));
        using var reader = CaptureReader.Open(Path.Combine(Repository.Root, "tests/captures", name));
        var (records, warnings) = Read.All(reader);
        Assert.True(reader.IsModifiedPcap);
        Assert.Empty(warnings);
        Assert.Equal(expected, records, RecComparer.Instance);
    }

    [Fact]
    public void Seconds_are_unsigned_so_times_after_2038_read_correctly()
    {
        var bytes = CaptureBytes.Pcap().Record(0x9000_0000, 0, PacketBytes.SampleFrame()).ToArray();
        var (records, _) = Read.All(bytes);
        Assert.Equal(0x9000_0000L * 1_000_000_000, records[0].TimestampNs);
    }

    [Fact]
    public void Link_type_is_the_low_16_bits_of_the_header_field()
    {
        // Bits 28-31 announce an FCS length (draft-ietf-opsawg-pcap §4); they are not part of the link type.
        var bytes = CaptureBytes.Pcap(linkType: 0x1000_0000 | 101).Record(0, 0, [0x45]).ToArray();
        Assert.Equal(101, Read.All(bytes).Records[0].LinkType);
    }

    [Fact]
    public void Empty_capture_with_only_a_header_reads_nothing_and_warns_nothing()
    {
        var (records, warnings) = Read.All(CaptureBytes.Pcap().ToArray());
        Assert.Empty(records);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Gzip_compressed_capture_reads_like_the_plain_one()
    {
        var plain = CaptureBytes.Pcap().Record(5, 6, PacketBytes.SampleFrame(1)).Record(7, 8, PacketBytes.SampleFrame(2)).ToArray();
        using var reader = CaptureReader.Open(new MemoryStream(CaptureBytes.Gzip(plain)), "x.pcap.gz");
        Assert.True(reader.IsCompressed);
        var (records, warnings) = Read.All(reader);
        Assert.Equal(Read.All(plain).Records, records, RecComparer.Instance);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Non_seekable_stream_in_small_chunks_reads_every_record()
    {
        var builder = CaptureBytes.Pcap(bigEndian: true);
        for (var i = 0; i < 50; i++)
        {
            builder.Record((uint)i, 0, PacketBytes.SampleFrame(i));
        }
        using var reader = CaptureReader.Open(new PipeLikeStream(builder.ToArray(), maxChunk: 5), "-");
        var (records, warnings) = Read.All(reader);
        Assert.Equal(50, records.Count);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), records.Select(r => r.Frame));
        Assert.Equal(PacketBytes.SampleFrame(49), records[^1].Data);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Truncated_last_record_is_a_warning_after_the_complete_ones()
    {
        var full = CaptureBytes.Pcap().Record(1, 0, PacketBytes.SampleFrame(1)).Record(2, 0, PacketBytes.SampleFrame(2)).ToArray();
        var cut = full[..^5];
        var (records, warnings) = Read.All(cut, "cut.pcap");
        Assert.Single(records);
        var warning = Assert.Single(warnings);
        Assert.Equal(2, warning.Frame);
        Assert.Equal(24 + 16 + PacketBytes.SampleFrame(1).Length, warning.ByteOffset);
        Assert.Contains("truncated", warning.Message);
    }

    [Fact]
    public void Truncated_record_header_is_a_warning()
    {
        var bytes = CaptureBytes.Pcap().Record(1, 0, PacketBytes.SampleFrame()).Raw(1, 2, 3).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Single(records);
        Assert.Contains("record header", Assert.Single(warnings).Message);
    }

    [Fact]
    public void Absurd_record_length_stops_reading_with_a_warning()
    {
        var bytes = CaptureBytes.Pcap().Record(1, 0, PacketBytes.SampleFrame())
            .Record(2, 0, [1, 2, 3], capturedLength: 0x7fff_0000).ToArray();
        var (records, warnings) = Read.All(bytes);
        Assert.Single(records);
        var warning = Assert.Single(warnings);
        Assert.Contains($"{0x7fff_0000} captured bytes", warning.Message);
        Assert.Contains("262144", warning.Message);
    }

    [Fact]
    public void Unsupported_major_version_is_a_format_error()
    {
        var bytes = CaptureBytes.Pcap().ToArray();
        bytes[4] = 3;
        var e = Assert.Throws<CaptureFormatException>(() => Read.All(bytes, "old.pcap"));
        Assert.StartsWith("old.pcap: pcap version 3.4", e.Message);
    }
}

internal sealed class RecComparer : IEqualityComparer<Rec>
{
    public static readonly RecComparer Instance = new();

    public bool Equals(Rec? x, Rec? y) =>
        x is not null && y is not null && x.Frame == y.Frame && x.TimestampNs == y.TimestampNs && x.LinkType == y.LinkType
        && x.OriginalLength == y.OriginalLength && x.Data.AsSpan().SequenceEqual(y.Data);

    public int GetHashCode(Rec obj) => obj.Frame.GetHashCode();
}
