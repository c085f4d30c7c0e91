using System.Diagnostics;

namespace Firewall.Cli.Running;

/// <summary>
/// A one-line packet counter on standard error, redrawn at most four times a second, only when standard
/// error is a terminal and --quiet is off (SPEC §6: progress never pollutes pipes or logs).
/// </summary>
internal sealed class Progress
{
    private readonly TextWriter? _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _next = 250;
    private bool _shown;

    public Progress(CliConsole console, bool quiet) => _error = console.ErrorIsTerminal && !quiet ? console.Error : null;

    /// <summary>Called for every packet; costs a compare except every 64Ki packets.</summary>
    public void Tick(long packets, int flows)
    {
        if (_error is null || (packets & 0xFFFF) != 0 || _clock.ElapsedMilliseconds < _next)
        {
            return;
        }
        _next = _clock.ElapsedMilliseconds + 250;
        _error.Write($"\r{packets:N0} packets, {flows:N0} flows");
        _error.Flush();
        _shown = true;
    }

    public void Done()
    {
        if (_shown && _error is not null)
        {
            _error.Write("\r\u001b[K");
            _error.Flush();
        }
    }
}
