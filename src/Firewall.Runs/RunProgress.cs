using System.Diagnostics;

namespace Firewall.Runs;

/// <summary>
/// How far a run has got, handed to <c>show</c> at most four times a second, and <c>clear</c> once at the
/// end if anything was shown. The run calls <see cref="Tick"/> for every packet: it costs a compare except
/// every 64Ki packets, and never a call through a delegate in between.
/// </summary>
public sealed class RunProgress
{
    /// <summary>Shows nothing.</summary>
    public static RunProgress Silent { get; } = new(null, null);

    private readonly Action<long, int>? _show;
    private readonly Action? _clear;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _next = 250;
    private bool _shown;

    /// <param name="show">Given the packets and flows so far; null shows nothing.</param>
    /// <param name="clear">Called once at the end when <paramref name="show"/> was called.</param>
    public RunProgress(Action<long, int>? show, Action? clear)
    {
        _show = show;
        _clear = clear;
    }

    public void Tick(long packets, int flows)
    {
        if (_show is null || (packets & 0xFFFF) != 0 || _clock.ElapsedMilliseconds < _next)
        {
            return;
        }
        _next = _clock.ElapsedMilliseconds + 250;
        _show(packets, flows);
        _shown = true;
    }

    public void Done()
    {
        if (_shown)
        {
            _clear?.Invoke();
        }
    }
}
