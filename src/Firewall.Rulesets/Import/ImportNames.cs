using System.Text;

namespace Firewall.Rulesets.Import;

/// <summary>
/// Turns AWS ids and Terraform addresses into the loader's simple names (letters, digits, '-', '_', '.',
/// 1–128 characters; docs/ruleset-format.md "Names"). AWS ids (<c>sg-0abc…</c>, <c>acl-…</c>) already are
/// simple names and are kept as they are; anything else has each other character replaced by '-'.
/// Names are made unique per kind, so two sources never merge into one object.
/// </summary>
internal sealed class ImportNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 128));
        foreach (var c in text)
        {
            if (builder.Length == 128)
            {
                break;
            }
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }
        // Terraform instance keys end in ']' ("aws_instance.web[0]" -> "aws_instance.web-0-"): trim the tail.
        var name = builder.ToString().TrimEnd('-');
        return name.Length == 0 ? "unnamed" : name;
    }

    /// <summary>A unique simple name for <paramref name="text"/>: sanitised, then suffixed -2, -3… on a clash.</summary>
    public string Claim(string text)
    {
        var name = Sanitize(text);
        if (_used.Add(name))
        {
            return name;
        }
        for (var i = 2; ; i++)
        {
            var suffix = $"-{i}";
            var candidate = (name.Length + suffix.Length > 128 ? name[..(128 - suffix.Length)] : name) + suffix;
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
