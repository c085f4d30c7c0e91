using Firewall.Engine.Addressing;

namespace Firewall.Reporting.Decode;

/// <summary>
/// Formats addresses without allocating. IPv6 follows the BSD inet_ntop that Wireshark uses
/// (RFC 5952 compression: lowercase, longest run of two or more zero groups as "::", the first on a tie;
/// IPv4-mapped and IPv4-compatible addresses end in dotted quad), so the text compares equal to tshark's.
/// </summary>
internal static class AddressText
{
    /// <summary>Longest text: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is 45 characters.</summary>
    public const int MaxLength = 45;

    public static int Format(in IpAddr address, Span<char> destination)
    {
        if (!address.IsV6)
        {
            address.TryFormat(destination, out var written);
            return written;
        }
        Span<ushort> words = stackalloc ushort[8];
        for (var i = 0; i < 4; i++)
        {
            words[i] = (ushort)(address.Hi >> (48 - 16 * i));
            words[i + 4] = (ushort)(address.Lo >> (48 - 16 * i));
        }
        var (bestStart, bestLength) = LongestZeroRun(words);
        var n = 0;
        for (var i = 0; i < 8; i++)
        {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength)
            {
                if (i == bestStart)
                {
                    destination[n++] = ':';
                }
                continue;
            }
            if (i != 0)
            {
                destination[n++] = ':';
            }
            // ::a.b.c.d (compatible) and ::ffff:a.b.c.d (mapped), as BSD inet_ntop6 prints them.
            if (i == 6 && bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                var v4 = IpAddr.FromV4((uint)address.Lo);
                v4.TryFormat(destination[n..], out var written);
                return n + written;
            }
            words[i].TryFormat(destination[n..], out var w, "x");
            n += w;
        }
        if (bestStart >= 0 && bestStart + bestLength == 8)
        {
            destination[n++] = ':';
        }
        return n;
    }

    /// <summary>The longest run of two or more zero groups, the first on a tie; start -1 when there is none.</summary>
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> words)
    {
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (words[i] != 0)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < 8 && words[i] == 0)
            {
                i++;
            }
            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }
        return bestLength < 2 ? (-1, bestLength) : (bestStart, bestLength);
    }
}
