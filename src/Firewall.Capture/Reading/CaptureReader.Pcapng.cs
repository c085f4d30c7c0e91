using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Firewall.Capture.Reading;

// pcapng: a sequence of blocks (type, total length, body, total length again). Sections start with a
// Section Header Block that fixes the byte order and resets the interface list; packets refer to
// interfaces by their index in that list. Layout: draft-ietf-opsawg-pcapng §3-4.
public sealed partial class CaptureReader
{
    private const uint SectionHeaderBlock = 0x0a0d0d0a;
    private const uint InterfaceDescriptionBlock = 1;
    private const uint ObsoletePacketBlock = 2;
    private const uint SimplePacketBlock = 3;
    private const uint EnhancedPacketBlock = 6;
    private const uint ByteOrderMagic = 0x1a2b3c4d;

    private const int BlockHeaderLength = 8;
    private const int BlockTrailerLength = 4;
    private const int SectionHeaderMinimum = 28;
    private const int InterfaceDescriptionMinimum = 20;
    private const int PacketBlockHeaderLength = 28;   // EPB and obsolete PB: type, length, 5 words
    private const int SimplePacketHeaderLength = 12;  // type, length, original length

    private const ushort OptionEnd = 0;
    private const ushort OptionTimestampResolution = 9;   // if_tsresol
    private const ushort OptionTimestampOffset = 14;      // if_tsoffset

    private bool _ngBigEndian;
    private PcapngInterface[] _interfaces = new PcapngInterface[4];
    private int _interfaceCount;

    // A packet block whose record was returned is consumed on the next call, after the caller is done with its bytes.
    private long _pendingSkip;
    private bool _pendingTrailerCheck;
    private long _pendingOffset;
    private uint _pendingLength;

