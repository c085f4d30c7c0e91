using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Firewall.Capture.Reading;

/// <summary>
/// A forward-only window over a stream: reads in large chunks into one pooled buffer, hands out spans of
/// it, and never seeks, so standard input and pipes work. Bytes are copied only when a partial record is
/// moved to the front of the buffer before the next fill.
/// </summary>
internal sealed class ByteSource : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <summary>
    /// Called before each read of the stream, which on a live input (a pipe) may wait for data: the moment
    /// to push out what was written about the records before it, so a reader downstream sees it now.
    /// </summary>
    public Action? BeforeFill { get; set; }

    public ByteSource(Stream stream, int capacity, ReadOnlySpan<byte> alreadyRead)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        Capacity = capacity;
        alreadyRead.CopyTo(_buffer);
        _end = alreadyRead.Length;
    }

    /// <summary>The largest count <see cref="Ensure"/> accepts.</summary>
    public int Capacity { get; }

    /// <summary>Absolute offset of the first unconsumed byte in the stream.</summary>
    public long Position { get; private set; }

    public int Available => _end - _start;

    /// <summary>
    /// Set when the stream itself turned out to be corrupt (a damaged gzip member); reading treats it as
    /// the end of input and reports this text as a warning.
    /// </summary>
    public string? StreamError { get; private set; }

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the input ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Ensure(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }
        if (count > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "exceeds the buffer capacity");
        }
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end < count && !_endOfStream)
        {
            Fill();
        }
        return _end >= count;
    }

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

    public ReadOnlySpan<byte> Peek(int offset, int count) => _buffer.AsSpan(_start + offset, count);

    public void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    /// <summary>Discards <paramref name="count"/> bytes; false when the input ends first (all of it is then consumed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Skip(long count)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _end - _start);
            Advance(take);
            count -= take;
            if (count == 0)
            {
                return true;
            }
            if (_endOfStream)
            {
                return false;
            }
            _start = _end = 0;
            Fill();
        }
    }

    private void Fill()
    {
        BeforeFill?.Invoke();
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, Capacity - _end);
        }
        catch (InvalidDataException e)
        {
            // GZipStream reports damaged compressed data this way; it is bad input, not an I/O failure.
            StreamError = $"compressed data is corrupt: {e.Message}";
            read = 0;
        }
        if (read == 0)
        {
            _endOfStream = true;
        }
        _end += read;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _stream.Dispose();
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes directly, for magic detection before buffering.</summary>
    public static int ReadAtMost(Stream stream, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = stream.Read(destination[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    /// <summary>A gzip stream over bytes already taken from <paramref name="inner"/> followed by the rest of it.</summary>
    public static Stream Gunzip(ReadOnlySpan<byte> alreadyRead, Stream inner) =>
        new GZipStream(new PrefixedStream(alreadyRead.ToArray(), inner), CompressionMode.Decompress);

    private sealed class PrefixedStream(byte[] prefix, Stream inner) : ForwardReadStream
    {
        private int _prefixUsed;

        public override int Read(Span<byte> buffer)
        {
            if (_prefixUsed < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _prefixUsed);
                prefix.AsSpan(_prefixUsed, n).CopyTo(buffer);
                _prefixUsed += n;
                return n;
            }
            return inner.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
