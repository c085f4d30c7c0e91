using System.Globalization;
using Firewall.Rulesets.Yaml;

namespace Firewall.Flows.Loading;

/// <summary>Durations, timestamps and counts as flows and test files write them; each reports "key: expected …, found …".</summary>
internal static class YamlValues
{
    public const string DurationExpected = "a duration such as 40s, 250ms, 2m, 1h or 1.5s";
    public const string TimeExpected = "an RFC 3339 UTC time such as 2026-01-01T10:00:00Z";

    /// <summary>A non-negative duration with a unit (ns, us, ms, s, m, h): a bare number is refused as ambiguous.</summary>
    public static bool TryDuration(ScalarField field, DiagnosticBag bag, out long ns)
    {
        if (TryParseDuration(field.Text, out ns))
        {
            return true;
        }
        bag.Add(field.Value, $"{field.Key.Value}: expected {DurationExpected}, found '{ScalarNode.Shorten(field.Text)}'");
        return false;
    }

    public static bool TryParseDuration(string text, out long ns)
    {
        ns = 0;
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }
        if (i == 0 || i == text.Length || !decimal.TryParse(text.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        decimal unit = text[i..] switch
        {
            "ns" => 1m,
            "us" or "µs" => 1_000m,
            "ms" => 1_000_000m,
            "s" => 1_000_000_000m,
            "m" => 60_000_000_000m,
            "h" => 3_600_000_000_000m,
            "d" => 86_400_000_000_000m,
            _ => 0m,
        };
        // Bounded at 100 days: far beyond every tracking timeout (5 days at most) and safe from overflow.
        if (unit == 0m || value * unit > 8_640_000_000_000_000m)
        {
            return false;
        }
        ns = (long)(value * unit);
        return true;
    }

    /// <summary>An RFC 3339 time with a zone (Z or an offset), as nanoseconds since the Unix epoch.</summary>
    public static bool TryTime(ScalarField field, DiagnosticBag bag, out long ns)
    {
        if (TryParseTime(field.Text, out ns))
        {
            return true;
        }
        bag.Add(field.Value, $"{field.Key.Value}: expected {TimeExpected}, found '{ScalarNode.Shorten(field.Text)}'");
        return false;
    }

    public static bool TryParseTime(string text, out long ns)
    {
        ns = 0;
        var t = text.IndexOf('T') >= 0 ? text : text.Replace(' ', 'T');
        var hasZone = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':');
        if (!hasZone || t.IndexOf('T') != 10
            || !DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            || time.Year < 1970 || time.Year > 2200)
        {
            return false;
        }
        ns = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return true;
    }

    public static bool TryCount(ScalarField field, int min, int max, DiagnosticBag bag, out int value)
    {
        value = 0;
        if (field.Text.Length is > 0 and <= 10 && field.Text.All(char.IsAsciiDigit)
            && long.TryParse(field.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            value = (int)n;
            return true;
        }
        bag.Add(field.Value, $"{field.Key.Value}: expected a whole number {min}-{max}, found '{ScalarNode.Shorten(field.Text)}'");
        return false;
    }

    /// <summary>Column of character <paramref name="offset"/> of a scalar's text (quoted scalars start one column later).</summary>
    public static int ColumnOf(ScalarNode node, int offset) => node.Column + offset + (node.IsPlain ? 0 : 1);
}
