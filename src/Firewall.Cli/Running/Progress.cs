using Firewall.Runs;

namespace Firewall.Cli.Running;

/// <summary>
/// A one-line packet counter on standard error, redrawn as often as <see cref="RunProgress"/> allows, only
/// when standard error is a terminal and --quiet is off (progress never pollutes pipes or logs).
/// </summary>
internal static class Progress
{
    public static RunProgress For(CliConsole console, bool quiet)
    {
        if (!console.ErrorIsTerminal || quiet)
        {
            return RunProgress.Silent;
        }
        var error = console.Error;
        return new RunProgress(
            (packets, flows) =>
            {
                error.Write($"\r{packets:N0} packets, {flows:N0} flows");
                error.Flush();
            },
            () =>
            {
                error.Write("\r\u001b[K");
                error.Flush();
            });
    }
}