    private void ReadFirstSectionHeader()
    {
        if (!ReadSectionHeader(0, first: true))
        {
            throw new InvalidOperationException("the first section header either reads or throws");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadPcapngPacket(out CaptureRecord record)
    {
        record = default;
        if (!FinishPendingBlock())
        {
            return false;
        }
        while (true)
        {
            var offset = _source.Position;
            if (!_source.Ensure(BlockHeaderLength))
            {
                if (_source.Available == 0 && _source.StreamError is null)
                {
                    _finished = true;
                    return false;
                }
                return StopTruncated(offset, "a block header", BlockHeaderLength);
            }
            var head = _source.Peek(BlockHeaderLength);
            if (head[..4].SequenceEqual(PcapngSectionHeaderType))
            {
                if (!ReadSectionHeader(offset, first: false))
                {
                    return false;
                }
                continue;
            }
            var type = Read32(head, _ngBigEndian);
            var length = Read32(head[4..], _ngBigEndian);
            var minimum = type switch
            {
                EnhancedPacketBlock or ObsoletePacketBlock => PacketBlockHeaderLength + BlockTrailerLength,
                SimplePacketBlock => SimplePacketHeaderLength + BlockTrailerLength,
                InterfaceDescriptionBlock => InterfaceDescriptionMinimum,
                _ => BlockHeaderLength + BlockTrailerLength,
            };
            if (!CheckBlockLength(offset, type, length, minimum))
            {
                return false;
            }
            switch (type)
            {
                case EnhancedPacketBlock or ObsoletePacketBlock or SimplePacketBlock:
                    return TryReadPacketBlock(type, offset, length, out record);
                case InterfaceDescriptionBlock:
                    if (!ReadInterfaceDescription(offset, length))
                    {
                        return false;
                    }
                    break;
                default:
                    // Name resolution, statistics, custom, decryption secrets ... carry nothing we use.
                    if (!SkipBlock(offset, length))
                    {
                        return false;
                    }
                    break;
            }
        }
    }

    private bool CheckBlockLength(long offset, uint type, uint length, int minimum)
    {
        if (length < minimum || length % 4 != 0 || length > MaxBlockLength)
        {
            return Stop(offset, $"block of type 0x{type:x8} claims a total length of {length} bytes; expected a multiple of 4 "
                + $"from {minimum} to {MaxBlockLength}; the capture is corrupt from here on");
        }
        return true;
    }

    /// <summary>Reads a Section Header Block; problems with the first one mean the input is not a usable capture.</summary>
    private bool ReadSectionHeader(long offset, bool first)
    {
        bool Fail(string problem) => first
            ? throw new CaptureFormatException(DisplayName, problem)
            : Stop(offset, problem);

        if (!_source.Ensure(16))
        {
            return first
                ? Fail($"truncated pcapng section header: at least 16 bytes expected, {_source.Available} present")
                : StopTruncated(offset, "a section header block", 16);
        }
        var head = _source.Peek(16);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        bool bigEndian;
        if (magic == ByteOrderMagic)
        {
            bigEndian = false;
        }
        else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic)
        {
            bigEndian = true;
        }
        else
        {
            return Fail($"pcapng section header has byte-order magic {head[8]:x2} {head[9]:x2} {head[10]:x2} {head[11]:x2}; expected 1a 2b 3c 4d in either byte order");
        }
        var length = Read32(head[4..], bigEndian);
        if (length < SectionHeaderMinimum || length % 4 != 0 || length > MaxBlockLength)
        {
            return Fail($"pcapng section header claims a total length of {length} bytes; expected a multiple of 4 from {SectionHeaderMinimum} to {MaxBlockLength}");
        }
        var major = Read16(head[12..], bigEndian);
        var minor = Read16(head[14..], bigEndian);
        if (major != 1)
        {
            return Fail($"pcapng version {major}.{minor} is not supported (expected 1.0)");
        }
        _ngBigEndian = bigEndian;
        _interfaceCount = 0;
        if (!_source.Skip(length - BlockTrailerLength))
        {
            return first
                ? Fail($"truncated pcapng section header: {length} bytes expected")
                : StopTruncated(offset, "a section header block", length);
        }
        if (!_source.Ensure(BlockTrailerLength))
        {
            return first
                ? Fail($"truncated pcapng section header: {length} bytes expected")
                : StopTruncated(offset, "a section header block", length);
        }
        var trailer = Read32(_source.Peek(BlockTrailerLength), bigEndian);
        if (trailer != length)
        {
            return Fail($"pcapng section header's trailing length {trailer} does not match its leading length {length}");
        }
        _source.Advance(BlockTrailerLength);
        return true;
    }

    private bool ReadInterfaceDescription(long offset, uint length)
    {
        var examined = (int)Math.Min(length, MaxMetadataLength);
        if (!_source.Ensure(examined))
        {
            return StopTruncated(offset, "an interface description block", length);
        }
        var block = _source.Peek(examined);
        var linkType = Read16(block[8..], _ngBigEndian);
        var snapLength = Read32(block[12..], _ngBigEndian);
        byte resolution = PcapngInterface.DefaultResolution;
        long offsetSeconds = 0;
        var end = examined == length ? examined - BlockTrailerLength : examined;
        var position = 16;
        // Options: code, length, value padded to 4 bytes (draft-ietf-opsawg-pcapng §3.5). A malformed option list
        // ends the walk; the interface is still usable with what was read.
        while (position + 4 <= end)
        {
            var code = Read16(block[position..], _ngBigEndian);
            var valueLength = Read16(block[(position + 2)..], _ngBigEndian);
            if (code == OptionEnd || position + 4 + valueLength > end)
            {
                break;
            }
            var value = block.Slice(position + 4, valueLength);
            if (code == OptionTimestampResolution && valueLength >= 1)
            {
                resolution = value[0];
            }
            else if (code == OptionTimestampOffset && valueLength == 8)
            {
                offsetSeconds = _ngBigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            }
            position += 4 + ((valueLength + 3) & ~3);
        }
        if (_interfaceCount < MaxInterfacesPerSection)
        {
            if (_interfaceCount == _interfaces.Length)
            {
                Array.Resize(ref _interfaces, _interfaces.Length * 2);
            }
            _interfaces[_interfaceCount++] = new PcapngInterface(linkType, snapLength, resolution, offsetSeconds);
        }
        else if (_interfaceCount == MaxInterfacesPerSection)
        {
            Warn(offset, $"more than {MaxInterfacesPerSection} interfaces in one section; packets on the others have an unknown link type");
            _interfaceCount++;
        }
        return SkipBlock(offset, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadPacketBlock(uint type, long offset, uint length, out CaptureRecord record)
    {
        record = default;
        var headerLength = type == SimplePacketBlock ? SimplePacketHeaderLength : PacketBlockHeaderLength;
        if (!_source.Ensure(headerLength))
        {
            return StopTruncated(offset, "a packet block", length);
        }
        var header = _source.Peek(headerLength);
        var room = length - (uint)headerLength - BlockTrailerLength;
        uint interfaceId;
        ulong units = 0;
        uint captured;
        uint original;
        if (type == SimplePacketBlock)
        {
            // SPB: interface 0, no timestamp; the captured part is the original length cut to the snaplen
            // (draft-ietf-opsawg-pcapng §4.4), bounded here by the block's room.
            interfaceId = 0;
            original = Read32(header[8..], _ngBigEndian);
            captured = Math.Min(original, room);
            if (_interfaceCount > 0 && _interfaces[0].SnapLength != 0)
            {
                captured = Math.Min(captured, _interfaces[0].SnapLength);
            }
        }
        else
        {
            interfaceId = type == EnhancedPacketBlock ? Read32(header[8..], _ngBigEndian) : Read16(header[8..], _ngBigEndian);
            units = ((ulong)Read32(header[12..], _ngBigEndian) << 32) | Read32(header[16..], _ngBigEndian);
            captured = Read32(header[20..], _ngBigEndian);
            original = Read32(header[24..], _ngBigEndian);
            if (captured > room)
            {
                return Stop(offset, $"packet block claims {captured} captured bytes but its length leaves room for {room}; the capture is corrupt from here on");
            }
        }
        var keep = (int)Math.Min(captured, MaxCapturedLength);
        if (keep < captured)
        {
            Warn(offset, $"packet of {captured} captured bytes is longer than the {MaxCapturedLength}-byte maximum; only its first {keep} bytes are read");
        }
        var whole = length <= BufferCapacity;
        var need = whole ? (int)length : headerLength + keep;
        if (!_source.Ensure(need))
        {
            return StopTruncated(offset, "a packet block", length);
        }
        if (whole && !TrailerMatches(offset, length, _source.Peek((int)length - BlockTrailerLength, BlockTrailerLength)))
        {
            return false;
        }
        var known = interfaceId < (uint)Math.Min(_interfaceCount, MaxInterfacesPerSection);
        var linkType = known ? _interfaces[interfaceId].LinkType : LinkTypes.Unknown;
        long timestamp = 0;
        if (type != SimplePacketBlock)
        {
            timestamp = known ? _interfaces[interfaceId].ToNanoseconds(units) : PcapngInterface.Default.ToNanoseconds(units);
        }
        _pendingSkip = whole ? length : length - BlockTrailerLength;
        _pendingTrailerCheck = !whole;
        _pendingOffset = offset;
        _pendingLength = length;
        _frames++;
        record = new CaptureRecord(_frames, timestamp, linkType, (int)Math.Min(original, int.MaxValue), _source.Peek(headerLength, keep));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FinishPendingBlock()
    {
        if (_pendingSkip == 0)
        {
            return true;
        }
        var skip = _pendingSkip;
        _pendingSkip = 0;
        if (!_source.Skip(skip))
        {
            return StopTruncated(_pendingOffset, "a packet block", _pendingLength);
        }
        return !_pendingTrailerCheck || ReadTrailer(_pendingOffset, _pendingLength);
    }

    private bool SkipBlock(long offset, uint length) =>
        _source.Skip(length - BlockTrailerLength)
            ? ReadTrailer(offset, length)
            : StopTruncated(offset, "a block", length);

    private bool ReadTrailer(long offset, uint length)
    {
        if (!_source.Ensure(BlockTrailerLength))
        {
            return StopTruncated(offset, "a block", length);
        }
        if (!TrailerMatches(offset, length, _source.Peek(BlockTrailerLength)))
        {
            return false;
        }
        _source.Advance(BlockTrailerLength);
        return true;
    }

    private bool TrailerMatches(long offset, uint length, ReadOnlySpan<byte> trailer)
    {
        var trailing = Read32(trailer, _ngBigEndian);
        return trailing == length
            || Stop(offset, $"block's trailing length {trailing} does not match its leading length {length}; the capture is corrupt from here on");
    }
}
