using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Html;

/// <summary>
/// The report of the shipped sample, opened in a real browser (Debian's headless Chromium): what a
/// person sees must be the numbers <c>check</c> prints, every chart, and the fixes <c>replies</c> prints.
/// </summary>
public sealed partial class BrowserTests
{
    [SkippableFact]
    public void Rendered_page_shows_the_headline_numbers_of_check()
    {
        Skip.If(Chromium.Unavailable is not null, Chromium.Unavailable);
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        var dom = Chromium.DumpDom(dir.File("report.html"));

        var check = InProcessCli.Run([.. WebTierSample.Args("check"), "--format", "json"]);
        Assert.Equal(0, check.ExitCode);
        var summary = JsonDocument.Parse(check.Out).RootElement.GetProperty("summary");
        var totals = summary.GetProperty("totals");
        var flows = summary.GetProperty("flow_totals");

        var stats = StatValue().Matches(dom).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));
        Assert.Equal(totals.GetProperty("packets").GetInt64(), stats["packets"]);
        Assert.Equal(totals.GetProperty("allowed").GetInt64(), stats["allowed"]);
        Assert.Equal(totals.GetProperty("denied").GetInt64(), stats["denied"]);
        Assert.Equal(totals.GetProperty("skipped").GetInt64() + totals.GetProperty("undecodable").GetInt64(), stats["skipped"]);
        Assert.Equal(flows.GetProperty("total").GetInt64(), stats["flows"]);
        Assert.Equal(flows.GetProperty("reply-denied").GetInt64(), stats["reply-denied"]);
        Assert.Equal(flows.GetProperty("stateful_only").GetInt64(), stats["stateful-only"]);
        // The sample is made to have drops of every kind; a report of zeros would pass the equalities above.
        Assert.True(stats["denied"] > 0 && stats["reply-denied"] > 0 && stats["stateful-only"] > 0);

        // The numbers as a person reads them, too: the visible text of each card.
        var shown = stats["packets"].ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"id=\"stat-packets\"><span class=\"value\" data-value=\"{stats["packets"]}\">{shown}</span>", dom);
    }

    [SkippableFact]
    public void Rendered_page_has_every_chart_with_bars_and_legend()
    {
        Skip.If(Chromium.Unavailable is not null, Chromium.Unavailable);
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        var dom = Chromium.DumpDom(dir.File("report.html"));

        var charts = new Dictionary<string, string[]>
        {
            ["chart-packets"] = ["allowed by a rule", "allowed as tracked", "denied at nacl-outbound", "denied at nacl-inbound", "denied at sg-outbound"],
            ["chart-flows"] = ["allowed", "request-denied", "reply-denied"],
            ["chart-talkers"] = ["requests denied (sent as client)", "replies denied (sent as server)"],
        };
        foreach (var (id, legend) in charts)
        {
            var svg = Element(dom, "svg", id);
            Assert.Contains("class=\"chart\"", svg);
            Assert.True(Regex.Count(svg, "<rect ") >= 3, $"{id} draws no bars");
            Assert.Contains("<text", svg);
            foreach (var entry in legend)
            {
                Assert.Contains($">{entry}</text>", svg);
            }
        }
        // Axis labels of the timeline are in seconds from the first packet (the sample lasts about 0.55 s).
        Assert.Contains(">0.5 s</text>", Element(dom, "svg", "chart-packets"));
    }

    [SkippableFact]
    public void Rendered_page_shows_the_fixes_that_replies_prints()
    {
        Skip.If(Chromium.Unavailable is not null, Chromium.Unavailable);
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        var dom = Chromium.DumpDom(dir.File("report.html"));

        var replies = InProcessCli.Run(WebTierSample.Args("replies"));
        Assert.Equal(0, replies.ExitCode);
        var fixes = replies.Out.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- { rule:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fixes);
        var section = Element(dom, "section", "replies");
        foreach (var fix in fixes)
        {
            Assert.Contains($"<code>{fix}</code>", section);
        }
        Assert.Contains("nacl:public-nacl:outbound:*", section);
    }

    [SkippableFact]
    public void Script_adds_filtering_and_the_page_reads_without_it()
    {
        Skip.If(Chromium.Unavailable is not null, Chromium.Unavailable);
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        var rows = Regex.Count(Element(File.ReadAllText(dir.File("report.html")), "table", "flow-table"), "<tr>") - 1;
        Assert.True(rows > 0);

        var withScript = Chromium.DumpDom(dir.File("report.html"));
        Assert.Contains("class=\"table-tools\"", withScript);
        Assert.Contains($"{rows} of {rows} rows", withScript);
        Assert.Contains("aria-label=\"Filter flows\"", withScript);

        // Chromium's switch that turns scripts off (--blink-settings=scriptEnabled=false) also stops
        // --dump-dom from printing, so the page is opened as a copy without its script instead.
        var html = File.ReadAllText(dir.File("report.html"));
        var script = html.IndexOf("<script>", StringComparison.Ordinal);
        Assert.True(script > 0);
        File.WriteAllText(dir.File("no-script.html"), html[..script] + html[(html.IndexOf("</script>", script, StringComparison.Ordinal) + "</script>".Length)..]);
        var without = Chromium.DumpDom(dir.File("no-script.html"));
        Assert.DoesNotContain("class=\"table-tools\"", without);
        Assert.Equal(rows, Regex.Count(Element(without, "table", "flow-table"), "<tr>") - 1);
        Assert.Contains("id=\"chart-packets\"", without);
    }

    [SkippableFact]
    public void Screenshot_is_a_full_width_picture()
    {
        Skip.If(Chromium.Unavailable is not null, Chromium.Unavailable);
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        Chromium.Screenshot(dir.File("report.html"), dir.File("report.png"), 1280, 2400);
        var png = File.ReadAllBytes(dir.File("report.png"));
        Assert.Equal(1280, ShotWidth(png));
        // A blank page compresses to a few KiB; the charts, tables and text make it far larger.
        Assert.True(png.Length > 100_000, $"the screenshot is only {png.Length} bytes: was anything drawn?");
    }

    [Fact]
    public void Committed_screenshot_is_a_png_shown_in_the_readme()
    {
        var png = File.ReadAllBytes(Repository.PathOf("docs/report-web-tier.png"));
        Assert.Equal(1280, ShotWidth(png));
        Assert.Contains("](docs/report-web-tier.png)", File.ReadAllText(Repository.PathOf("README.md")));
    }

    private static int ShotWidth(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }), "not a PNG");
        return BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)); // IHDR width
    }

    /// <summary>The markup of the element with this id, up to its matching end tag (elements of one name nest in neither page).</summary>
    private static string Element(string html, string tag, string id)
    {
        var at = html.IndexOf($" id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no element with id \"{id}\" in the page");
        var start = html.LastIndexOf($"<{tag} ", at, StringComparison.Ordinal);
        Assert.True(start >= 0 && html.IndexOf('>', start) > at, $"the element with id \"{id}\" is not a <{tag}>");
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        Assert.True(end > start, $"<{tag} id=\"{id}\"> is not closed");
        return html[start..(end + tag.Length + 3)];
    }

    [GeneratedRegex("id=\"stat-([a-z-]+)\"><span class=\"value\" data-value=\"(\\d+)\"")]
    private static partial Regex StatValue();
}
