using System.Runtime.CompilerServices;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;

namespace Firewall.Capture;

/// <summary>
/// Reads and decodes a capture packet by packet into a caller-owned <see cref="PacketInfo"/>, counting
/// undecodable frames per reason. The hot loop of every command that replays a capture.
/// </summary>
public sealed class PacketReader(CaptureReader capture, DecoderOptions options) : IDisposable
{
    public CaptureReader Capture { get; } = capture;

    public DecoderOptions Options { get; } = options;

    public DecodeCounts Counts { get; } = new();

    /// <summary>Decodes the next frame into <paramref name="info"/>; false at the end of the capture.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadNext(ref PacketInfo info)
    {
        if (!Capture.TryReadNext(out var record))
        {
            return false;
        }
        PacketDecoder.Decode(record, Options, ref info);
        Counts.Count(info.Error, info.LinkType);
        return true;
    }

    public void Dispose() => Capture.Dispose();
}

/// <summary>
/// Frames read and, per <see cref="DecodeError"/>, frames that could not be decoded; and the link types
/// that made frames undecodable, so that a run that decoded nothing can say which link type it met.
/// </summary>
public sealed class DecodeCounts
{
    /// <summary>Distinct unsupported link types remembered; a capture rarely declares more than a few.</summary>
    public const int MaxUnsupportedLinkTypes = 16;

    private readonly long[] _byError = new long[Enum.GetValues<DecodeError>().Max(e => (int)e) + 1];
    private readonly ushort[] _unsupported = new ushort[MaxUnsupportedLinkTypes];
    private int _unsupportedCount;

    public long Frames { get; private set; }

    public long Undecodable => Frames - _byError[(int)DecodeError.None];

    public long this[DecodeError error] => _byError[(int)error];

    /// <summary>The link types of frames counted as <see cref="DecodeError.UnsupportedLinkType"/>, in order of first sight.</summary>
    public IReadOnlyList<ushort> UnsupportedLinkTypes => _unsupported[.._unsupportedCount];

    public void Count(DecodeError error, ushort linkType = 0)
    {
        Frames++;
        _byError[(int)error]++;
        if (error == DecodeError.UnsupportedLinkType)
        {
            Remember(linkType);
        }
    }

    private void Remember(ushort linkType)
    {
        for (var i = 0; i < _unsupportedCount; i++)
        {
            if (_unsupported[i] == linkType)
            {
                return;
            }
        }
        if (_unsupportedCount < _unsupported.Length)
        {
            _unsupported[_unsupportedCount++] = linkType;
        }
    }
}
