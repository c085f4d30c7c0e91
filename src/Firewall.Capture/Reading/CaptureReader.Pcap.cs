using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Firewall.Capture.Reading;

// Classic pcap: a 24-byte file header, then records of a 16-byte header and the packet bytes.
// Layout and magics: draft-ietf-opsawg-pcap, §4-5; libpcap sf-pcap.c.
public sealed partial class CaptureReader
{
    private const uint PcapMagicMicro = 0xa1b2c3d4;
    private const uint PcapMagicNano = 0xa1b23c4d;
    private const int PcapFileHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;

    private bool _pcapBigEndian;
    private long _pcapFractionToNs;
    private ushort _pcapLinkType;

    private void ReadPcapFileHeader()
    {
        if (!_source.Ensure(PcapFileHeaderLength))
        {
            throw new CaptureFormatException(DisplayName,
                $"truncated pcap file header: {PcapFileHeaderLength} bytes expected, {_source.Available} present");
        }
        var header = _source.Peek(PcapFileHeaderLength);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        _pcapBigEndian = magic is not (PcapMagicMicro or PcapMagicNano);
        if (_pcapBigEndian)
        {
            magic = BinaryPrimitives.ReverseEndianness(magic);
        }
        _pcapFractionToNs = magic == PcapMagicNano ? 1 : 1000;
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
        if (!_source.Ensure(PcapRecordHeaderLength))
        {
            if (_source.Available == 0 && _source.StreamError is null)
            {
                _finished = true;
                return false;
            }
            return StopTruncated(offset, "a record header", PcapRecordHeaderLength);
        }
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
        var total = PcapRecordHeaderLength + (int)captured;
        if (!_source.Ensure(total))
        {
            return StopTruncated(offset, "a packet record", total);
        }
        // The span stays valid after Advance: bytes move only when the next call refills the buffer.
        var data = _source.Peek(PcapRecordHeaderLength, (int)captured);
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
