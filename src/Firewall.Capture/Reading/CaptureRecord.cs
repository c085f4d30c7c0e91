namespace Firewall.Capture.Reading;

/// <summary>
/// One packet record of a capture. <see cref="Data"/> points into the reader's buffer and is valid only
/// until the next call to <see cref="CaptureReader.TryReadNext"/>; nothing is copied or allocated.
/// </summary>
public readonly ref struct CaptureRecord
{
    public CaptureRecord(long frame, long timestampNs, ushort linkType, int originalLength, ReadOnlySpan<byte> data)
    {
        Frame = frame;
        TimestampNs = timestampNs;
        LinkType = linkType;
        OriginalLength = originalLength;
        Data = data;
    }

    /// <summary>Frame number, from 1 in file order, counting every record or block that carries a packet.</summary>
    public long Frame { get; }

    /// <summary>Nanoseconds since the Unix epoch (UTC); 0 for pcapng Simple Packet Blocks, which carry none.</summary>
    public long TimestampNs { get; }

    /// <summary>LINKTYPE_* value of the frame's interface; <see cref="LinkTypes.Unknown"/> when the interface is undefined.</summary>
    public ushort LinkType { get; }

    /// <summary>Bytes present in the record (= <see cref="Data"/>.Length).</summary>
    public int CapturedLength => Data.Length;

    /// <summary>Length of the frame on the wire, as the record states it.</summary>
    public int OriginalLength { get; }

    public ReadOnlySpan<byte> Data { get; }
}
