namespace Firewall.Capture.Reading;

/// <summary>
/// What a pcapng Interface Description Block says about its packets: link type, snaplen and how to turn
/// timestamp units into nanoseconds (if_tsresol, if_tsoffset; draft-ietf-opsawg-pcapng §4.2).
/// </summary>
internal readonly struct PcapngInterface
{
    /// <summary>if_tsresol when absent: 10^-6 (microseconds).</summary>
    public const byte DefaultResolution = 6;

    public static readonly PcapngInterface Default = new(LinkTypes.Unknown, 0, DefaultResolution, 0);

    private readonly ulong _multiplier;   // decimal resolution finer than or equal to 1 ns is scaled up ...
    private readonly ulong _divisor;      // ... finer ones scaled down (0: the unit is below 10^-28 s, reads as 0)
    private readonly int _binaryShift;    // power-of-two resolution: units * 10^9 / 2^shift; -1 when decimal
    private readonly long _offsetNs;

    public PcapngInterface(ushort linkType, uint snapLength, byte resolution, long offsetSeconds)
    {
        LinkType = linkType;
        SnapLength = snapLength;
        _offsetNs = unchecked(offsetSeconds * 1_000_000_000);
        _binaryShift = -1;
        _multiplier = 1;
        _divisor = 1;
        var exponent = resolution & 0x7f;
        if ((resolution & 0x80) != 0)
        {
            // High bit set: the unit is 2^-exponent seconds.
            _binaryShift = exponent;
        }
        else if (exponent <= 9)
        {
            _multiplier = Pow10(9 - exponent);
        }
        else
        {
            _divisor = exponent - 9 <= 19 ? Pow10(exponent - 9) : 0;
        }
    }

    public ushort LinkType { get; }

    public uint SnapLength { get; }

    /// <summary>Timestamp units since the epoch to nanoseconds; wraps rather than throws on absurd values.</summary>
    public long ToNanoseconds(ulong units)
    {
        ulong ns;
        if (_binaryShift >= 0)
        {
            ns = (ulong)(((UInt128)units * 1_000_000_000) >> _binaryShift);
        }
        else if (_divisor == 0)
        {
            ns = 0;
        }
        else
        {
            ns = unchecked(units * _multiplier / _divisor);
        }
        return unchecked((long)ns + _offsetNs);
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }
}
