using Firewall.Capture.Reading;
using Firewall.Tests.Support.Captures;

namespace Firewall.Capture.Tests.Reading;

/// <summary>A length field may claim anything; what the reader allocates must not follow it.</summary>
public class HugeLengthTests
{
    private const long Small = 64 * 1024;

    public static TheoryData<string, byte[]> Claims() => new()
    {
        { "pcap record of 4 GiB", CaptureBytes.Pcap().Record(1, 0, [1, 2, 3], capturedLength: 0xfffffff0).ToArray() },
        { "pcap record just over the maximum", CaptureBytes.Pcap().Record(1, 0, [1, 2, 3], capturedLength: CaptureReader.MaxCapturedLength + 1).ToArray() },
        { "pcapng block of 4 GiB", CaptureBytes.Pcapng().Interface(1).Block(6, new byte[24], lengthOverride: 0xfffffff0).ToArray() },
        { "pcapng packet block of 250 MiB, cut short", CaptureBytes.Pcapng().Interface(1).Block(6, new byte[64], lengthOverride: 250u << 20).ToArray() },
        { "pcapng unknown block of 250 MiB, cut short", CaptureBytes.Pcapng().Interface(1).Block(0xbad, new byte[64], lengthOverride: 250u << 20).ToArray() },
        { "pcapng interface block of 250 MiB, cut short", CaptureBytes.Pcapng().Block(1, new byte[64], lengthOverride: 250u << 20).ToArray() },
        { "pcapng captured length of 4 GiB", CaptureBytes.Pcapng().Interface(1).Enhanced(0, 0, [1], capturedLength: 0xfffffff0).ToArray() },
        { "pcapng section header of 250 MiB", [.. CaptureBytes.Pcapng().Interface(1).ToArray(), .. CaptureBytes.Pcapng().ToArray()[..8].Select((b, i) => i == 6 ? (byte)0x0f : b), 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public void Claimed_length_does_not_drive_allocation(string what, byte[] capture)
    {
        ReadAll(capture);   // warm up: JIT, pooled buffer
        var before = GC.GetAllocatedBytesForCurrentThread();
        var warnings = ReadAll(capture);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < Small, $"{what}: {allocated} bytes allocated");
        Assert.True(warnings > 0, $"{what}: no warning");
    }

    private static int ReadAll(byte[] capture)
    {
        using var reader = CaptureReader.Open(new MemoryStream(capture, writable: false), "huge");
        while (reader.TryReadNext(out _))
        {
        }
        return reader.Warnings.Count;
    }
}
