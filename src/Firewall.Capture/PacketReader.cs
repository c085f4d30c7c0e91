using System.Runtime.CompilerServices;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;

namespace Firewall.Capture;

/// <summary>
/// Reads and decodes a capture packet by packet into a caller-owned <see cref="PacketInfo"/>, counting
/// undecodable frames per reason. The hot loop of every command that replays a capture.
/// </summary>
/// <param name="capture">The capture to read, from <see cref="CaptureReader.Open(string, bool)"/>; the packet reader owns and disposes it.</param>
/// <param name="options">Decoding choices; <c>new DecoderOptions()</c> decodes as <c>firewall check</c> does by default.</param>
public sealed class PacketReader(CaptureReader capture, DecoderOptions options) : IDisposable
{
    /// <summary>The capture being read: its format, frames read so far and warnings about damage.</summary>
    public CaptureReader Capture { get; } = capture;

    /// <summary>The decoding choices it was made with.</summary>
    public DecoderOptions Options { get; } = options;

    /// <summary>Frames read so far and, per reason, those that could not be decoded.</summary>
    public DecodeCounts Counts { get; } = new();

    /// <summary>
    /// Decodes the next frame into <paramref name="info"/>, overwriting every field; false at the end of the
    /// capture. A frame that cannot be decoded is still returned, with <see cref="PacketInfo.Error"/> set.
    /// Damage part-way through a file ends reading with a warning in <see cref="CaptureReader.Warnings"/>;
    /// only a real I/O error throws (<see cref="IOException"/>).
    /// </summary>
    /// <param name="info">Reuse one for the whole capture: nothing is allocated per frame.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadNext(ref PacketInfo info)
    {
        if (!Capture.TryReadNext(out var record))
        {
            return false;
        }
        PacketDecoder.Decode(record, Options, ref info);
        Counts.Count(in info);
        return true;
    }

    /// <summary>Closes the capture.</summary>
    public void Dispose() => Capture.Dispose();
}

/// <summary>
/// Frames read; per <see cref="DecodeError"/>, frames that could not be decoded; the link types that made
/// frames undecodable, so that a run that decoded nothing can say which link type it met; and the frames
/// the decoder read in spite of something wrong with them, which it reports as warnings.
/// </summary>
public sealed class DecodeCounts
{
    /// <summary>Distinct unsupported link types remembered; a capture rarely declares more than a few.</summary>
    public const int MaxUnsupportedLinkTypes = 16;

    private readonly long[] _byError = new long[Enum.GetValues<DecodeError>().Max(e => (int)e) + 1];
    private readonly ushort[] _unsupported = new ushort[MaxUnsupportedLinkTypes];
    private int _unsupportedCount;

    // Per IP version found (4, 6): frames of a raw-IP link type naming the other version, and the first one.
    private readonly long[] _versionMismatches = new long[7];
    private readonly long[] _firstVersionMismatch = new long[7];

    public long Frames { get; private set; }

    public long Undecodable => Frames - _byError[(int)DecodeError.None];

    public long this[DecodeError error] => _byError[(int)error];

    /// <summary>The link types of frames counted as <see cref="DecodeError.UnsupportedLinkType"/>, in order of first sight.</summary>
    public IReadOnlyList<ushort> UnsupportedLinkTypes => _unsupported[.._unsupportedCount];

    /// <summary>Frames with <see cref="PacketFlags.IpVersionMismatch"/>: IPv6 on LINKTYPE_IPV4 and IPv4 on LINKTYPE_IPV6.</summary>
    public long IpVersionMismatches => _versionMismatches[4] + _versionMismatches[6];

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

    public void Count(in PacketInfo info)
    {
        Count(info.Error, info.LinkType);
        if (info.Has(PacketFlags.IpVersionMismatch))
        {
            // Counted whether or not the rest of the frame decoded: the link type is what was wrong.
            var version = info.LinkType == LinkTypes.Ipv4 ? 6 : 4;
            if (_versionMismatches[version]++ == 0)
            {
                _firstVersionMismatch[version] = info.Frame;
            }
        }
    }

    /// <summary>What the decoder read in spite of the capture, in words, for the CLI's warnings (after the reader's).</summary>
    public IEnumerable<string> Warnings()
    {
        foreach (var (version, linkType) in new[] { (6, "IPV4 (228)"), (4, "IPV6 (229)") })
        {
            var n = _versionMismatches[version];
            if (n > 0)
            {
                yield return $"frame {_firstVersionMismatch[version]}: {n} frame{(n == 1 ? "" : "s")} of link type {linkType} "
                    + $"hold{(n == 1 ? "s" : "")} IPv{version}; decoded by the IP version nibble, as tcpdump does";
            }
        }
    }
}
