using Firewall.Capture.Reading;

namespace Firewall.Capture.Tests.Builders;

internal sealed record Rec(long Frame, long TimestampNs, ushort LinkType, int OriginalLength, byte[] Data);

internal static class Read
{
    public static (List<Rec> Records, IReadOnlyList<CaptureWarning> Warnings) All(byte[] capture, string name = "test.pcap")
    {
        using var reader = CaptureReader.Open(new MemoryStream(capture, writable: false), name);
        return All(reader);
    }

    public static (List<Rec> Records, IReadOnlyList<CaptureWarning> Warnings) All(CaptureReader reader)
    {
        var records = new List<Rec>();
        while (reader.TryReadNext(out var r))
        {
            records.Add(new Rec(r.Frame, r.TimestampNs, r.LinkType, r.OriginalLength, r.Data.ToArray()));
        }
        return (records, reader.Warnings);
    }
}

/// <summary>A stream that refuses to seek and hands out few bytes per read, like a pipe.</summary>
internal sealed class PipeLikeStream(byte[] data, int maxChunk = 7) : Stream
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, maxChunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

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
