using System.CommandLine;
using System.CommandLine.Parsing;

namespace Firewall.Cli.Commands;

/// <summary>
/// Checks of options that cannot go together, run as command validators: the parser reports them like
/// its own errors (exit 2, and a pointer to --help), before anything is read.
/// </summary>
internal static class Combinations
{
    /// <param name="refusal">Why the options given cannot go together, or null. Not asked while a value is itself wrong: that has its own message.</param>
    /// <param name="prefix">Put before the message ("replies: ").</param>
    public static void Refuse(Command command, Func<CommandResult, string?> refusal, string prefix = "")
    {
        command.Validators.Add(result =>
        {
            string? message;
            try
            {
                message = refusal(result);
            }
            catch (InvalidOperationException)
            {
                // A value that does not convert (a word not offered, a number that is none) cannot be read,
                // and has its own error, reported with this command's: its combinations wait until it is right.
                return;
            }
            if (message is not null)
            {
                result.AddError(prefix + message);
            }
        });
    }

    /// <summary>The value given, or else the option's default: validators run before the defaults are filled in.</summary>
    public static T? ValueOrDefault<T>(this CommandResult result, Option<T> option) =>
        result.GetResult(option) is null && option.HasDefaultValue ? (T?)option.GetDefaultValue() : result.GetValue(option);
}
