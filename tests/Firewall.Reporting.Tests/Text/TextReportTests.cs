using System.Text;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Text;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Text;

public sealed class TextReportTests
{
    private static string Summary(TestRun run, Engine.Evaluation.EvaluationOptions? options = null, TextReportOptions? text = null)
    {
        var writer = new StringWriter { NewLine = "\n" };
        TextReportWriter.WriteSummary(writer, run.Evaluate(options: options), text ?? new TextReportOptions { ListAssumptions = true });
        return writer.ToString();
    }

    [Fact]
    public void Summary_shows_totals_flows_denying_rules_reply_drops_hits_and_assumptions()
    {
        var text = Summary(new TestRun(TestRulesets.WithNumberedDeny)
            .Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443)
            .Udp(1, "192.0.2.1", 1, "192.0.2.2", 2)
            .Undecodable(2, Engine.Packets.DecodeError.BadTcpHeaderLength));
        Assert.Matches(@"\n  packets read +6\n", text);
        Assert.Matches(@"\n    denied +2 +33\.3%\n      nacl-deny-rule +2\n", text);
        Assert.Matches(@"\n    undecodable +1\n      bad-tcp-header-length +1\n", text);
        Assert.Matches(@"\n    reply-denied +1 +requests passed, replies dropped\n", text);
        Assert.Matches(@"\nDenying rules\n +rule +packets +flows\n +nacl:app-nacl:outbound:200 +2 +1 +deny tcp 61000-65535 to 0\.0\.0\.0/0\n", text);
        Assert.Matches(@"\nReplies dropped by network ACLs\n +rule +replies +flows\n +nacl:app-nacl:outbound:200 +2 +1\n", text);
        // Rules in ruleset order, the ones never hit marked.
        Assert.Matches(@"sg:app-sg:inbound:1 +1 +1 +allow tcp 443 from 0\.0\.0\.0/0\n +sg:app-sg:inbound:2 +0 +0 +never hit +allow tcp 443 from ::/0\n", text);
        Assert.True(text.IndexOf("nacl:app-nacl:outbound:190", StringComparison.Ordinal) < text.IndexOf("nacl:app-nacl:outbound:200 ", text.IndexOf("Rule hits", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains("tcp-syn-sent-timeout     120s", text);
        Assert.Matches(@"midstream +pickup +firewall", text);
        Assert.Matches(@"icmp-errors +rules +aws", text);
        Assert.Contains("fragments", text);
    }

    [Fact]
    public void Assumptions_follow_the_options()
    {
        var text = Summary(new TestRun(TestRulesets.WithNumberedDeny), new Engine.Evaluation.EvaluationOptions { MidstreamStrict = true, RelatedIcmp = true });
        Assert.Matches(@"midstream +strict +option", text);
        Assert.Matches(@"icmp-errors +related +option", text);
    }

    [Fact]
    public void Assumptions_are_one_line_by_default_naming_those_set_by_options()
    {
        var run = new TestRun(TestRulesets.WithNumberedDeny);
        var text = Summary(run, text: TextReportOptions.Default);
        Assert.DoesNotContain("tcp-syn-sent-timeout", text);
        Assert.EndsWith("\nAssumptions  18: 5 AWS documented defaults, 9 Linux netfilter defaults AWS does not publish, 4 choices of this tool; --assumptions lists them\n", text);
        var strict = Summary(run, new Engine.Evaluation.EvaluationOptions { MidstreamStrict = true, RelatedIcmp = true }, TextReportOptions.Default);
        Assert.EndsWith("\nAssumptions  18: 4 AWS documented defaults, 2 set by options (midstream strict, icmp-errors related), 9 Linux netfilter defaults AWS does not publish, 3 choices of this tool; --assumptions lists them\n", strict);
    }

    [Fact]
    public void Summary_only_stops_after_the_flow_totals()
    {
        var run = new TestRun(TestRulesets.WithNumberedDeny).Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443);
        var full = Summary(run, text: TextReportOptions.Default);
        var summary = Summary(run, text: new TextReportOptions { SummaryOnly = true });
        // The same lines up to the end of the Flows block, and nothing after it.
        Assert.StartsWith(summary, full);
        Assert.Matches(@"\n    untracked +0 +0\.0\.0\.0/0 both ways: AWS does not track them\n$", summary);
        Assert.DoesNotContain("Denying rules", summary);
        Assert.DoesNotContain("Assumptions", summary);
        var listed = Summary(run, text: new TextReportOptions { SummaryOnly = true, ListAssumptions = true });
        Assert.StartsWith(summary + "\nAssumptions\n  tcp-established-timeout ", listed);
    }

    [Fact]
    public void Painted_cells_align_as_the_plain_ones_do()
    {
        var plain = new TextTable(false, true, false);
        var painted = new TextTable(false, true, false);
        foreach (var (label, count, note) in new[] { ("allowed", "5", "x"), ("request-denied", "1,234", "") })
        {
            plain.Add(label, count, note);
            painted.Add(TextPalette.Ansi.Paint(label, Tone.Good), TextPalette.Ansi.Paint(count, Tone.Bad), note);
        }
        var a = new StringWriter();
        var b = new StringWriter();
        plain.WriteTo(a, "  ");
        painted.WriteTo(b, "  ");
        Assert.Contains("\u001b[32mallowed\u001b[0m", b.ToString());
        Assert.Equal(a.ToString(), TextPalette.Strip(b.ToString()));
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000000Z")]
    [InlineData(1_767_261_600_123_456_000L, "2026-01-01T10:00:00.123456Z")]
    [InlineData(1_767_261_600_123_456_789L, "2026-01-01T10:00:00.123456789Z")]
    [InlineData(-1_000L, "1969-12-31T23:59:59.999999Z")]
    public void Times_are_rfc3339_utc_with_the_precision_recorded(long ns, string expected)
    {
        Assert.Equal(expected, FieldText.Time(ns));
    }

    [Fact]
    public void Table_aligns_numbers_right_and_text_left()
    {
        var table = new TextTable(false, true, false);
        table.Add("a", "1", "x");
        table.Add("long name", "1,234", "");
        var writer = new StringWriter();
        table.WriteTo(writer, "  ");
        Assert.Equal("  a              1  x\n  long name  1,234\n", writer.ToString());
    }
}
