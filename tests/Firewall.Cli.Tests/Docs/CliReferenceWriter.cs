using System.CommandLine;
using System.CommandLine.Completions;
using System.Text;

namespace Firewall.Cli.Tests.Docs;

/// <summary>
/// Writes the reference part of docs/cli.md from the command tree the program itself builds
/// (<see cref="FirewallCli.CreateRoot"/>): for each command and subcommand its description, usage line,
/// arguments and every option with its aliases, value words, default and description. Nothing is listed
/// by hand, so a new option appears in the reference the next time it is regenerated, and
/// <see cref="CliReferenceTests"/> fails until it is:
/// <c>FIREWALL_UPDATE_DOCS=1 dotnet test tests/Firewall.Cli.Tests --filter CliReference</c>.
/// </summary>
internal static class CliReferenceWriter
{
    public const string Begin = "<!-- generated from the command tree by tests/Firewall.Cli.Tests/Docs/CliReferenceWriter.cs: do not edit between these lines; regenerate with FIREWALL_UPDATE_DOCS=1 dotnet test tests/Firewall.Cli.Tests --filter CliReference -->";

    public const string End = "<!-- end of the generated reference -->";

    /// <summary>One section per command, in the order the root lists them, subcommands after their parent.</summary>
    public static IReadOnlyList<(string Command, string Text)> Sections()
    {
        var root = FirewallCli.CreateRoot(new CliConsole { Out = Stream.Null, Error = TextWriter.Null, OpenInput = () => Stream.Null });
        var sections = new List<(string, string)> { ("firewall", Root(root)) };
        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            Walk(command, "firewall", sections);
        }
        return sections;
    }

    /// <summary>The text between <see cref="Begin"/> and <see cref="End"/>, both excluded.</summary>
    public static string Generate() => "\n" + string.Concat(Sections().Select(s => s.Text));

    private static void Walk(Command command, string parent, List<(string, string)> sections)
    {
        var path = $"{parent} {command.Name}";
        sections.Add((path, Section(command, path)));
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            Walk(sub, path, sections);
        }
    }

    private static string Root(RootCommand root)
    {
        var text = new StringBuilder();
        text.Append("### `firewall`\n\n").Append(root.Description).Append("\n\n");
        text.Append("Usage: `firewall COMMAND [options]`. Every command takes ");
        text.Append(string.Join(" and ", root.Options.Where(o => o.Recursive && !o.Hidden).Select(o => $"`{string.Join("`, `", Names(o))}` ({o.Description})")));
        text.Append("; `firewall` alone takes ");
        text.Append(string.Join(" and ", root.Options.Where(o => !o.Recursive && !o.Hidden).Select(o => $"`{string.Join("`, `", Names(o))}` ({o.Description})")));
        text.Append(".\n\n");
        return text.ToString();
    }

    private static string Section(Command command, string path)
    {
        var text = new StringBuilder();
        text.Append("### `").Append(path).Append("`\n\n").Append(command.Description).Append("\n\n");
        text.Append("Usage: `").Append(Usage(command, path)).Append("`\n\n");
        if (command.Subcommands.Count > 0)
        {
            text.Append("| command | description |\n| --- | --- |\n");
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                text.Append($"| [`{path} {sub.Name}`](#{Anchor($"{path} {sub.Name}")}) | {Cell(sub.Description)} |\n");
            }
            text.Append('\n');
        }
        if (command.Arguments.Any(a => !a.Hidden))
        {
            text.Append("| argument | description |\n| --- | --- |\n");
            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            {
                text.Append($"| `{ArgumentWord(argument)}` | {Cell(argument.Description)}{(argument.Arity.MinimumNumberOfValues == 0 ? " (optional)" : "")} |\n");
            }
            text.Append('\n');
        }
        var options = command.Options.Where(o => !o.Hidden && !o.Recursive).ToList();
        if (options.Count > 0)
        {
            text.Append("| option | value | default | description |\n| --- | --- | --- | --- |\n");
            foreach (var option in options)
            {
                var names = string.Join(", ", Names(option).Select(n => $"`{n}`"));
                var value = Value(option) is { } v ? $"`{Cell(v)}`" : "";
                var notes = (option.Required ? " (required)" : "") + (option.Arity.MaximumNumberOfValues > 1 && option.Description?.Contains("repeat", StringComparison.Ordinal) != true ? " (repeatable)" : "");
                text.Append($"| {names} | {value} | {Cell(Default(option))} | {Cell(Description(option))}{notes} |\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The GitHub anchor of a heading <c>### `firewall import aws`</c>.</summary>
    public static string Anchor(string path) => path.Replace(' ', '-');

    private static string Usage(Command command, string path)
    {
        var words = new List<string> { path };
        if (command.Subcommands.Count > 0)
        {
            words.Add("COMMAND");
        }
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var word = ArgumentWord(argument);
            words.Add(argument.Arity.MinimumNumberOfValues == 0 ? $"[{word}]" : word);
        }
        foreach (var option in command.Options.Where(o => o.Required && !o.Hidden))
        {
            words.Add(Value(option) is { } v ? $"{option.Name} {v}" : option.Name);
        }
        if (command.Options.Any(o => !o.Required && !o.Hidden && !o.Recursive))
        {
            words.Add("[options]");
        }
        return string.Join(" ", words);
    }

    private static string ArgumentWord(Argument argument)
    {
        var word = argument.HelpName ?? argument.Name;
        return argument.Arity.MaximumNumberOfValues > 1 ? $"{word}..." : word;
    }

    /// <summary>Aliases first, short before long, then the name (<c>-r</c>, <c>--ruleset</c>).</summary>
    private static IEnumerable<string> Names(Option option) =>
        option.Aliases.Append(option.Name).Distinct().OrderBy(n => n.StartsWith("--", StringComparison.Ordinal)).ThenBy(n => n.Length);

    /// <summary>The words an option accepts (<c>text|json</c>), its help name (<c>FILE</c>), or null for a switch.</summary>
    private static string? Value(Option option)
    {
        if (option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool))
        {
            return null;
        }
        if (option.HelpName is { } helpName)
        {
            return helpName;
        }
        if (option.ValueType != typeof(bool))
        {
            var words = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
            if (words.Count > 0)
            {
                return string.Join("|", words);
            }
        }
        return option.Name.TrimStart('-').ToUpperInvariant();
    }

    /// <summary>
    /// The default: the word a word option's description ends in ("[default: text]"), what the description
    /// says in "(default: …)" (<c>--threads</c>, whose value is this machine's core count), or the value.
    /// </summary>
    private static string Default(Option option)
    {
        var description = option.Description ?? "";
        var at = description.IndexOf("[default: ", StringComparison.Ordinal);
        if (at >= 0)
        {
            return $"`{description[(at + 10)..description.IndexOf(']', at)]}`";
        }
        at = description.IndexOf("(default: ", StringComparison.Ordinal);
        if (at >= 0)
        {
            return description[(at + 10)..description.IndexOf(')', at)];
        }
        if (!option.HasDefaultValue || option.ValueType == typeof(bool))
        {
            return "";
        }
        return option.GetDefaultValue() is { } value ? $"`{Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}`" : "";
    }

    /// <summary>The description without the "[default: word]" the default column shows.</summary>
    private static string? Description(Option option)
    {
        var at = option.Description?.IndexOf(" [default: ", StringComparison.Ordinal) ?? -1;
        return at < 0 ? option.Description : option.Description![..at] + option.Description[(option.Description.IndexOf(']', at) + 1)..];
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|").Replace("\n", " ");
}
