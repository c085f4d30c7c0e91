using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Firewall.Capture.Reading;

// Classic pcap: a 24-byte file header, then records of a 16-byte header and the packet bytes.
// Layout and magics: draft-ietf-opsawg-pcap, §4-5; libpcap sf-pcap.c.
public sealed partial class CaptureReader
{
    private const uint PcapMagicMicro = 0xa1b2c3d4;
    private const uint PcapMagicNano = 0xa1b23c4d;

    /// <summary>
    /// Alexey Kuznetsov's patched libpcap ("modified" pcap, libpcap's KUZNETZOV_TCPDUMP_MAGIC, Wireshark's
    /// modpcap): microsecond timestamps, and every record header 8 bytes longer than the standard one, with
    /// the interface index (4), protocol (2), packet type (1) and a pad byte, which nothing here needs.
    /// libpcap reads it so (sf-pcap.c), and so do tcpdump and Wireshark. Wireshark also tells apart, by
    /// trying the first records, a SuSE 6.3 variant with this magic and 28-byte record headers; libpcap
    /// does not, and neither do we.
    /// </summary>
    private const uint PcapMagicModified = 0xa1b2cd34;

    private const int PcapFileHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;
    private const int ModifiedPcapRecordHeaderLength = 24;

    private bool _pcapBigEndian;
    private long _pcapFractionToNs;
    private ushort _pcapLinkType;
    private int _pcapRecordHeaderLength;

    /// <summary>A classic pcap in the modified format (magic a1b2cd34, 24-byte record headers).</summary>
    public bool IsModifiedPcap => _pcapRecordHeaderLength == ModifiedPcapRecordHeaderLength;

    private void ReadPcapFileHeader()
    {
        if (!_source.Ensure(PcapFileHeaderLength))
        {
            throw new CaptureFormatException(DisplayName,
                $"truncated pcap file header: {PcapFileHeaderLength} bytes expected, {_source.Available} present");
        }
        var header = _source.Peek(PcapFileHeaderLength);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        _pcapBigEndian = magic is not (PcapMagicMicro or PcapMagicNano or PcapMagicModified);
        if (_pcapBigEndian)
        {
            magic = BinaryPrimitives.ReverseEndianness(magic);
        }
        _pcapFractionToNs = magic == PcapMagicNano ? 1 : 1000;
        _pcapRecordHeaderLength = magic == PcapMagicModified ? ModifiedPcapRecordHeaderLength : PcapRecordHeaderLength;
        var major = Read16(header[4..], _pcapBigEndian);
        if (major != 2)
        {
            throw new CaptureFormatException(DisplayName, $"pcap version {major}.{Read16(header[6..], _pcapBigEndian)} is not supported (expected 2.4)");
        }
        // The link-type field's upper bits carry FCS-length information (draft-ietf-opsawg-pcap §4: LinkType and
        // additional information); the link type itself is the low 16 bits.
        _pcapLinkType = (ushort)Read32(header[20..], _pcapBigEndian);
        _source.Advance(PcapFileHeaderLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadPcapRecord(out CaptureRecord record)
    {
        record = default;
        var offset = _source.Position;
        var headerLength = _pcapRecordHeaderLength;
        if (!_source.Ensure(headerLength))
        {
            if (_source.Available == 0 && _source.StreamError is null)
            {
                _finished = true;
                return false;
            }
            return StopTruncated(offset, "a record header", headerLength);
        }
        // The standard 16 bytes come first in either header; a modified record's 8 more are skipped.
        var header = _source.Peek(PcapRecordHeaderLength);
        var seconds = Read32(header, _pcapBigEndian);
        var fraction = Read32(header[4..], _pcapBigEndian);
        var captured = Read32(header[8..], _pcapBigEndian);
        var original = Read32(header[12..], _pcapBigEndian);
        if (captured > MaxCapturedLength)
        {
            // Classic pcap has no other framing: a record length this large means everything after is unreadable.
            return Stop(offset, $"record claims {captured} captured bytes, more than the {MaxCapturedLength}-byte maximum; the capture is corrupt from here on");
        }
        var total = headerLength + (int)captured;
        if (!_source.Ensure(total))
        {
            return StopTruncated(offset, "a packet record", total);
        }
        // The span stays valid after Advance: bytes move only when the next call refills the buffer.
        var data = _source.Peek(headerLength, (int)captured);
        _source.Advance(total);
        _frames++;
        // Seconds are unsigned (draft-ietf-opsawg-pcap §5), so times after 2038 read correctly.
        var timestamp = unchecked((long)seconds * 1_000_000_000 + fraction * _pcapFractionToNs);
        record = new CaptureRecord(_frames, timestamp, _pcapLinkType, (int)Math.Min(original, int.MaxValue), data);
        return true;
    }

    private static ushort Read16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private static uint Read32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
