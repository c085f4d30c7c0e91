using System.Globalization;
using System.Text.RegularExpressions;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Firewall.Reporting.Html;

/// <summary>One series of a chart: its legend text and fill colour.</summary>
public sealed record ChartSeries(string Title, string Color);

/// <summary>
/// The report's charts as OxyPlot models exported to SVG (OxyPlot.Core's <see cref="SvgExporter"/>),
/// prepared for inlining: a stable id, a role and label for screen readers, a viewBox so CSS can scale it,
/// and clip-path ids made unique per chart (every export numbers its clip paths from 1, and several
/// charts share one document).
/// </summary>
public static partial class ReportCharts
{
    public const double Width = 1040;

    private static readonly OxyColor Text = OxyColor.Parse("#334155");
    private static readonly OxyColor Grid = OxyColor.Parse("#e2e8f0");
    private static readonly OxyColor Axis = OxyColor.Parse("#94a3b8");

    /// <summary>The timeline's series in stacking order: allowed above the axis, denied below it, by denying hop in path order.</summary>
    public static readonly IReadOnlyList<ChartSeries> PacketSeries =
    [
        new("allowed by a rule", "#15803d"),
        new("allowed as tracked", "#4ade80"),
        new("not filtered (AWS services)", "#94a3b8"),
        new("denied at sg-outbound", "#f59e0b"),
        new("denied at nacl-outbound", "#dc2626"),
        new("denied at nacl-inbound", "#9d174d"),
        new("denied at sg-inbound", "#ea580c"),
    ];

    /// <summary>New flows by final outcome, in <see cref="Engine.Evaluation.FlowOutcome"/> order.</summary>
    public static readonly IReadOnlyList<ChartSeries> FlowSeries =
    [
        new("allowed", "#15803d"),
        new("request-denied", "#64748b"),
        new("reply-denied", "#dc2626"),
        new("partially-denied", "#f59e0b"),
    ];

    public static readonly IReadOnlyList<ChartSeries> TalkerSeries =
    [
        new("requests denied (sent as client)", "#ea580c"),
        new("replies denied (sent as server)", "#dc2626"),
    ];

    /// <summary>Packets per interval, stacked by how they were allowed (up) or where they were denied (down).</summary>
    public static string PacketTimeline(Timeline timeline)
    {
        var model = NewModel();
        var seconds = timeline.IntervalNs / 1e9;
        var x = TimeAxis(timeline);
        model.Axes.Add(x);
        model.Axes.Add(CountAxis("packets (denied below the line)"));
        var up = new double[timeline.BucketCount];
        var down = new double[timeline.BucketCount];
        for (var s = 0; s < Timeline.SeriesCount; s++)
        {
            var series = Series(PacketSeries[s]);
            var denied = s >= (int)TimelineSeries.DeniedSgOutbound;
            for (var b = 0; b < timeline.BucketCount; b++)
            {
                var n = timeline.Count(b, (TimelineSeries)s);
                if (n == 0)
                {
                    continue;
                }
                var stack = denied ? down : up;
                var from = stack[b];
                stack[b] += denied ? -n : n;
                series.Items.Add(new RectangleBarItem(b * seconds, from, (b + 1) * seconds, stack[b]));
            }
            model.Series.Add(series);
        }
        model.Annotations.Add(new LineAnnotation { Type = LineAnnotationType.Horizontal, Y = 0, Color = Axis, StrokeThickness = 1, LineStyle = LineStyle.Solid });
        return Export(model, 340, "chart-packets", "Packets per interval: allowed above the line, denied below, by deciding hop");
    }

