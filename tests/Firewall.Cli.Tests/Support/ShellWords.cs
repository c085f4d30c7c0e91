using System.Text;

namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Splits a command line into words as a POSIX shell would (sh "Quoting"): blanks separate words,
/// single quotes keep everything literally, double quotes keep all but <c>\ " $ `</c>, a backslash
/// outside quotes escapes the next character. An unquoted character the shell would act on
/// (<c>$ ` ; | &amp; &lt; &gt; ( ) * ? [ #</c> and the like) fails the test: a printed command must run as printed.
/// </summary>
internal static class ShellWords
{
    private const string Special = "$`;|&<>()*?[]{}#~!";

    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    continue;
                case '\'':
                    var end = line.IndexOf('\'', i + 1);
                    Assert.True(end > i, $"an unclosed single quote at {i}: {line}");
                    word.Append(line, i + 1, end - i - 1);
                    i = end;
                    break;
                case '"':
                    for (i++; i < line.Length && line[i] != '"'; i++)
                    {
                        Assert.False(line[i] is '$' or '`', $"'{line[i]}' in double quotes is expanded by the shell: {line}");
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                        {
                            i++;
                        }
                        word.Append(line[i]);
                    }
                    Assert.True(i < line.Length, $"an unclosed double quote: {line}");
                    break;
                case '\\':
                    Assert.True(i + 1 < line.Length, $"a backslash at the end: {line}");
                    word.Append(line[++i]);
                    break;
                default:
                    Assert.False(Special.Contains(c), $"'{c}' at {i} is unquoted and the shell would act on it: {line}");
                    word.Append(c);
                    break;
            }
            inWord = true;
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
