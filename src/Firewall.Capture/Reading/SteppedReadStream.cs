namespace Firewall.Capture.Reading;

/// <summary>
/// Reads another stream in fixed steps of <c>step</c> bytes into a buffer of its own, and returns at most
/// one step per read. A gzip stream that meets damage throws from inside a read and loses what that read
/// inflated; with fixed steps exactly the failing step is lost, however (and on whichever thread) the
/// capture is read, so damage costs the same whether inflating runs on the reader's thread or ahead of it.
/// </summary>
internal sealed class SteppedReadStream(Stream inner, int step) : ForwardReadStream
{
    private readonly byte[] _step = new byte[step];
    private int _start;
    private int _end;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }
        if (_start == _end)
        {
            _start = 0;
            _end = inner.Read(_step, 0, _step.Length);
            if (_end == 0)
            {
                return 0;
            }
        }
        var n = Math.Min(buffer.Length, _end - _start);
        _step.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
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
