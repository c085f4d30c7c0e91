using System.CommandLine;
using Firewall.Reporting.Formatting;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>--color auto|never|always</c> on the commands that write text for people. The CLI decides and the
/// writers get a <see cref="TextPalette"/>: they never look at the console. <c>auto</c> colours only a
/// terminal, and not when <c>NO_COLOR</c> is set to anything but the empty string (https://no-color.org);
/// <c>always</c> colours even then, as no-color.org asks ("per-instance command-line arguments should
/// override $NO_COLOR"). A file written with <c>--output</c> is never coloured.
/// </summary>
internal static class ColorOption
{
    public static Option<ColorMode> Create() => OptionWords.Color.Option(
        "--color",
        "colour the text on standard output: 'auto' when it is a terminal and NO_COLOR is not set, 'always' (even with NO_COLOR), 'never'; a file of --output and machine formats never are",
        defaulted: true);

    /// <summary>The palette for text written to <paramref name="outputPath"/> (null or "-": standard output).</summary>
    public static TextPalette Palette(ColorMode mode, CliConsole console, string? outputPath)
    {
        if (outputPath is not null && outputPath != "-")
        {
            return TextPalette.Plain;
        }
        var colour = mode switch
        {
            ColorMode.Always => true,
            ColorMode.Never => false,
            _ => console.OutIsTerminal && string.IsNullOrEmpty(console.Variable("NO_COLOR")),
        };
        return colour ? TextPalette.Ansi : TextPalette.Plain;
    }
}
