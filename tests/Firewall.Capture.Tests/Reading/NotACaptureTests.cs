using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Tests.Support.Captures;

namespace Firewall.Capture.Tests.Reading;

public class NotACaptureTests
{
    [Fact]
    public void Text_file_names_the_file_and_the_bytes_found()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read.All("#!/bin/sh\n"u8.ToArray(), "data.txt"));
        Assert.Equal("data.txt: not a capture file: starts with 23 21 2f 62 ('#!/b'); expected a pcap, pcapng or gzip magic", e.Message);
    }

    [Theory]
    [InlineData(0xa1b234cdu, "cd 34 b2 a1")]   // reserved for another modified format; libpcap rejects it too
    [InlineData(0xa12b3c4du, "4d 3c 2b a1")]   // Navtel; libpcap rejects it too
    public void Other_reserved_pcap_magics_are_not_captures(uint magic, string bytes)
    {
        var capture = CaptureBytes.Pcap(magic: magic).Record(0, 0, PacketBytes.SampleFrame()).ToArray();
        var e = Assert.Throws<CaptureFormatException>(() => Read.All(capture, "x.pcap"));
        Assert.Contains($"starts with {bytes}", e.Message);
    }

    [Fact]
    public void Empty_file()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read.All([], "empty.pcap"));
        Assert.Equal("empty.pcap: not a capture file: it is empty", e.Message);
    }

    [Fact]
    public void Two_bytes()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read.All([0xd4, 0xc3], "short"));
        Assert.Equal("short: not a capture file: starts with d4 c3 ('..', only 2 bytes); expected a pcap, pcapng or gzip magic", e.Message);
    }

    [Fact]
    public void Gzip_of_something_else()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read.All(CaptureBytes.Gzip("hello world"u8.ToArray()), "x.gz"));
        Assert.Equal("x.gz: not a capture file: the gzip-compressed data starts with 68 65 6c 6c ('hell'); expected a pcap, pcapng or gzip magic", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_header_is_a_format_error()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read.All([0x1f, 0x8b, 0xff, 0xff, 0, 0, 0, 0], "bad.gz"));
        Assert.StartsWith("bad.gz: gzip-compressed input: compressed data is corrupt", e.Message);
    }

    [Fact]
    public void Truncated_pcap_header()
    {
        var bytes = CaptureBytes.Pcap().ToArray()[..10];
        var e = Assert.Throws<CaptureFormatException>(() => Read.All(bytes, "t.pcap"));
        Assert.Equal("t.pcap: truncated pcap file header: 24 bytes expected, 10 present", e.Message);
    }

    [Fact]
    public void Pcapng_with_bad_byte_order_magic()
    {
        var bytes = CaptureBytes.Pcapng().ToArray();
        bytes[8] = 0x99;
        var e = Assert.Throws<CaptureFormatException>(() => Read.All(bytes, "b.pcapng"));
        Assert.Contains("byte-order magic 99 3c 2b 1a", e.Message);
    }

    [Fact]
    public void Missing_file_is_an_IOException()
    {
        Assert.ThrowsAny<IOException>(() => CaptureReader.Open("/nonexistent/nothing.pcap"));
    }
}
