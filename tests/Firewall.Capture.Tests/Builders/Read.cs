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
internal sealed class PipeLikeStream(byte[] data, int maxChunk = 7) : ForwardReadStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, maxChunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
