using System.CommandLine;
using Firewall.Cli.Running;
using Firewall.Engine.Model;
using Firewall.Flows.Testing;
using Firewall.Reporting.Formatting;
using Firewall.Reporting.Testing;

namespace Firewall.Cli.Commands;

/// <summary><c>firewall test FILE... [--junit FILE] [--ruleset RULESET]</c>: run regression test files (docs/test-format.md).</summary>
internal static class TestCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "test files (YAML, see docs/test-format.md), or directories: their *.tests.yaml files",
            Arity = ArgumentArity.OneOrMore,
        };
        var junit = new Option<string?>("--junit") { Description = "also write the results as JUnit XML to FILE (for Jenkins, GitLab, GitHub)", HelpName = "FILE" };
        var ruleset = new Option<string?>("--ruleset")
        {
            Description = "run every file against this ruleset instead of the one its 'ruleset:' key names (a proposed change)",
            HelpName = "RULESET",
        };
        var filter = new Option<string[]>("--filter")
        {
            Description = "run only the tests whose name contains NAME (ignoring case); repeatable",
            HelpName = "NAME",
        };
        var format = OptionWords.TextOrJson.Option("--format", "text (default) or json on standard output; --junit writes JUnit XML beside either", defaulted: true, "-f");
        var color = ColorOption.Create();
        var command = new Command("test", "Run rule regression tests: synthesized flows and captures with expected verdicts; exit 1 on any failure.")
        {
            files,
            junit,
            ruleset,
            filter,
            format,
            color,
        };
        // A token that looks like an option and is none (`test t.yaml -q`) would otherwise be taken for a
        // test file's name: refuse it, as every other command refuses an unknown option.
        Combinations.Refuse(command, result =>
            result.GetValue(files)?.FirstOrDefault(f => f.Length > 1 && f[0] == '-') is { } unknown
                ? $"unknown option '{unknown}' (a test file whose name starts with '-' is written ./{unknown})"
                : null);
        command.SetAction(parse => Run(console, parse.GetValue(files)!, parse.GetValue(junit), parse.GetValue(ruleset), parse.GetValue(filter) ?? [], parse.GetValue(format),
            ColorOption.Palette(parse.GetValue(color), console, null)));
        return command;
    }

    private static int Run(CliConsole console, string[] arguments, string? junitPath, string? rulesetPath, string[] names, TextOrJson format, TextPalette palette)
    {
        if (TestFiles(arguments, console.Error) is not { } files)
        {
            return ExitCodes.BadInput;
        }
        Ruleset? ruleset = null;
        if (rulesetPath is not null)
        {
            if (Inputs.LoadRuleset(rulesetPath, console.Error) is not { } compiled)
            {
                return ExitCodes.BadInput;
            }
            ruleset = compiled.Model;
        }
        var run = TestRunner.RunFiles(files, ruleset, names);
        if (names.Length > 0 && run.Suites.Sum(s => s.Cases.Count) == 0)
        {
            console.Error.WriteLine($"firewall: --filter {string.Join(" --filter ", names)}: no test has such a name");
            return ExitCodes.BadInput;
        }
        foreach (var d in run.Errors)
        {
            console.Error.WriteLine(d.Line > 0 ? d.ToString() : $"{d.File}: {d.Message}");
        }
        if (format == TextOrJson.Json)
        {
            TestJsonWriter.Write(run.Suites, console.Out);
        }
        else
        {
            using var text = Inputs.Text(console.Out);
            TestTextWriter.Write(run.Suites, text, palette);
        }
        if (junitPath is not null)
        {
            try
            {
                JUnitWriter.Write(run.Suites, junitPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                console.Error.WriteLine($"firewall: {junitPath}: cannot write the JUnit report: {ex.Message}");
                return ExitCodes.BadInput;
            }
        }
        if (run.Errors.Count > 0)
        {
            console.Error.WriteLine($"firewall: {run.Errors.Count} error(s) in the test files; those files were not run");
        }
        return run.ExitCode;
    }

    /// <summary>The test files named, a directory standing for its <c>*.tests.yaml</c> files in name order; null after saying that a directory holds none.</summary>
    private static List<string>? TestFiles(string[] arguments, TextWriter error)
    {
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (!Directory.Exists(argument))
            {
                files.Add(argument);
                continue;
            }
            var inside = Directory.GetFiles(argument, "*.tests.yaml").Order(StringComparer.Ordinal).ToList();
            if (inside.Count == 0)
            {
                error.WriteLine($"firewall: {argument}: a directory with no test file (*.tests.yaml) in it");
                return null;
            }
            files.AddRange(inside);
        }
        return files;
    }
}
