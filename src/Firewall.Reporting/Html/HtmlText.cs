using System.Text;

namespace Firewall.Reporting.Html;

/// <summary>
/// Escaping for text that comes from input (rule descriptions, names, file names, capture warnings).
/// The page is written so that both an HTML parser and an XML parser read it the same way, so text
/// uses only the five XML escapes, and characters that neither HTML nor XML allow in a document (C0
/// controls other than tab, line feed and carriage return; DEL and C1 controls; noncharacters; unpaired surrogates; U+FFFE, U+FFFF) become
/// U+FFFD, the replacement character.
/// </summary>
public static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' or '\n' or '\r' => null,
                < ' ' or (>= '\u007f' and <= '\u009f') or (>= '\ufdd0' and <= '\ufdef') or '\ufffe' or '\uffff' => "\ufffd",
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => null,
                _ when char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) => null,
                _ when char.IsSurrogate(c) => "\ufffd",
                _ => null,
            };
            if (replacement is null)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            sb.Append(replacement);
        }
        return sb?.ToString() ?? text;
    }
}
