using System.CommandLine;

namespace Firewall.Cli.Commands;

/// <summary>
/// The words an option accepts and the enum values they stand for: each word is its value's name in
/// kebab case (<c>ReplyDenied</c> is <c>reply-denied</c>). The option is typed, yet accepts exactly these
/// spellings (not the names in any case, nor numbers, as enum parsing would), and a wrong word gets
/// System.CommandLine's own "not recognized. Must be one of" message.
/// </summary>
internal sealed class Words<T>
    where T : struct, Enum
{
    private readonly (string Word, T Value)[] _words;

    /// <param name="values">The values the option offers, in order; all of the enum's when empty.</param>
    public Words(params T[] values) =>
        _words = [.. (values.Length > 0 ? values : Enum.GetValues<T>()).Select(v => (EnumWords.Word(v), v))];

    public string Name(T value) => EnumWords.Word(value);

    /// <summary>An option taking one of the words.</summary>
    /// <param name="defaulted">
    /// When the option is not given its value is the enum's first (zero) value, which the help text names
    /// as <c>[default: word]</c>. (A DefaultValueFactory would make help print the enum's name instead.)
    /// </param>
    public Option<T> Option(string name, string description, bool defaulted, params string[] aliases)
    {
        var option = new Option<T>(name, aliases)
        {
            Description = defaulted ? $"{description} [default: {Name(default)}]" : description,
            CustomParser = result => Parse(result.Tokens[0].Value),
        };
        option.AcceptOnlyFromAmong([.. _words.Select(w => w.Word)]);
        return option;
    }

    /// <summary>An option taking one word or more, repeated (<c>--fail-on deny --fail-on undecodable</c>).</summary>
    public Option<T[]> Repeated(string name, string description)
    {
        var option = new Option<T[]>(name)
        {
            Description = description,
            CustomParser = result => [.. result.Tokens.Select(t => Parse(t.Value))],
            Arity = ArgumentArity.OneOrMore,
        };
        option.AcceptOnlyFromAmong([.. _words.Select(w => w.Word)]);
        return option;
    }

    // A word not in the list never gets here: AcceptOnlyFromAmong has refused it (the default only keeps
    // the parser total).
    private T Parse(string word) => _words.FirstOrDefault(w => w.Word == word).Value;
}

/// <summary>The word of an enum value, for options and for help.</summary>
internal static class EnumWords
{
    public static string Word(Enum value)
    {
        var name = value.ToString();
        var word = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && word.Length > 0)
            {
                word.Append('-');
            }
            word.Append(char.ToLowerInvariant(c));
        }
        return word.ToString();
    }

}
