using System.Runtime.ExceptionServices;

namespace Firewall.Capture.Reading;

/// <summary>
/// Reads another stream on a thread of its own, a few chunks ahead of the reader: for a gzip-compressed
/// capture on several threads, inflating then runs beside the thread that decodes and evaluates instead of
/// on it. Every byte an inner read returned reaches the reader before a later read's failure does, so
/// damage costs no more than it does unbuffered (<see cref="SteppedReadStream"/> fixes what one read is).
/// </summary>
internal sealed class ReadAheadStream : ForwardReadStream
{
    private sealed class Chunk(int size)
    {
        public readonly byte[] Data = new byte[size];
        public int Length;
        public bool End;
        public ExceptionDispatchInfo? Error;
    }

    private readonly Stream _inner;
    private readonly Chunk[] _ring;
    private readonly SemaphoreSlim _free;
    private readonly SemaphoreSlim _filled = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _next;
    private Chunk? _current;
    private int _offset;

    public ReadAheadStream(Stream inner, int chunkSize = 256 * 1024, int chunks = 4)
    {
        _inner = inner;
        _ring = new Chunk[chunks];
        for (var i = 0; i < chunks; i++)
        {
            _ring[i] = new Chunk(chunkSize);
        }
        _free = new SemaphoreSlim(chunks);
        _thread = new Thread(Produce) { IsBackground = true, Name = "firewall read-ahead" };
        _thread.Start();
    }

    private void Produce()
    {
        for (long n = 0; ; n++)
        {
            _free.Wait();
            if (_stopping)
            {
                return;
            }
            var chunk = _ring[n % _ring.Length];
            chunk.Length = 0;
            chunk.End = false;
            chunk.Error = null;
            try
            {
                while (chunk.Length < chunk.Data.Length && !_stopping)
                {
                    var read = _inner.Read(chunk.Data, chunk.Length, chunk.Data.Length - chunk.Length);
                    if (read == 0)
                    {
                        chunk.End = true;
                        break;
                    }
                    chunk.Length += read;
                }
            }
            catch (Exception e)
            {
                chunk.Error = ExceptionDispatchInfo.Capture(e);
            }
            _filled.Release();
            if (chunk.End || chunk.Error is not null)
            {
                return;
            }
        }
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_current is { } chunk)
            {
                if (_offset < chunk.Length)
                {
                    var n = Math.Min(buffer.Length, chunk.Length - _offset);
                    chunk.Data.AsSpan(_offset, n).CopyTo(buffer);
                    _offset += n;
                    return n;
                }
                // The inner stream's failure or end comes after every byte read before it.
                chunk.Error?.Throw();
                if (chunk.End)
                {
                    return 0;
                }
                _current = null;
                _free.Release();
            }
            if (buffer.Length == 0)
            {
                return 0;
            }
            _filled.Wait();
            _current = _ring[_next++ % _ring.Length];
            _offset = 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping = true;
            _free.Release();
            // A read of a pipe can block for as long as its writer waits; the inner stream is closed only once
            // no read is running on it (the thread is a background one and ends with the process otherwise).
            if (_thread.Join(TimeSpan.FromSeconds(1)))
            {
                _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
