using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Firewall.Capture.Reading;

/// <summary>
/// Streams packet records out of a pcap or pcapng capture, optionally gzip-compressed, from a file or a
/// non-seekable stream. One reusable buffer, no allocation per record. The only exceptions are
/// <see cref="CaptureFormatException"/> (while opening: not a capture) and <see cref="IOException"/>
/// (real I/O errors); damage later in the input ends reading with a <see cref="CaptureWarning"/>.
/// </summary>
public sealed partial class CaptureReader : IDisposable
{
    /// <summary>
    /// Largest packet record accepted: libpcap's MAXIMUM_SNAPLEN (pcap-int.h). A pcap record claiming more
    /// is taken as corruption; a longer pcapng packet is cut to this length with a warning.
    /// </summary>
    public const int MaxCapturedLength = 262_144;

    /// <summary>
    /// Largest pcapng block accepted. Blocks are skipped by streaming, never buffered whole, so this only
    /// separates plausible blocks from corrupted length fields (Wireshark's wiretap uses a similar bound).
    /// </summary>
    public const long MaxBlockLength = 256L * 1024 * 1024;

    /// <summary>
    /// How much of an Interface Description Block is examined for options; the rest of a larger block
    /// (only long comments make one) is skipped.
    /// </summary>
    public const int MaxMetadataLength = 1024 * 1024;

    /// <summary>Interfaces remembered per pcapng section; packets on interfaces past this are of unknown link type.</summary>
    public const int MaxInterfacesPerSection = 4096;

    private const int CompressedReadLength = 4096;

    // Header + the largest record, or the largest metadata prefix, whichever is larger, with room to spare.
    private const int BufferCapacity = MaxMetadataLength + 64 * 1024;

    private readonly ByteSource _source;
    private readonly List<CaptureWarning> _warnings = [];
    private bool _finished;
    private long _frames;

    private CaptureReader(ByteSource source, string displayName, CaptureFormat format, bool compressed)
    {
        _source = source;
        DisplayName = displayName;
        Format = format;
        IsCompressed = compressed;
    }

    /// <summary>The name given when opening (the path, or "-" for standard input), as messages show it.</summary>
    public string DisplayName { get; }

    /// <summary>pcap or pcapng, from the file's magic number.</summary>
    public CaptureFormat Format { get; }

    /// <summary>The capture was gzip-compressed and is inflated while read.</summary>
    public bool IsCompressed { get; }

    /// <summary>
    /// The input cannot seek: a pipe, a FIFO, a terminal. Data may arrive slowly, as a live capture writes
    /// it (<c>tcpdump -w - | firewall check -</c>), rather than as fast as a disk reads.
    /// </summary>
    public bool IsLive { get; private set; }

    /// <summary>Called before each read of the input, which on a live input may wait for data (see <see cref="IsLive"/>).</summary>
    public Action? BeforeRead
    {
        get => _source.BeforeFill;
        set => _source.BeforeFill = value;
    }

    /// <summary>Frames returned so far; the frame number of the last record.</summary>
    public long FramesRead => _frames;

    /// <summary>Damage found so far (truncated end, corrupt lengths, oversized packets).</summary>
    public IReadOnlyList<CaptureWarning> Warnings => _warnings;

