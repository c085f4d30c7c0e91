namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Input that fails as a disk or a pipe can: it yields the first <paramref name="failAt"/> bytes of
/// <paramref name="bytes"/>, then throws <see cref="IOException"/> on the next read.
/// </summary>
internal sealed class FailingStream(byte[] bytes, int failAt) : MemoryStream(bytes, 0, failAt, writable: false)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = base.Read(buffer, offset, count);
        return read > 0 || count == 0 ? read : throw new IOException("Input/output error (simulated)");
    }

    public override int Read(Span<byte> buffer)
    {
        var copy = new byte[buffer.Length];
        var read = Read(copy, 0, copy.Length);
        copy.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    public override int ReadByte()
    {
        var one = new byte[1];
        return Read(one, 0, 1) == 1 ? one[0] : -1;
    }
}
