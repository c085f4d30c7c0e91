using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Text;

/// <summary>How much of the text report to write, and in what colours.</summary>
public sealed record TextReportOptions
{
    public static readonly TextReportOptions Default = new();

    /// <summary>Only the verdict, the header and the totals (packets and flows): no rule tables.</summary>
    public bool SummaryOnly { get; init; }

    /// <summary>Every assumption in a table, instead of one line counting them by source.</summary>
    public bool ListAssumptions { get; init; }

    public TextPalette Palette { get; init; } = TextPalette.Plain;
}
