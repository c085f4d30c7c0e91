using System.Globalization;
using System.Text;
using Firewall.Analysis.Summaries;
using Firewall.Reporting.Formatting;

namespace Firewall.Reporting.Html;

/// <summary>What every section of the HTML page writes with: its heading and lead, escaped text, numbers, shares and counts.</summary>
internal static class HtmlMarkup
{
    public static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Section(StringBuilder h, string id, string title, string lead)
    {
        // `lead` is written by the sections; the parts of it that come from input are escaped by the caller.
        h.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(title).Append("</h2>\n<p class=\"lead\">").Append(lead).Append("</p>\n");
    }

    /// <summary>A reference with its packets, flows and what it is, as the denying-rules and engine tables show it.</summary>
    public static void RuleCountRow(StringBuilder h, RuleCount c)
    {
        h.Append("<tr><td><code>").Append(E(c.Rule.Reference)).Append("</code></td><td class=\"num\">").Append(N(c.Packets))
            .Append("</td><td class=\"num\">").Append(N(c.Flows)).Append("</td><td>").Append(E(c.Rule.Description)).Append("</td></tr>\n");
    }

    public static string E(string? text) => HtmlText.Escape(text);

    public static string N(long value) => value.ToString("N0", C);

    public static string Share(long part, long whole) => whole == 0 ? "" : $"{(100.0 * part / whole).ToString("0.0", C)}%";

    public static string Count(long n, string singular, string? plural = null) => CountText.Grouped(n, singular, plural);
}
