using System.Buffers.Binary;

namespace Firewall.Flows.Pcap;

/// <summary>
/// Writes a classic pcap file with nanosecond timestamps (magic 0xa1b23c4d, libpcap's
/// PCAP_NSEC_MAGIC; Wireshark's "pcap file format" draft, draft-ietf-opsawg-pcap) in little-endian
/// byte order, link type Ethernet. Records go through one buffer in large writes, so writing a frame
/// allocates nothing.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    public const uint NanosecondMagic = 0xa1b23c4d;
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;
    public const int SnapLength = 262144;
    public const ushort LinkTypeEthernet = 1;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _used;

    public PcapWriter(Stream stream, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        var header = _buffer.AsSpan(0, FileHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, NanosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2); // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0); // reserved (was thiszone)
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // reserved (was sigfigs)
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        _used = FileHeaderLength;
    }

    public static PcapWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1));

    public long Records { get; private set; }

    public long BytesWritten { get; private set; } = FileHeaderLength;

    /// <summary>Space for a frame of up to <paramref name="maxLength"/> bytes; finish it with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_buffer.Length - _used < RecordHeaderLength + maxLength)
        {
            Flush();
        }
        return _buffer.AsSpan(_used + RecordHeaderLength, maxLength);
    }

    /// <summary>Completes the record whose frame was written into the span from <see cref="Reserve"/>.</summary>
    public void Commit(long timestampNs, int length)
    {
        var header = _buffer.AsSpan(_used, RecordHeaderLength);
        var seconds = Math.DivRem(timestampNs, 1_000_000_000L, out var nanos);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)nanos);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)length);
        _used += RecordHeaderLength + length;
        Records++;
        BytesWritten += RecordHeaderLength + length;
    }

    public void Write(long timestampNs, ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(Reserve(frame.Length));
        Commit(timestampNs, frame.Length);
    }

    public void Flush()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        Flush();
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