    /// <summary>Flows per interval of their first packet, stacked by outcome; <paramref name="counts"/> is [bucket, outcome].</summary>
    public static string FlowTimeline(Timeline timeline, long[,] counts)
    {
        var model = NewModel();
        var seconds = timeline.IntervalNs / 1e9;
        model.Axes.Add(TimeAxis(timeline));
        model.Axes.Add(CountAxis("new flows"));
        var stack = new double[counts.GetLength(0)];
        for (var o = 0; o < counts.GetLength(1); o++)
        {
            var series = Series(FlowSeries[o]);
            for (var b = 0; b < counts.GetLength(0); b++)
            {
                if (counts[b, o] == 0)
                {
                    continue;
                }
                var from = stack[b];
                stack[b] += counts[b, o];
                series.Items.Add(new RectangleBarItem(b * seconds, from, (b + 1) * seconds, stack[b]));
            }
            model.Series.Add(series);
        }
        return Export(model, 260, "chart-flows", "New flows per interval, by outcome");
    }

    /// <summary>Horizontal stacked bars: denied packets per sending address, the busiest on top.</summary>
    public static string DeniedTalkers(IReadOnlyList<DeniedTalker> talkers)
    {
        var model = NewModel();
        var categories = new CategoryAxis
        {
            Position = AxisPosition.Left,
            StartPosition = 1, // first talker on top
            EndPosition = 0,
            TextColor = Text,
            TicklineColor = Axis,
            AxislineStyle = LineStyle.Solid,
            AxislineColor = Axis,
            GapWidth = 0.4,
        };
        categories.Labels.AddRange(talkers.Select(t => t.Address));
        model.Axes.Add(categories);
        var values = CountAxis("denied packets");
        values.Position = AxisPosition.Bottom;
        model.Axes.Add(values);
        var requests = new BarSeries { Title = TalkerSeries[0].Title, FillColor = OxyColor.Parse(TalkerSeries[0].Color), IsStacked = true, StrokeThickness = 0 };
        var replies = new BarSeries { Title = TalkerSeries[1].Title, FillColor = OxyColor.Parse(TalkerSeries[1].Color), IsStacked = true, StrokeThickness = 0 };
        foreach (var t in talkers)
        {
            requests.Items.Add(new BarItem(t.RequestsDenied));
            replies.Items.Add(new BarItem(t.RepliesDenied));
        }
        model.Series.Add(requests);
        model.Series.Add(replies);
        return Export(model, 70 + 26 * Math.Max(1, talkers.Count), "chart-talkers", "Denied packets per sending address");
    }

