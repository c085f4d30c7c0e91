using System.Text;

namespace Firewall.Cli.Tests.Support;

/// <summary>A value of an HCL attribute: a string (unescaped), a number, a bool, or a reference (<c>aws_network_acl.app.id</c>) as written.</summary>
internal readonly record struct HclValue(HclKind Kind, string Text);

internal enum HclKind
{
    String,
    Number,
    Bool,
    Reference,
}

/// <summary>A block: its type and labels (<c>resource "aws_network_acl_rule" "x"</c>, or <c>egress</c>) and its attributes.</summary>
internal sealed record HclBlock(IReadOnlyList<string> Header, IReadOnlyDictionary<string, HclValue> Attributes);

/// <summary>
/// Reads the subset of HCL native syntax (HashiCorp "HCL Native Syntax Specification") that fixes are
/// written in: blocks (<c>TYPE "LABEL"* { … }</c>) of attributes <c>NAME = VALUE</c>, one per line, where a
/// value is a quoted string, a number, <c>true</c>/<c>false</c> or a traversal (<c>a.b[0].c</c>,
/// <c>a.b["k"].c</c>); <c>#</c> comments. Anything else fails the test.
/// </summary>
internal static class HclReader
{
    public static List<HclBlock> Read(string text)
    {
        var tokens = Tokens(text);
        var blocks = new List<HclBlock>();
        var i = 0;
        while (i < tokens.Count)
        {
            blocks.Add(Block(tokens, ref i));
        }
        return blocks;
    }

    private static HclBlock Block(List<(char Kind, string Text)> tokens, ref int i)
    {
        var header = new List<string>();
        Assert.True(tokens[i].Kind == 'w', $"a block starts with its type, found '{tokens[i].Text}'");
        header.Add(tokens[i++].Text);
        while (i < tokens.Count && tokens[i].Kind == 's')
        {
            header.Add(tokens[i++].Text);
        }
        Expect(tokens, ref i, '{');
        var attributes = new Dictionary<string, HclValue>(StringComparer.Ordinal);
        while (tokens[i].Kind != '}')
        {
            Assert.True(tokens[i].Kind == 'w', $"an attribute name, found '{tokens[i].Text}'");
            var name = tokens[i++].Text;
            Expect(tokens, ref i, '=');
            var (kind, value) = tokens[i++];
            var parsed = kind switch
            {
                's' => new HclValue(HclKind.String, value),
                'n' => new HclValue(HclKind.Number, value),
                'w' when value is "true" or "false" => new HclValue(HclKind.Bool, value),
                'w' => new HclValue(HclKind.Reference, value),
                _ => throw new Xunit.Sdk.XunitException($"{name}: a value, found '{value}'"),
            };
            Assert.True(attributes.TryAdd(name, parsed), $"{name} is set twice");
            Assert.True(i < tokens.Count, "the block is not closed");
        }
        i++;
        return new HclBlock(header, attributes);
    }

    private static void Expect(List<(char Kind, string Text)> tokens, ref int i, char kind)
    {
        Assert.True(i < tokens.Count && tokens[i].Kind == kind, $"expected '{kind}', found '{(i < tokens.Count ? tokens[i].Text : "the end")}'");
        i++;
    }

    /// <summary>Tokens: w (identifier or traversal), s (string), n (number), and the punctuation { } = as itself.</summary>
    private static List<(char, string)> Tokens(string text)
    {
        var tokens = new List<(char, string)>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c is '{' or '}' or '=')
            {
                tokens.Add((c, c.ToString()));
                i++;
            }
            else if (c == '"')
            {
                tokens.Add(('s', QuotedString(text, ref i)));
            }
            else if (c == '-' || char.IsAsciiDigit(c))
            {
                var start = i++;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                Assert.True(i - start > (c == '-' ? 1 : 0), $"a number at {start}");
                tokens.Add(('n', text[start..i]));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                tokens.Add(('w', Traversal(text, ref i)));
            }
            else
            {
                throw new Xunit.Sdk.XunitException($"unexpected '{c}' at {i}");
            }
        }
        return tokens;
    }

    /// <summary>A quoted string: <c>\"</c> and <c>\\</c> escapes; a template (<c>${</c>, <c>%{</c>) fails, as a fix has none.</summary>
    private static string QuotedString(string text, ref int i)
    {
        var b = new StringBuilder();
        for (i++; i < text.Length && text[i] != '"'; i++)
        {
            Assert.False(text[i] == '\n', "a string runs past the end of its line");
            Assert.False((text[i] is '$' or '%') && i + 1 < text.Length && text[i + 1] == '{', "a template in a string");
            if (text[i] == '\\')
            {
                i++;
                Assert.True(i < text.Length && text[i] is '"' or '\\', "an escape other than \\\" or \\\\");
            }
            b.Append(text[i]);
        }
        Assert.True(i < text.Length, "an unclosed string");
        i++;
        return b.ToString();
    }

    /// <summary><c>name(.attr | [number] | ["key"])*</c>, as written.</summary>
    private static string Traversal(string text, ref int i)
    {
        var start = i;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            {
                i++;
            }
            else if (c == '[')
            {
                var end = text.IndexOf(']', i);
                Assert.True(end > i, "an unclosed index");
                i = end + 1;
            }
            else
            {
                break;
            }
        }
        return text[start..i];
    }
}
