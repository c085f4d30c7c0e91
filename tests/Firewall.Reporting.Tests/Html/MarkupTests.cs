using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Html;

/// <summary>
/// The page is sound markup, self-contained, and escapes what comes from input. The writer emits markup
/// that is also well-formed XML, so it is parsed strictly here, and then checked for what XML allows but
/// HTML does not (a self-closed <c>&lt;div/&gt;</c> is an open tag to a browser, a <c>&lt;/</c> inside
/// a script ends it).
/// </summary>
public sealed partial class MarkupTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // HTML void elements (WHATWG HTML §13.1.2): the only HTML elements that may be written self-closed.
    private static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    // Elements that load something from elsewhere: none may appear in a self-contained page.
    private static readonly HashSet<string> Loading = ["link", "img", "iframe", "frame", "object", "embed", "base", "audio", "video", "source", "track", "picture", "image", "use", "feImage"];

    // Attributes a browser follows: only fragment references (#id) are allowed.
    private static readonly HashSet<string> UrlAttributes = ["href", "src", "srcset", "action", "formaction", "poster", "data", "background", "ping", "cite", "manifest", "codebase", "longdesc"];

    [Fact]
    public void Sample_report_is_well_formed_and_html_sound()
    {
        using var dir = new TempDir();
        var html = WebTierSample.Report(dir.File("report.html"));
        AssertSound(html);
    }

    [Fact]
    public void Sample_report_fetches_nothing()
    {
        using var dir = new TempDir();
        var html = WebTierSample.Report(dir.File("report.html"));
        AssertSelfContained(html);
        // A loose scan as well, for anything the structure walk could miss: the sample's page names no
        // absolute URL at all, except XML namespace names, which no browser fetches.
        foreach (Match m in Scheme().Matches(html))
        {
            Assert.Fail($"the page names an absolute URL: {m.Value}");
        }
    }

    [Fact]
    public void Sample_report_is_small_and_holds_every_section()
    {
        using var dir = new TempDir();
        var html = WebTierSample.Report(dir.File("report.html"));
        Assert.True(html.Length < 400_000, $"the sample's report is {html.Length} characters");
        foreach (var id in new[] { "totals", "timeline", "replies", "stateful", "talkers", "rules", "flows", "assumptions" })
        {
            Assert.Contains($"<section id=\"{id}\">", html);
            Assert.Contains($"<a href=\"#{id}\">", html);
        }
        Assert.Contains("@media print", html);
        // Never-hit rules are marked: the sample's ssh rule admits only the office, whose traffic is not in the capture.
        Assert.Matches("<tr class=\"never-hit\"><td>inbound</td><td class=\"num\">4</td><td>allow tcp 22 from 203.0.113.0/24", html);
    }

    [Fact]
    public void Text_from_the_ruleset_is_escaped()
    {
        using var dir = new TempDir();
        const string hostile = "<img src=http://evil.example/x.png onerror=alert(1)> & ]]> </script> \\x01 \\u0085 'q'";
        var yaml = File.ReadAllText(Repository.PathOf("rulesets/web-tier.yaml"))
            .Replace("description: https }", $"description: \"{hostile}\" }}")
            .Replace("name: web-tier", "name: \"web<b>tier</b>\"");
        Assert.Contains("evil.example", yaml);
        File.WriteAllText(dir.File("hostile.yaml"), yaml);
        var result = InProcessCli.Run("report", Repository.PathOf("samples/web-tier.pcapng"), "--ruleset", dir.File("hostile.yaml"), "-o", dir.File("report.html"), "--quiet");
        Assert.True(result.ExitCode == 0, result.Error);
        var html = File.ReadAllText(dir.File("report.html"));

        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>tier", html);
        Assert.Contains("&lt;img src=http://evil.example/x.png onerror=alert(1)&gt; &amp; ]]&gt; &lt;/script&gt; \ufffd \ufffd &#39;q&#39;", html);
        Assert.Contains("web&lt;b&gt;tier&lt;/b&gt;", html);
        AssertSound(html);
        AssertSelfContained(html);
    }

    [Fact]
    public void Flow_table_is_capped_with_a_note_and_denied_flows_first()
    {
        using var dir = new TempDir();
        var full = WebTierSample.Report(dir.File("full.html"));
        var capped = WebTierSample.Report(dir.File("capped.html"), "--max-flows", "3");
        var all = FlowRows().Matches(Table(full)).Count;
        var rows = FlowRows().Matches(Table(capped)).Select(m => m.Value).ToList();
        Assert.True(all > 3);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.DoesNotContain("o-allowed", r));
        Assert.Contains($"<p class=\"note\" id=\"flows-left-out\">{all - 3} flows are not shown", capped);
        Assert.DoesNotContain("flows-left-out", full);

        static string Table(string html) => html[html.IndexOf("id=\"flow-table\"", StringComparison.Ordinal)..];
    }

    [Fact]
    public void Synthetic_flows_report_like_check_does()
    {
        using var dir = new TempDir();
        string[] input = ["--flows", Repository.PathOf("samples/web-tier.flows.yaml"), "--ruleset", Repository.PathOf("rulesets/web-tier.yaml")];
        var result = InProcessCli.Run(["report", .. input, "-o", dir.File("flows.html")]);
        Assert.True(result.ExitCode == 0, result.Error);
        var html = File.ReadAllText(dir.File("flows.html"));
        AssertSound(html);
        var check = InProcessCli.Run(["check", .. input, "--format", "json"]);
        Assert.Equal(0, check.ExitCode);
        var totals = System.Text.Json.JsonDocument.Parse(check.Out).RootElement.GetProperty("summary").GetProperty("totals");
        foreach (var name in new[] { "packets", "allowed", "denied" })
        {
            Assert.Contains($"id=\"stat-{name}\"><span class=\"value\" data-value=\"{totals.GetProperty(name).GetInt64()}\"", html);
        }
        Assert.True(totals.GetProperty("packets").GetInt64() > 0);
    }

    [Fact]
    public void Capture_and_flows_together_are_a_usage_error()
    {
        var result = InProcessCli.Run([.. WebTierSample.Args("report"), "--flows", Repository.PathOf("samples/web-tier.flows.yaml")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.Error);
    }

    [Fact]
    public void Bad_max_flows_is_a_usage_error()
    {
        using var dir = new TempDir();
        var result = InProcessCli.Run([.. WebTierSample.Args("report"), "-o", dir.File("r.html"), "--max-flows", "-1"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--max-flows", result.Error);
    }

    [SkippableFact]
    public void Tidy_finds_no_error_and_no_warning()
    {
        Skip.IfNot(File.Exists("/usr/bin/tidy"), "/usr/bin/tidy is not installed (Debian package 'tidy')");
        using var dir = new TempDir();
        WebTierSample.Report(dir.File("report.html"));
        var start = new ProcessStartInfo("/usr/bin/tidy") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-q", "-e", "-utf8", dir.File("report.html") })
        {
            start.ArgumentList.Add(a);
        }
        using var tidy = Process.Start(start)!;
        var messages = tidy.StandardError.ReadToEnd() + tidy.StandardOutput.ReadToEnd();
        tidy.WaitForExit();
        // tidy exits 0 for a clean document, 1 for warnings, 2 for errors.
        Assert.True(tidy.ExitCode == 0, $"tidy exited {tidy.ExitCode}:\n{messages}");
    }

    /// <summary>Strict XML parse, then the HTML rules XML does not enforce.</summary>
    internal static void AssertSound(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
        XDocument doc;
        using (var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, CheckCharacters = true }))
        {
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        var ids = new HashSet<string>();
        foreach (var e in doc.Descendants())
        {
            var inSvg = e.Name.Namespace == Svg;
            var line = ((IXmlLineInfo)e).LineNumber;
            if (!inSvg)
            {
                Assert.True(e.Name.Namespace == XNamespace.None, $"line {line}: unexpected namespace {e.Name.Namespace}");
                if (Void.Contains(e.Name.LocalName))
                {
                    Assert.True(e.IsEmpty, $"line {line}: void element <{e.Name.LocalName}> has content");
                }
                else
                {
                    Assert.False(e.IsEmpty, $"line {line}: <{e.Name.LocalName}/> is self-closed, which HTML reads as an open tag");
                }
            }
            if (e.Attribute("id") is { } id)
            {
                Assert.True(ids.Add(id.Value), $"line {line}: duplicate id '{id.Value}'");
                Assert.DoesNotMatch("\\s", id.Value);
            }
        }
        foreach (var e in doc.Descendants().Where(e => e.Name.LocalName is "script" or "style"))
        {
            Assert.DoesNotContain("</", e.Value);
        }
        // Every in-page reference points at an element that exists.
        foreach (Match m in Fragment().Matches(html))
        {
            Assert.Contains(m.Groups[1].Value, ids);
        }
        Assert.Single(doc.Descendants("h1"));
        Assert.Single(doc.Descendants("main"));
    }

    internal static void AssertSelfContained(string html)
    {
        var doc = XDocument.Parse(html);
        foreach (var e in doc.Descendants())
        {
            Assert.False(Loading.Contains(e.Name.LocalName), $"<{e.Name.LocalName}> loads a resource");
            foreach (var a in e.Attributes())
            {
                var name = a.Name.LocalName;
                if (UrlAttributes.Contains(name))
                {
                    Assert.True(a.Value.StartsWith('#'), $"<{e.Name.LocalName} {name}=\"{a.Value}\"> would fetch something");
                }
                Assert.False(name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"<{e.Name.LocalName} {name}>: inline event handler");
                if (name == "style")
                {
                    AssertCssFetchesNothing(a.Value);
                }
            }
            if (e.Name.LocalName == "style")
            {
                AssertCssFetchesNothing(e.Value);
            }
        }
    }

    private static void AssertCssFetchesNothing(string css)
    {
        Assert.DoesNotContain("@import", css);
        foreach (Match m in CssUrl().Matches(css))
        {
            Assert.StartsWith("#", m.Groups[1].Value.Trim('\'', '"', ' '));
        }
    }

    [GeneratedRegex("<tr><td class=\"num\">\\d+</td>.*?</tr>")]
    private static partial Regex FlowRows();

    [GeneratedRegex("(?:href=\"#|url\\(#)([^\")]+)")]
    private static partial Regex Fragment();

    [GeneratedRegex("url\\(([^)]*)\\)", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrl();

    // Absolute URLs other than XML namespace names (which no browser fetches).
    [GeneratedRegex("(?<!xmlns(:\\w+)?=\")\\b(https?|ftp|wss?|data|javascript):(?!//www\\.w3\\.org/)", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();
}
