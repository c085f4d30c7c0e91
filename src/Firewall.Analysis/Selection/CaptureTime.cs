using System.Globalization;
using System.Text.RegularExpressions;

namespace Firewall.Analysis.Selection;

/// <summary>
/// A point in capture time for <c>--since</c> and <c>--until</c>: RFC 3339 (ISO 8601 with a date, a
/// time and an offset or Z), e.g. <c>2024-05-01T12:00:00Z</c>, <c>2024-05-01 14:00:00.25+02:00</c>, to
/// the nanosecond. An offset is required: a capture's timestamps are UTC, and a time without one would be
/// read in whatever zone the machine is set to.
/// </summary>
public sealed partial record CaptureTime(long Nanoseconds, string Text)
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    public static CaptureTime? Parse(string text, out string error)
    {
        error = "";
        var m = Rfc3339().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not an RFC 3339 time: expected YYYY-MM-DDTHH:MM:SS[.fraction] and Z or an offset (+02:00), e.g. 2024-05-01T12:00:00Z";
            return null;
        }
        var zone = m.Groups[4].Value is "Z" or "z" ? "+00:00" : m.Groups[4].Value;
        if (!DateTimeOffset.TryParseExact($"{m.Groups[1].Value}T{m.Groups[2].Value}{zone}", "yyyy-MM-dd'T'HH:mm:sszzz",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            error = $"'{text}' is not a valid date and time";
            return null;
        }
        var fraction = m.Groups[3].Value;
        var nanos = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(9, '0'), CultureInfo.InvariantCulture);
        var seconds = at.ToUnixTimeSeconds();
        if (seconds is < -9_223_372_036L or > 9_223_372_035L)
        {
            error = $"'{text}' is outside the range of capture timestamps";
            return null;
        }
        return new CaptureTime(seconds * 1_000_000_000L + nanos, text);
    }
}
