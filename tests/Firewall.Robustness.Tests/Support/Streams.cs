using System.Buffers.Binary;

namespace Firewall.Robustness.Tests.Support;

/// <summary>A read-only, forward-only stream whose bytes are produced on demand and never stored whole.</summary>
internal abstract class GeneratedStream : Stream
{
    public long BytesProduced { get; private set; }

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override int Read(Span<byte> buffer)
    {
        var n = Produce(buffer);
        BytesProduced += n;
        return n;
    }

    /// <summary>Fills the start of <paramref name="buffer"/>; 0 at the end.</summary>
    protected abstract int Produce(Span<byte> buffer);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A pcap (Ethernet) of <c>count</c> TCP SYNs to web-1:443, each from a different client endpoint: as many
/// distinct flows as packets. Client i is 100.64.0.0 + i / 60000 (100.64.0.0/10, RFC 6598 shared space)
/// port 1024 + i % 60000; packets are 1 µs apart so no tracking entry expires during the flood.
/// </summary>
internal sealed class SynFloodStream(long count) : GeneratedStream
{
    private const int FrameLength = 14 + 40;
    private const int RecordLength = 16 + FrameLength;

    private readonly byte[] _record = new byte[RecordLength];
    private int _recordUsed = RecordLength;
    private int _headerUsed;
    private long _next;
    private readonly byte[] _header = Frames.PcapHeader(linkType: 1);

    protected override int Produce(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_headerUsed < _header.Length)
            {
                var n = Math.Min(buffer.Length - written, _header.Length - _headerUsed);
                _header.AsSpan(_headerUsed, n).CopyTo(buffer[written..]);
                _headerUsed += n;
                written += n;
                continue;
            }
            if (_recordUsed == RecordLength)
            {
                if (_next == count)
                {
                    break;
                }
                BuildRecord(_next++);
                _recordUsed = 0;
            }
            var take = Math.Min(buffer.Length - written, RecordLength - _recordUsed);
            _record.AsSpan(_recordUsed, take).CopyTo(buffer[written..]);
            _recordUsed += take;
            written += take;
        }
        return written;
    }

    private void BuildRecord(long i)
    {
        var r = _record.AsSpan();
        var micros = 1_000_000 + i;
        BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], FrameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(r[12..], FrameLength);
        var frame = r[16..];
        frame[..12].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x0800);
        var src = 0x64400000u + (uint)(i / 60000);
        Frames.WriteIpv4TcpSyn(frame[14..], src, Frames.Web1, (ushort)(1024 + i % 60000), 443);
    }
}

/// <summary>Bytes of <paramref name="prefix"/>, then <paramref name="zeros"/> zero bytes, then <paramref name="suffix"/>.</summary>
internal sealed class PaddedStream(byte[] prefix, long zeros, byte[] suffix) : GeneratedStream
{
    private long _position;

    protected override int Produce(Span<byte> buffer)
    {
        var total = prefix.Length + zeros + suffix.Length;
        var n = (int)Math.Min(buffer.Length, total - _position);
        for (var k = 0; k < n;)
        {
            var p = _position + k;
            if (p < prefix.Length)
            {
                var m = (int)Math.Min(n - k, prefix.Length - p);
                prefix.AsSpan((int)p, m).CopyTo(buffer[k..]);
                k += m;
            }
            else if (p < prefix.Length + zeros)
            {
                var m = (int)Math.Min(n - k, prefix.Length + zeros - p);
                buffer.Slice(k, m).Clear();
                k += m;
            }
            else
            {
                var s = (int)(p - prefix.Length - zeros);
                var m = Math.Min(n - k, suffix.Length - s);
                suffix.AsSpan(s, m).CopyTo(buffer[k..]);
                k += m;
            }
        }
        _position += n;
        return n;
    }
}
