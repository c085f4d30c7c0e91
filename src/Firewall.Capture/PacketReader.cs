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
        Counts.Count(info.Error);
        return true;
    }

    public void Dispose() => Capture.Dispose();
}

/// <summary>Frames read and, per <see cref="DecodeError"/>, frames that could not be decoded.</summary>
public sealed class DecodeCounts
{
    private readonly long[] _byError = new long[Enum.GetValues<DecodeError>().Max(e => (int)e) + 1];

    public long Frames { get; private set; }

    public long Undecodable => Frames - _byError[(int)DecodeError.None];

    public long this[DecodeError error] => _byError[(int)error];

    public void Count(DecodeError error)
    {
        Frames++;
        _byError[(int)error]++;
    }
}
