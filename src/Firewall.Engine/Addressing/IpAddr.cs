using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Firewall.Engine.Addressing;

/// <summary>
/// An IPv4 or IPv6 address as a 128-bit value with its family, comparable and hashable without
/// allocation. IPv4 addresses live in the low 32 bits of <see cref="Lo"/>; <see cref="Hi"/> is 0.
/// </summary>
public readonly struct IpAddr : IEquatable<IpAddr>, IComparable<IpAddr>
{
    public readonly ulong Hi;
    public readonly ulong Lo;
    public readonly bool IsV6;

    private IpAddr(ulong hi, ulong lo, bool isV6)
    {
        Hi = hi;
        Lo = lo;
        IsV6 = isV6;
    }

    public static IpAddr FromV4(uint value) => new(0, value, false);

    public static IpAddr FromV6(ulong hi, ulong lo) => new(hi, lo, true);

    /// <summary>Reads a 4-byte (IPv4) or 16-byte (IPv6) address in network byte order.</summary>
    public static IpAddr FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => FromV4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => FromV6(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
        _ => throw new ArgumentException("an address is 4 or 16 bytes", nameof(bytes)),
    };

    public uint V4 => (uint)Lo;

    /// <summary>The address as one number (32 bits for IPv4, 128 for IPv6), for arithmetic over address ranges.</summary>
    public UInt128 Value => ((UInt128)Hi << 64) | Lo;

    /// <summary>The address whose <see cref="Value"/> is <paramref name="value"/>.</summary>
    public static IpAddr FromValue(UInt128 value, bool v6) => v6 ? FromV6((ulong)(value >> 64), (ulong)value) : FromV4((uint)value);

    public int BitLength => IsV6 ? 128 : 32;

    /// <summary>Writes the address in network byte order; returns the number of bytes written (4 or 16).</summary>
    public int WriteBytes(Span<byte> destination)
    {
        if (!IsV6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, V4);
            return 4;
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, Hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Lo);
        return 16;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out IpAddr address)
    {
        address = default;
        if (text.IsEmpty || !IPAddress.TryParse(text, out var ip))
        {
            return false;
        }
        // IPAddress accepts forms such as "10" or "1.2.3" and scope ids; we accept only canonical notations.
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            if (!IsDottedDecimal(text))
            {
                return false;
            }
        }
        else if (ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.ScopeId != 0 || text.Contains('%'))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out var written);
        address = FromBytes(bytes[..written]);
        return true;
    }

    /// <summary>
    /// Four decimal octets without leading zeros: IPAddress also takes "10", "1.2.3", octal "010.0.0.1"
    /// and hex "0x0a.0.0.1", each of which means something else to someone; a ruleset must not guess.
    /// </summary>
    private static bool IsDottedDecimal(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }
            foreach (var c in part)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }
        }
        return parts == 4;
    }

    public static IpAddr Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"not an IP address: '{text}'");

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteBytes(bytes);
        return new IPAddress(bytes[..n]);
    }

    public override string ToString() => ToIPAddress().ToString();

    /// <summary>Formats into a character span without allocating; false when the span is too short.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        if (!IsV6)
        {
            charsWritten = 0;
            var v = V4;
            for (var i = 3; i >= 0; i--)
            {
                if (!((byte)(v >> (i * 8))).TryFormat(destination[charsWritten..], out var w))
                {
                    return false;
                }
                charsWritten += w;
                if (i > 0)
                {
                    if (charsWritten >= destination.Length)
                    {
                        return false;
                    }
                    destination[charsWritten++] = '.';
                }
            }
            return true;
        }
        return ToIPAddress().TryFormat(destination, out charsWritten);
    }

    public bool Equals(IpAddr other) => Hi == other.Hi && Lo == other.Lo && IsV6 == other.IsV6;

    public override bool Equals(object? obj) => obj is IpAddr other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Hi, Lo, IsV6);

    public int CompareTo(IpAddr other)
    {
        if (IsV6 != other.IsV6)
        {
            return IsV6 ? 1 : -1;
        }
        var c = Hi.CompareTo(other.Hi);
        return c != 0 ? c : Lo.CompareTo(other.Lo);
    }

    public static bool operator ==(IpAddr a, IpAddr b) => a.Equals(b);

    public static bool operator !=(IpAddr a, IpAddr b) => !a.Equals(b);
}
