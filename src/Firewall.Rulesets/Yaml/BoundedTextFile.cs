using System.Text;

namespace Firewall.Rulesets.Yaml;

/// <summary>
/// Reads a text file the way <see cref="File.ReadAllText(string)"/> does (UTF-8 unless a byte-order mark says
/// otherwise) but stops at a bound while reading. A size check on <see cref="FileInfo.Length"/> alone is not
/// enough: /dev/zero, /dev/urandom, a FIFO or a file growing under the reader all report a length of 0 and
/// would be read until memory runs out.
/// </summary>
public static class BoundedTextFile
{
    /// <summary>The file's text, or null when it holds more than <paramref name="maxChars"/> characters (reading stops there).</summary>
    /// <exception cref="IOException">and the other exceptions of opening a <see cref="FileStream"/>, as File.ReadAllText throws them.</exception>
    public static string? Read(string path, int maxChars)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, maxChars);
    }

    /// <summary>The stream's text (standard input, a pipe), or null when it holds more than <paramref name="maxChars"/> characters (reading stops there).</summary>
    public static string? Read(Stream stream, int maxChars)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, maxChars);
    }

    private static string? Read(StreamReader reader, int maxChars)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + n > maxChars)
            {
                return null;
            }
            text.Append(buffer, 0, n);
        }
        return text.ToString();
    }
}
