namespace Firewall.Analysis.Selection;

internal enum FilterTokenKind : byte
{
    Word,
    Open,
    Close,
    Not,
    And,
    Or,
    End,
}

/// <summary>One token of a filter expression: its kind, its text and where it starts.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Offset);

/// <summary>
/// Splits a filter expression as pcap's scanner does for the subset we read: words (keywords, addresses,
/// numbers, <c>N-M</c> ranges), parentheses, and the operators <c>!</c>, <c>&amp;&amp;</c> and <c>||</c>
/// beside their word forms. A character only the unsupported parts of pcap-filter use (<c>[</c> of
/// <c>tcp[13]</c>, comparison and arithmetic operators) is refused where it stands.
/// </summary>
internal static class FilterTokens
{
    public static List<FilterToken>? Split(string text, out FilterError error)
    {
        var tokens = new List<FilterToken>();
        error = default;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new(FilterTokenKind.Open, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new(FilterTokenKind.Close, ")", i++));
                    continue;
                case '!' when i + 1 >= text.Length || text[i + 1] != '=':
                    tokens.Add(new(FilterTokenKind.Not, "!", i++));
                    continue;
                case '&' when i + 1 < text.Length && text[i + 1] == '&':
                    tokens.Add(new(FilterTokenKind.And, "&&", i));
                    i += 2;
                    continue;
                case '|' when i + 1 < text.Length && text[i + 1] == '|':
                    tokens.Add(new(FilterTokenKind.Or, "||", i));
                    i += 2;
                    continue;
            }
            while (i < text.Length && IsWordChar(text[i]))
            {
                i++;
            }
            if (i == start)
            {
                error = new FilterError(start, $"'{c}' is not supported: byte offsets (tcp[13]), comparisons and arithmetic are not part of this filter");
                return null;
            }
            var word = text[start..i];
            tokens.Add(new(word switch
            {
                "not" => FilterTokenKind.Not,
                "and" => FilterTokenKind.And,
                "or" => FilterTokenKind.Or,
                _ => FilterTokenKind.Word,
            }, word, start));
        }
        tokens.Add(new(FilterTokenKind.End, "", text.Length));
        return tokens;
    }

    private static bool IsWordChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or ':' or '/' or '-' or '_';
}
