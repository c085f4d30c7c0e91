using OxyPlot;

namespace Firewall.Reporting.Html;

/// <summary>
/// Measures chart text in CSS pixels, the unit the SVG is drawn in. Without a measurer OxyPlot's SVG
/// export measures with its PDF context, whose Helvetica metrics come out in points (1/72 in): text is
/// then laid out 3/4 of the width it takes in a browser (CSS px are 1/96 in) and legend items overlap.
/// This scales the same font metrics to pixels; the page draws chart text in Arial or Liberation Sans,
/// which share Helvetica's widths. Only measuring is used: OxyPlot never draws through a text measurer.
/// </summary>
internal sealed class PixelTextMeasurer : RenderContextBase
{
    private const double PixelsPerPoint = 96.0 / 72.0;

    private readonly PdfRenderContext _metrics = new(100, 100, OxyColors.Transparent);

    public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
    {
        var size = _metrics.MeasureText(text, fontFamily, fontSize, fontWeight);
        return new OxySize(size.Width * PixelsPerPoint, size.Height * PixelsPerPoint);
    }

    public override int ClipCount => 0;

    public override void DrawLine(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray, LineJoin lineJoin) =>
        throw Measuring();

    public override void DrawPolygon(IList<ScreenPoint> points, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray, LineJoin lineJoin) =>
        throw Measuring();

    public override void DrawText(ScreenPoint p, string text, OxyColor fill, string fontFamily, double fontSize, double fontWeight, double rotation, HorizontalAlignment halign, VerticalAlignment valign, OxySize? maxSize) =>
        throw Measuring();

    public override void PushClip(OxyRect clippingRectangle) => throw Measuring();

    public override void PopClip() => throw Measuring();

    private static NotSupportedException Measuring() => new("a text measurer only measures");
}
