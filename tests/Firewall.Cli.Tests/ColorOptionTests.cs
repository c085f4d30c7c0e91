using Firewall.Reporting.Formatting;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// --color and NO_COLOR (https://no-color.org): colour only on a terminal, never with NO_COLOR unless
/// --color always says so, never in a file or a machine format; and colour changes no character of the text.
/// </summary>
public sealed class ColorOptionTests : IDisposable
{
    private const string Sgr = "\u001b[";
    private static readonly string Sample = Repository.PathOf("samples/web-tier.pcapng");
    private static readonly string Ruleset = Repository.PathOf("rulesets/web-tier.yaml");
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[] Check(params string[] more) => ["check", Sample, "--ruleset", Ruleset, .. more];

    public static TheoryData<string[]> Commands => new()
    {
        Check(),
        Check("--packets", "--flows"),
        Check("--summary"),
        new[] { "replies", Sample, "--ruleset", Ruleset },
        new[] { "replies", "--ruleset", Ruleset },
        new[] { "diff", Sample, "--ruleset", Ruleset, "--against", Repository.PathOf("rulesets/changes/web-tier-widened.yaml") },
        new[] { "diff", "--ruleset", Ruleset, "--against", Repository.PathOf("rulesets/changes/web-tier-widened.yaml"), "--set", "tcp * -> web-1" },
        new[] { "test", Repository.PathOf("rulesets/web-tier.tests.yaml") },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Always_paints_and_stripping_the_paint_gives_the_never_output(string[] args)
    {
        var never = InProcessCli.RunWithConsole(true, NoEnvironment, [.. args, "--color", "never"]);
        var always = InProcessCli.Run([.. args, "--color", "always"]);
        Assert.Equal(never.ExitCode, always.ExitCode);
        Assert.DoesNotContain(Sgr, never.Out);
        Assert.Contains(Sgr, always.Out);
        Assert.Equal(never.Out, TextPalette.Strip(always.Out));
        Assert.DoesNotContain(Sgr, always.Error);
    }

    [Fact]
    public void Auto_paints_a_terminal_only()
    {
        Assert.Contains(Sgr, InProcessCli.RunWithConsole(true, NoEnvironment, Check()).Out);
        // In-process runs write to a memory stream, as a pipe or a redirection would be.
        Assert.DoesNotContain(Sgr, InProcessCli.Run(Check()).Out);
        Assert.DoesNotContain(Sgr, InProcessCli.Run(Check("--color", "auto")).Out);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("false")]
    public void No_color_set_to_anything_turns_auto_off(string value)
    {
        var env = new Dictionary<string, string> { ["NO_COLOR"] = value };
        Assert.DoesNotContain(Sgr, InProcessCli.RunWithConsole(true, env, Check()).Out);
        Assert.DoesNotContain(Sgr, InProcessCli.RunWithConsole(true, env, "test", Repository.PathOf("rulesets/web-tier.tests.yaml")).Out);
        // An explicit --color always overrides it, as no-color.org asks of command-line arguments.
        Assert.Contains(Sgr, InProcessCli.RunWithConsole(true, env, Check("--color", "always")).Out);
    }

    [Fact]
    public void An_empty_no_color_is_as_if_unset()
    {
        var env = new Dictionary<string, string> { ["NO_COLOR"] = "" };
        Assert.Contains(Sgr, InProcessCli.RunWithConsole(true, env, Check()).Out);
    }

    [Fact]
    public void Files_and_machine_formats_are_never_painted()
    {
        var file = _dir.File("report.txt");
        var written = InProcessCli.RunWithConsole(true, NoEnvironment, Check("--color", "always", "-o", file));
        Assert.Equal(0, written.ExitCode);
        Assert.DoesNotContain(Sgr, File.ReadAllText(file));
        Assert.Equal(InProcessCli.Run(Check()).Out, File.ReadAllText(file));
        foreach (var format in new[] { "json", "jsonl", "flowlog" })
        {
            var r = InProcessCli.RunWithConsole(true, NoEnvironment, Check("--color", "always", "--format", format));
            Assert.Equal(0, r.ExitCode);
            Assert.DoesNotContain(Sgr, r.Out);
        }
        var csv = InProcessCli.RunWithConsole(true, NoEnvironment, Check("--color", "always", "--format", "csv", "--flows"));
        Assert.DoesNotContain(Sgr, csv.Out);
        var junit = _dir.File("junit.xml");
        InProcessCli.RunWithConsole(true, NoEnvironment, "test", Repository.PathOf("rulesets/web-tier.tests.yaml"), "--color", "always", "--junit", junit);
        Assert.DoesNotContain(Sgr, File.ReadAllText(junit));
        var repliesJson = InProcessCli.RunWithConsole(true, NoEnvironment, "replies", Sample, "--ruleset", Ruleset, "--color", "always", "--format", "json");
        Assert.DoesNotContain(Sgr, repliesJson.Out);
    }

    [Fact]
    public void A_word_not_offered_is_refused()
    {
        var r = InProcessCli.Run(Check("--color", "yes"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'yes' not recognized", r.Error);
    }
}
