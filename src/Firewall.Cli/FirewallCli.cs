using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using Firewall.Cli.Commands;

namespace Firewall.Cli;

/// <summary>
/// The <c>firewall</c> command line: builds the commands, parses, and maps every outcome to an exit code.
/// Parse errors and bad input print one message on standard error and exit 2; no stack trace reaches the
/// user except for a bug, and then with a line saying so.
/// </summary>
public static class FirewallCli
{
    /// <summary>
    /// Every command, in the order docs/cli.md lists them. The reference part of docs/cli.md is generated
    /// from this tree (tests/Firewall.Cli.Tests/Docs/CliReferenceWriter.cs; regenerate with
    /// <c>FIREWALL_UPDATE_DOCS=1 dotnet test tests/Firewall.Cli.Tests --filter CliReference</c>).
    /// </summary>
    public static RootCommand CreateRoot(CliConsole console) =>
        new("Replays packet captures against AWS-style security groups (stateful) and network ACLs (stateless).")
        {
            CheckCommand.Create(console),
            RepliesCommand.Create(console),
            ReportCommand.Create(console),
            DecodeCommand.Create(console),
            SynthCommand.Create(console), TestCommand.Create(console), ExplainCommand.Create(console),
            ImportCommand.Create(console), LintCommand.Create(console), DiffCommand.Create(console), QueryCommand.Create(console),
        };

    public static int Run(string[] args, CliConsole console)
    {
        var root = CreateRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"firewall: {error.Message}");
            }
            // The command as typed, subcommands included ("firewall import aws").
            var name = "firewall";
            for (var result = parse.CommandResult; result.Command != root; result = (CommandResult)result.Parent!)
            {
                name = name.Insert("firewall".Length, $" {result.Command.Name}");
            }
            console.Error.WriteLine($"Run '{name} --help' for usage.");
            console.Error.Flush();
            return ExitCodes.BadInput;
        }
        using var output = new StreamWriter(console.Out, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\n" };
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (IOException ex)
        {
            // Writing the report failed (a full disk, a closed pipe): the input was fine but the run is not complete.
            console.Error.WriteLine($"firewall: {ex.Message}");
            return ExitCodes.BadInput;
        }
        finally
        {
            output.Flush();
            console.Error.Flush();
        }
    }
}
