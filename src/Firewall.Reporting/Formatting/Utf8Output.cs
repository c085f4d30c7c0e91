using System.Buffers.Text;
using System.Text;

namespace Firewall.Reporting.Formatting;

/// <summary>A byte buffer over a stream for line-oriented UTF-8 output written from spans, without allocating per write.</summary>
internal sealed class Utf8Output : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _used;

    public Utf8Output(Stream stream) => _stream = stream;

    private Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            Drain();
        }
        return _buffer.AsSpan(_used);
    }

    public void Write(ReadOnlySpan<char> text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _buffer.Length)
        {
            Drain();
            _stream.Write(Encoding.UTF8.GetBytes(text.ToArray()));
            return;
        }
        // Reserve may drain the buffer and reset _used: take the span first, then add.
        var destination = Reserve(max);
        var written = Encoding.UTF8.GetBytes(text, destination);
        _used += written;
    }

    public void Write(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _buffer.Length)
        {
            Drain();
            _stream.Write(utf8);
            return;
        }
        var destination = Reserve(utf8.Length);
        utf8.CopyTo(destination);
        _used += utf8.Length;
    }

    public void Write(char ascii)
    {
        var destination = Reserve(1);
        destination[0] = (byte)ascii;
        _used++;
    }

    public void Write(long value)
    {
        var destination = Reserve(20);
        Utf8Formatter.TryFormat(value, destination, out var n);
        _used += n;
    }

    public void Drain()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Everything written so far, through to the stream and out of its buffers.</summary>
    public void Flush()
    {
        Drain();
        _stream.Flush();
    }

    public void Dispose()
    {
        Drain();
        _stream.Flush();
    }
}
