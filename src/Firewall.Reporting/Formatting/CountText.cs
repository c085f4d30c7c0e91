using System.Globalization;

namespace Firewall.Reporting.Formatting;

/// <summary>A count with its noun, singular for one: "1 flow", "3 flows", "2 classes".</summary>
internal static class CountText
{
    public static string Of(long n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{n} {plural ?? singular + "s"}";

    /// <summary>As <see cref="Of"/>, the number with thousands separators ("12,345 flows").</summary>
    public static string Grouped(long n, string singular, string? plural = null) =>
        n == 1 ? $"1 {singular}" : $"{Number(n)} {plural ?? singular + "s"}";

    /// <summary>The number with thousands separators ("12,345").</summary>
    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
