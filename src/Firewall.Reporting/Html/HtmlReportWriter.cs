using System.Text;
using Firewall.Analysis.Runs;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Html;

/// <summary>
/// <c>firewall report</c>'s writer: counts each evaluated packet into the <see cref="Timeline"/> as it
/// streams (a few integer operations, no allocation, memory bounded whatever the capture's size), then
/// writes the whole page once the run is complete. Everything else in the page is computed from the
/// finished run, as the text summary is.
/// </summary>
public sealed class HtmlReportWriter : IRunSink
{
    private readonly Stream _output;
    private readonly HtmlReportOptions _options;

    public HtmlReportWriter(Stream output, HtmlReportOptions? options = null)
    {
        _output = output;
        _options = options ?? new HtmlReportOptions();
    }

    public Timeline Timeline { get; } = new();

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        TimelineSeries series;
        switch (result.Verdict)
        {
            case Verdict.Allow:
                series = result.Has(PacketResultFlags.NotFiltered) ? TimelineSeries.NotFiltered
                    : WasTracked(in result) ? TimelineSeries.AllowedTracked
                    : TimelineSeries.AllowedByRule;
                break;
            case Verdict.Deny when result.HopCount > 0:
                // Evaluation stops at the first hop that denies (SPEC §2), so the denying hop is the last one.
                series = TimelineSeries.DeniedSgOutbound + (int)result.Hops[result.HopCount - 1].Kind;
                break;
            default:
                return; // skipped and undecodable packets are counted in the totals, not drawn
        }
        Timeline.Add(packet.TimestampNs, series);
    }

    private static bool WasTracked(in PacketResult r)
    {
        for (var h = 0; h < r.HopCount; h++)
        {
            if (r.Hops[h].Basis is HopBasis.Tracked or HopBasis.Related)
            {
                return true;
            }
        }
        return false;
    }

    public void Complete(RunReport report)
    {
        var page = HtmlPage.Render(report, Timeline, _options);
        var bytes = new UTF8Encoding(false).GetBytes(page);
        _output.Write(bytes);
        _output.Flush();
    }

    /// <summary>The page is written whole at the end: nothing to push before.</summary>
    public void Dispose()
    {
        // The caller owns the stream (IRunSink).
    }
}
