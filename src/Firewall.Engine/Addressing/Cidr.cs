namespace Firewall.Engine.Addressing;

/// <summary>An IPv4 or IPv6 network in canonical form (no host bits set).</summary>
public readonly struct Cidr : IEquatable<Cidr>
{
    public readonly IpAddr Network;
    public readonly byte PrefixLength;
    private readonly ulong _maskHi;
    private readonly ulong _maskLo;

    private Cidr(IpAddr network, byte prefixLength, ulong maskHi, ulong maskLo)
    {
        Network = network;
        PrefixLength = prefixLength;
        _maskHi = maskHi;
        _maskLo = maskLo;
    }

    public bool IsV6 => Network.IsV6;

    /// <summary>True for 0.0.0.0/0 and ::/0, the "all traffic" CIDRs AWS names for untracked flows.</summary>
    public bool IsAll => PrefixLength == 0;

    public static Cidr AllV4 { get; } = Create(IpAddr.FromV4(0), 0);

    public static Cidr AllV6 { get; } = Create(IpAddr.FromV6(0, 0), 0);

    /// <summary>The network of <paramref name="address"/> with the given prefix (host bits cleared).</summary>
    public static Cidr Create(IpAddr address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, address.BitLength);
        var (maskHi, maskLo) = Masks(address.IsV6, prefixLength);
        var network = address.IsV6
            ? IpAddr.FromV6(address.Hi & maskHi, address.Lo & maskLo)
            : IpAddr.FromV4((uint)(address.Lo & maskLo));
        return new Cidr(network, (byte)prefixLength, maskHi, maskLo);
    }

    public static Cidr Host(IpAddr address) => Create(address, address.BitLength);

    private static (ulong Hi, ulong Lo) Masks(bool v6, int prefix)
    {
        if (!v6)
        {
            var m = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            return (0, m);
        }
        var hi = prefix == 0 ? 0UL : prefix >= 64 ? ulong.MaxValue : ulong.MaxValue << (64 - prefix);
        var lo = prefix <= 64 ? 0UL : prefix == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefix);
        return (hi, lo);
    }

    public bool Contains(IpAddr address) =>
        address.IsV6 == Network.IsV6
        && (address.Hi & _maskHi) == Network.Hi
        && (address.Lo & _maskLo) == Network.Lo;

    /// <summary>True when the two networks share any address.</summary>
    public bool Overlaps(Cidr other) =>
        IsV6 == other.IsV6 && (PrefixLength <= other.PrefixLength ? Contains(other.Network) : other.Contains(Network));

    /// <summary>The outcome of parsing CIDR text; with <see cref="ParseStatus.HostBitsSet"/> the parsed network is still returned in canonical form.</summary>
    public enum ParseStatus
    {
        Ok,
        Malformed,
        HostBitsSet,
    }

    /// <summary>
    /// Parses "a.b.c.d/n" or "x::y/n". A bare address is refused (AWS requires /32 or /128). When host
    /// bits are set the status is <see cref="ParseStatus.HostBitsSet"/> and <paramref name="cidr"/> holds the
    /// canonical network so that the caller can say what was meant.
    /// </summary>
    public static ParseStatus TryParse(ReadOnlySpan<char> text, out Cidr cidr)
    {
        cidr = default;
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            return ParseStatus.Malformed;
        }
        if (!IpAddr.TryParse(text[..slash], out var address))
        {
            return ParseStatus.Malformed;
        }
        var prefixText = text[(slash + 1)..];
        if (prefixText.Length > 3 || (prefixText.Length > 1 && prefixText[0] == '0') || !int.TryParse(prefixText, System.Globalization.NumberStyles.None, null, out var prefix)
            || prefix > address.BitLength)
        {
            return ParseStatus.Malformed;
        }
        cidr = Create(address, prefix);
        return cidr.Network == address ? ParseStatus.Ok : ParseStatus.HostBitsSet;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr) == ParseStatus.Ok ? cidr : throw new FormatException($"not a canonical CIDR: '{text}'");

    public override string ToString() => $"{Network}/{PrefixLength}";

    public bool Equals(Cidr other) => Network == other.Network && PrefixLength == other.PrefixLength;

    public override bool Equals(object? obj) => obj is Cidr other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Network, PrefixLength);

    public static bool operator ==(Cidr a, Cidr b) => a.Equals(b);

    public static bool operator !=(Cidr a, Cidr b) => !a.Equals(b);
}
