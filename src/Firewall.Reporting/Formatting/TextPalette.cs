using System.Text;
using Firewall.Engine.Evaluation;

namespace Firewall.Reporting.Formatting;

/// <summary>What a word in a text report means, and so how a terminal may show it.</summary>
public enum Tone : byte
{
    Plain,

    /// <summary>Allowed traffic, a passing test.</summary>
    Good,

    /// <summary>Denied traffic (a request or a reply), a failing test.</summary>
    Bad,

    /// <summary>Something to look at: undecodable frames, capture warnings.</summary>
    Warning,

    /// <summary>A section's heading.</summary>
    Heading,
}

/// <summary>
/// Colour for text reports, decided by the caller (the CLI knows whether standard output is a terminal;
/// writers never ask). <see cref="Plain"/> leaves text as it is; <see cref="Ansi"/> wraps it in ECMA-48 SGR
/// sequences (bold 1, red 31, green 32, yellow 33, reset 0). Sequences take no columns on a terminal, so
/// anything that aligns text measures it with <see cref="VisibleLength"/>.
/// </summary>
public sealed class TextPalette
{
    private const char Escape = '\u001b';

    public static readonly TextPalette Plain = new(false);

    public static readonly TextPalette Ansi = new(true);

    private TextPalette(bool enabled) => Enabled = enabled;

    /// <summary>How a flow's outcome is shown: allowed as good, any deny as bad.</summary>
    public static Tone ToneOf(FlowOutcome outcome) => outcome == FlowOutcome.Allowed ? Tone.Good : Tone.Bad;

    public bool Enabled { get; }

    /// <summary>The text as <paramref name="tone"/> shows it; unchanged without colour, for <see cref="Tone.Plain"/>, and when empty.</summary>
    public string Paint(string text, Tone tone) =>
        !Enabled || tone == Tone.Plain || text.Length == 0 ? text : $"{Escape}[{Code(tone)}m{text}{Escape}[0m";

    public string Heading(string text) => Paint(text, Tone.Heading);

    /// <summary><paramref name="text"/> painted <paramref name="tone"/> when <paramref name="count"/> is not zero: a zero needs no attention.</summary>
    public string Count(long count, string text, Tone tone) => count == 0 ? text : Paint(text, tone);

    private static string Code(Tone tone) => tone switch
    {
        Tone.Good => "32",
        Tone.Bad => "31",
        Tone.Warning => "33",
        _ => "1",
    };

    /// <summary>The columns <paramref name="text"/> takes on a terminal: its characters without the SGR sequences.</summary>
    public static int VisibleLength(string text) => text.IndexOf(Escape) < 0 ? text.Length : Strip(text).Length;

    /// <summary><paramref name="text"/> without its SGR sequences: what <see cref="Plain"/> would have written.</summary>
    public static string Strip(string text)
    {
        if (text.IndexOf(Escape) < 0)
        {
            return text;
        }
        var plain = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == Escape && SequenceEnd(text, i) is var end and > 0)
            {
                i = end;
            }
            else
            {
                plain.Append(text[i]);
            }
        }
        return plain.ToString();
    }

    /// <summary>The index of the <c>m</c> ending an SGR sequence (ESC [ digits and semicolons m) that starts at <paramref name="start"/>, or -1.</summary>
    private static int SequenceEnd(string text, int start)
    {
        if (start + 1 >= text.Length || text[start + 1] != '[')
        {
            return -1;
        }
        for (var i = start + 2; i < text.Length; i++)
        {
            var c = text[i];
            if (c == 'm')
            {
                return i;
            }
            if (!char.IsAsciiDigit(c) && c != ';')
            {
                return -1;
            }
        }
        return -1;
    }
}