    /// <summary>Opens a capture file, or standard input for "-", and reads its file header.</summary>
    /// <param name="path">A pcap or pcapng file, gzip-compressed or not; "-" for standard input.</param>
    /// <param name="readAhead">Inflate a gzip-compressed capture on a thread of its own (when the run may use several cores).</param>
    /// <exception cref="CaptureFormatException">The file is not a capture this reader understands.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static CaptureReader Open(string path, bool readAhead = false)
    {
        if (path == "-")
        {
            PipeBuffer.Widen(0);
        }
        var stream = path == "-"
            ? Console.OpenStandardInput()
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return Open(stream, path, readAhead);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a capture from a stream that is read forward only; the reader owns and disposes it.</summary>
    /// <param name="stream">The capture's bytes, from the start of its file header.</param>
    /// <param name="displayName">The name messages and <see cref="CaptureFormatException"/> give the capture.</param>
    /// <param name="readAhead">Inflate a gzip-compressed capture on a thread of its own (when the run may use several cores).</param>
    /// <exception cref="CaptureFormatException">The input is not a capture this reader understands.</exception>
    public static CaptureReader Open(Stream stream, string displayName, bool readAhead = false)
    {
        Span<byte> magic = stackalloc byte[4];
        var n = ByteSource.ReadAtMost(stream, magic);
        var compressed = n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        ByteSource source;
        if (compressed)
        {
            // Inflated in fixed small steps: damage loses only the step it is found in, the same one whether
            // the other thread inflates ahead (handing over every byte of the steps before the failure) or not.
            var inflated = new SteppedReadStream(ByteSource.Gunzip(magic[..n], stream), CompressedReadLength);
            source = new ByteSource(readAhead ? new ReadAheadStream(inflated) : inflated, BufferCapacity, []);
        }
        else
        {
            source = new ByteSource(stream, BufferCapacity, magic[..n]);
        }
        try
        {
            // Damage further into a gzip stream is found here already (the first fill reads ahead); it is
            // reported as a warning where reading reaches it, unless it leaves no magic to look at.
            if (!source.Ensure(4) && source.StreamError is { } streamError)
            {
                throw new CaptureFormatException(displayName, $"gzip-compressed input: {streamError}");
            }
            var head = source.Peek(Math.Min(4, source.Available));
            CaptureReader reader;
            if (head.Length == 4 && IsPcapMagic(head))
            {
                reader = new CaptureReader(source, displayName, CaptureFormat.Pcap, compressed);
                reader.ReadPcapFileHeader();
            }
            else if (head.Length == 4 && head.SequenceEqual(PcapngSectionHeaderType))
            {
                reader = new CaptureReader(source, displayName, CaptureFormat.Pcapng, compressed);
                reader.ReadFirstSectionHeader();
            }
            else
            {
                throw new CaptureFormatException(displayName, DescribeNotACapture(head, compressed));
            }
            reader.IsLive = !stream.CanSeek;
            return reader;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next packet record. False at the end of input, including an end forced by damage (see
    /// <see cref="Warnings"/>). The record's data is valid until the next call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadNext(out CaptureRecord record)
    {
        record = default;
        if (_finished)
        {
            return false;
        }
        return Format == CaptureFormat.Pcap ? TryReadPcapRecord(out record) : TryReadPcapngPacket(out record);
    }

    public void Dispose() => _source.Dispose();

    private void Warn(long byteOffset, string message) => _warnings.Add(new CaptureWarning(_frames + 1, byteOffset, message));

    /// <summary>Records why reading ends here, then ends it.</summary>
    private bool Stop(long byteOffset, string message)
    {
        Warn(byteOffset, message);
        _finished = true;
        return false;
    }

    /// <summary>
    /// The input ended inside a record or block. A damaged gzip stream is named as the cause rather than
    /// the truncation it produced.
    /// </summary>
    private bool StopTruncated(long byteOffset, string what, long expected)
    {
        var present = _source.Position + _source.Available - byteOffset;
        var message = _source.StreamError is { } streamError
            ? $"{streamError}; reading stopped inside {what}"
            : $"the input ends inside {what}: {expected} bytes expected, {present} present (truncated capture)";
        return Stop(byteOffset, message);
    }

    private static string DescribeNotACapture(ReadOnlySpan<byte> head, bool compressed)
    {
        var where = compressed ? "the gzip-compressed data " : "";
        if (head.IsEmpty)
        {
            return compressed
                ? "not a capture file: the gzip-compressed data is empty"
                : "not a capture file: it is empty";
        }
        var hex = new StringBuilder();
        var text = new StringBuilder();
        foreach (var b in head)
        {
            hex.Append(hex.Length == 0 ? "" : " ").Append(b.ToString("x2"));
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }
        var shortNote = head.Length < 4 ? $", only {head.Length} byte{(head.Length == 1 ? "" : "s")}" : "";
        return $"not a capture file: {where}starts with {hex} ('{text}'{shortNote}); expected a pcap, pcapng or gzip magic";
    }

    private static ReadOnlySpan<byte> PcapngSectionHeaderType => [0x0a, 0x0d, 0x0d, 0x0a];

    private static bool IsPcapMagic(ReadOnlySpan<byte> head)
    {
        var le = BinaryPrimitives.ReadUInt32LittleEndian(head);
        return le is PcapMagicMicro or PcapMagicNano or PcapMagicModified
            || BinaryPrimitives.ReverseEndianness(le) is PcapMagicMicro or PcapMagicNano or PcapMagicModified;
    }
}
