using System.CommandLine;
using System.Text;
using Firewall.Rulesets.Import;
using Firewall.Rulesets.Import.Aws;
using Firewall.Rulesets.Import.Terraform;
using Firewall.Rulesets.Yaml;

namespace Firewall.Cli.Commands;

/// <summary>
/// <c>firewall import aws …</c> and <c>firewall import terraform PLAN.json</c>: write a ruleset (YAML) built
/// from AWS CLI output or a Terraform plan (docs/import.md). Notes go to standard error as
/// <c>WHERE: severity: message</c>; the ruleset goes to <c>-o FILE</c> or standard output.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("import", "Build a ruleset from AWS CLI output (import aws) or a Terraform plan (import terraform).");
        command.Subcommands.Add(CreateAws(console));
        command.Subcommands.Add(CreateTerraform(console));
        return command;
    }

    private static Option<string?> FileOption(string name, string what) => new(name) { Description = $"the JSON output of 'aws ec2 {what}'", HelpName = "FILE" };

    private static (Option<string?> Output, Option<bool> Strict) Common(Command command)
    {
        var output = new Option<string?>("--output", "-o") { Description = "write the ruleset to FILE instead of standard output", HelpName = "FILE" };
        var strict = new Option<bool>("--strict") { Description = "exit 1 when anything was reported as a warning or an error (the ruleset is still written)" };
        command.Options.Add(output);
        command.Options.Add(strict);
        return (output, strict);
    }

    /// <summary>The options of <c>import aws</c>: one file per kind of AWS object, the prefix lists, the VPC.</summary>
    private sealed class AwsOptions
    {
        public readonly Option<string?> Groups = FileOption("--security-groups", "describe-security-groups");
        public readonly Option<string?> Acls = FileOption("--network-acls", "describe-network-acls");
        public readonly Option<string?> Subnets = FileOption("--subnets", "describe-subnets");
        public readonly Option<string?> Enis = FileOption("--network-interfaces", "describe-network-interfaces");
        public readonly Option<string?> Vpcs = FileOption("--vpcs", "describe-vpcs");
        public readonly Option<string[]> PrefixLists = new("--prefix-lists")
        {
            Description = "ID=FILE: the output of 'aws ec2 get-managed-prefix-list-entries --prefix-list-id ID' (FILE alone when its name is ID.json); repeatable",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "ID=FILE",
        };
        public readonly Option<string?> Vpc = new("--vpc") { Description = "import only this VPC's objects (needed when the files hold several VPCs)" };
    }

    private static Command CreateAws(CliConsole console)
    {
        var o = new AwsOptions();
        var command = new Command("aws", "Build a ruleset from 'aws ec2 describe-*' JSON output.") { o.Groups, o.Acls, o.Subnets, o.Enis, o.Vpcs, o.PrefixLists, o.Vpc };
        var (output, strict) = Common(command);
        Combinations.Refuse(
            command,
            result => result.GetValue(o.Groups) is null && result.GetValue(o.Acls) is null ? "give at least one of --security-groups and --network-acls"
                : new[] { o.Groups, o.Acls, o.Subnets, o.Enis, o.Vpcs }.Select(result.GetValue).Concat(result.GetValue(o.PrefixLists) ?? []).Count(f => f == "-" || f?.EndsWith("=-", StringComparison.Ordinal) == true) > 1
                    ? "standard input ('-') can feed one file only"
                    : null,
            "import aws: ");
        command.SetAction(parse =>
        {
            var error = console.Error;
            var unread = new List<string>();
            ImportFile? Read(Option<string?> option) => parse.GetValue(option) is { } path ? ReadOrNote(path, console, unread) : null;
            var input = new AwsImportInput
            {
                SecurityGroups = Read(o.Groups),
                NetworkAcls = Read(o.Acls),
                Subnets = Read(o.Subnets),
                NetworkInterfaces = Read(o.Enis),
                Vpcs = Read(o.Vpcs),
                Vpc = parse.GetValue(o.Vpc),
            };
            if (ReadPrefixLists(parse.GetValue(o.PrefixLists) ?? [], console, unread) is not { } lists || unread.Count > 0)
            {
                return ExitCodes.BadInput;
            }
            return Finish(console, AwsImporter.Import(input with { PrefixLists = lists }), parse.GetValue(output), parse.GetValue(strict));
        });
        return command;
    }

    /// <summary>The file, or null after adding its path to <paramref name="unread"/> (the message has been printed).</summary>
    private static ImportFile? ReadOrNote(string path, CliConsole console, List<string> unread)
    {
        if (ReadFile(path, console) is { } file)
        {
            return file;
        }
        unread.Add(path);
        return null;
    }

    /// <summary><c>--prefix-lists ID=FILE</c> (or <c>pl-ID.json</c>): the files read, or null when a spec names no prefix-list id.</summary>
    private static List<(string, ImportFile)>? ReadPrefixLists(string[] specs, CliConsole console, List<string> unread)
    {
        var error = console.Error;
        var lists = new List<(string, ImportFile)>();
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=');
            var (id, path) = eq > 0 ? (spec[..eq], spec[(eq + 1)..]) : (Path.GetFileNameWithoutExtension(spec), spec);
            if (!id.StartsWith("pl-", StringComparison.Ordinal))
            {
                error.WriteLine($"firewall: --prefix-lists {spec}: expected ID=FILE with a prefix-list id (pl-...), or a file named after the id");
                return null;
            }
            if (ReadOrNote(path, console, unread) is { } file)
            {
                lists.Add((id, file));
            }
        }
        return lists;
    }

    private static Command CreateTerraform(CliConsole console)
    {
        var plan = new Argument<string>("PLAN") { Description = "the output of 'terraform show -json PLANFILE'" };
        var command = new Command("terraform", "Build a ruleset from a Terraform plan in JSON ('terraform show -json').") { plan };
        var (output, strict) = Common(command);
        command.SetAction(parse =>
            ReadFile(parse.GetValue(plan)!, console) is { } file
                ? Finish(console, TerraformImporter.Import(file), parse.GetValue(output), parse.GetValue(strict))
                : ExitCodes.BadInput);
        return command;
    }

    /// <summary>The file, or standard input for "-"; null after printing why it cannot be read.</summary>
    private static ImportFile? ReadFile(string path, CliConsole console)
    {
        var error = console.Error;
        try
        {
            if (path == "-")
            {
                if (BoundedTextFile.Read(console.OpenInput(), ImportFile.MaxChars) is not { } input)
                {
                    error.WriteLine($"firewall: standard input holds more than {ImportFile.MaxChars / (1024 * 1024)} Mi characters");
                    return null;
                }
                return new ImportFile("-", input);
            }
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error.WriteLine($"firewall: {path}: no such file");
                return null;
            }
            if (info.Length > ImportFile.MaxChars)
            {
                error.WriteLine($"firewall: {path}: the file is larger than {ImportFile.MaxChars / (1024 * 1024)} MiB");
                return null;
            }
            if (BoundedTextFile.Read(path, ImportFile.MaxChars) is not { } text)
            {
                error.WriteLine($"firewall: {path}: the file holds more than {ImportFile.MaxChars / (1024 * 1024)} Mi characters");
                return null;
            }
            return new ImportFile(path, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            error.WriteLine($"firewall: {path}: cannot read: {ex.Message}");
            return null;
        }
    }

    private static int Finish(CliConsole console, ImportResult result, string? outputPath, bool strict)
    {
        var error = console.Error;
        foreach (var note in result.Notes)
        {
            error.WriteLine(note.ToString());
        }
        if (result.Ruleset is null)
        {
            error.WriteLine("firewall: import: no ruleset was written");
            return ExitCodes.BadInput;
        }
        var yaml = Encoding.UTF8.GetBytes(result.ToYaml());
        try
        {
            if (outputPath is null or "-")
            {
                console.Out.Write(yaml);
                console.Out.Flush();
            }
            else
            {
                File.WriteAllBytes(outputPath, yaml);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            error.WriteLine($"firewall: {outputPath}: cannot write the ruleset: {ex.Message}");
            return ExitCodes.BadInput;
        }
        var m = result.Ruleset;
        var counts = result.Notes.GroupBy(n => n.Severity).ToDictionary(g => g.Key, g => g.Count());
        error.WriteLine($"firewall: import: {m.SecurityGroups.Count} security groups, {m.NetworkAcls.Count} network ACLs, {m.Subnets.Count} subnets, {m.Interfaces.Count} interfaces; "
            + $"{counts.GetValueOrDefault(ImportSeverity.Error)} errors, {counts.GetValueOrDefault(ImportSeverity.Warning)} warnings");
        return strict && result.Notes.Any(n => n.Severity != ImportSeverity.Info) ? ExitCodes.ConditionMet : ExitCodes.Ok;
    }
}