    private static PlotModel NewModel()
    {
        var model = new PlotModel
        {
            DefaultFont = "Helvetica",
            DefaultFontSize = 12,
            TextColor = Text,
            PlotAreaBorderThickness = new OxyThickness(0),
            Padding = new OxyThickness(4, 8, 16, 4),
            Background = OxyColors.Transparent,
        };
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside,
            LegendPosition = LegendPosition.TopLeft,
            LegendOrientation = LegendOrientation.Horizontal,
            LegendBorderThickness = 0,
            LegendTextColor = Text,
            LegendSymbolLength = 14,
            LegendItemSpacing = 18,
        });
        return model;
    }

    private static RectangleBarSeries Series(ChartSeries s) => new()
    {
        Title = s.Title,
        FillColor = OxyColor.Parse(s.Color),
        StrokeColor = OxyColors.Undefined,
        StrokeThickness = 0,
    };

    private static LinearAxis CountAxis(string title) => new()
    {
        Position = AxisPosition.Left,
        Title = title,
        MinimumMajorStep = 1,
        MinorTickSize = 0,
        MajorGridlineStyle = LineStyle.Solid,
        MajorGridlineColor = Grid,
        TicklineColor = Axis,
        AxislineStyle = LineStyle.None,
        MaximumPadding = 0.06,
        MinimumPadding = 0.06,
        // The timeline draws denied packets as negative bars; the axis shows counts, which are never negative.
        LabelFormatter = v => Math.Abs(v).ToString("#,0", CultureInfo.InvariantCulture),
    };

    private static LinearAxis TimeAxis(Timeline timeline)
    {
        var span = Math.Max(1, timeline.BucketCount) * timeline.IntervalNs / 1e9;
        var start = FormatStart(timeline.StartNs);
        return new LinearAxis
        {
            Position = AxisPosition.Bottom,
            Title = $"time since {start} (one bar = {Interval(timeline.IntervalNs)})",
            Minimum = 0,
            Maximum = span,
            MinorTickSize = 0,
            TicklineColor = Axis,
            AxislineStyle = LineStyle.Solid,
            AxislineColor = Axis,
            MajorStep = NiceStep(span),
            LabelFormatter = v => Elapsed(v, span),
        };
    }

    /// <summary>
    /// A tick step a person reads easily for spans of minutes and more (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10,
    /// 15, 30 min, 1, 2, 3, 6, 12 h, then days), about 6 to 12 ticks; NaN lets OxyPlot choose for shorter
    /// spans, where its decimal steps are already the readable ones.
    /// </summary>
    public static double NiceStep(double spanSeconds)
    {
        if (spanSeconds < 120)
        {
            return double.NaN;
        }
        double[] steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
        foreach (var step in steps)
        {
            if (spanSeconds / step <= 12)
            {
                return step;
            }
        }
        return Math.Ceiling(spanSeconds / 12 / 86400) * 86400;
    }

    /// <summary>The bucket length in words: 50 ms, 5 s, 10 min, 6 h, 2 d.</summary>
    public static string Interval(long ns) => ns switch
    {
        < 1_000_000_000L => $"{ns / 1_000_000} ms",
        < 60_000_000_000L => $"{ns / 1_000_000_000} s",
        < 3_600_000_000_000L => $"{ns / 60_000_000_000} min",
        < 86_400_000_000_000L => $"{ns / 3_600_000_000_000} h",
        _ => $"{ns / 86_400_000_000_000} d",
    };

    private static string FormatStart(long ns)
    {
        var text = Formatting.FieldText.Time(ns);
        // Seconds are enough on an axis title: "2026-11-28 04:38:06 UTC".
        return text.Length >= 19 && text[10] == 'T' ? $"{text[..10]} {text[11..19]} UTC" : text;
    }

    private static string Elapsed(double seconds, double span)
    {
        var c = CultureInfo.InvariantCulture;
        if (span < 10)
        {
            return seconds.ToString("0.##", c) + " s";
        }
        if (span < 180)
        {
            return seconds.ToString("0", c) + " s";
        }
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        if (span < 3 * 3600)
        {
            return $"{(int)t.TotalMinutes}:{t.Seconds:00}";
        }
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours:00}:{t.Minutes:00}" : $"{t.Hours}:{t.Minutes:00}";
    }

    private static string Export(PlotModel model, double height, string id, string label)
    {
        var svg = SvgExporter.ExportToString(model, Width, height, isDocument: false, textMeasurer: new PixelTextMeasurer());
        return Prepare(svg, id, label, Width, height);
    }

    /// <summary>Makes an exported SVG fit to inline in the page (see the class summary).</summary>
    public static string Prepare(string svg, string id, string label, double width, double height)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("the SVG exporter wrote no <svg> element");
        }
        svg = svg[start..];
        svg = ClipPathId().Replace(svg, m => $"{m.Groups[1].Value}{id}-{m.Groups[2].Value}");
        var c = CultureInfo.InvariantCulture;
        var attributes = $"<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{HtmlText.Escape(label)}\" viewBox=\"0 0 {width.ToString(c)} {height.ToString(c)}\" preserveAspectRatio=\"xMinYMin meet\"";
        return attributes + svg["<svg".Length..];
    }

    // Clip-path definitions (id="clipPath1") and their uses (url(#clipPath1)).
    [GeneratedRegex("(id=\"|url\\(#)(clipPath\\d+)")]
    private static partial Regex ClipPathId();
}

/// <summary>An address that sent denied packets: as a client (requests) and as a server (replies).</summary>
public sealed record DeniedTalker(string Address, long RequestsDenied, long RepliesDenied, int Flows, string TopRule)
{
    public long Denied => RequestsDenied + RepliesDenied;
}
