using Firewall.Cli.Tests.Support;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// Issue 5 must-show 4: bad input to any command prints a clear message on standard error, nothing on
/// standard output, no stack trace, and exits 2.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _capture;
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public BadInputTests()
    {
        _capture = WebTierTraffic.Build().WriteTo(_dir.File("good.pcap"));
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Commands => new() { "check", "replies", "decode" };

    private string[] Args(string command, string capture, string? ruleset = null) =>
        command == "decode" ? [command, capture] : [command, capture, "--ruleset", ruleset ?? _ruleset];

    private static void AssertBadInput(CliResult r, params string[] expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        foreach (var text in expected)
        {
            Assert.Contains(text, r.Error);
        }
        Assert.DoesNotContain("   at ", r.Error);
        Assert.DoesNotContain("Exception", r.Error);
    }

    [Theory, MemberData(nameof(Commands))]
    public void Missing_capture_file(string command)
    {
        var missing = _dir.File("nope.pcap");
        var r = InProcessCli.Run(Args(command, missing));
        AssertBadInput(r, $"firewall: {missing}: no such capture file");
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
    }

    [Theory, MemberData(nameof(Commands))]
    public void A_directory_is_not_a_capture(string command)
    {
        var r = InProcessCli.Run(Args(command, _dir.Path));
        AssertBadInput(r, "is a directory");
    }

    [Theory, MemberData(nameof(Commands))]
    public void Not_a_capture(string command)
    {
        var text = _dir.File("notes.txt");
        File.WriteAllText(text, "these are not packets\n");
        var r = InProcessCli.Run(Args(command, text));
        AssertBadInput(r, $"firewall: {text}: not a capture file", "expected a pcap, pcapng or gzip magic");
        Assert.Single(r.Error.TrimEnd('\n').Split('\n'));
    }

    [Theory, MemberData(nameof(Commands))]
    public void Empty_capture_file(string command)
    {
        var empty = _dir.File("empty.pcap");
        File.WriteAllBytes(empty, []);
        AssertBadInput(InProcessCli.Run(Args(command, empty)), "not a capture file: it is empty");
    }

    [Theory, MemberData(nameof(Commands))]
    public void Unreadable_capture_from_standard_input(string command)
    {
        var r = InProcessCli.RunWithInput("GET / HTTP/1.1\r\n"u8.ToArray(), Args(command, "-"));
        AssertBadInput(r, "firewall: -: not a capture file");
    }

    [Theory, MemberData(nameof(Commands))]
    public void Unknown_option(string command)
    {
        var r = InProcessCli.Run([.. Args(command, _capture), "--bogus"]);
        AssertBadInput(r, "--bogus", $"Run 'firewall {command} --help' for usage.");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("replies")]
    public void Missing_ruleset_option(string command)
    {
        var r = InProcessCli.Run(command, _capture);
        AssertBadInput(r, "--ruleset");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("replies")]
    public void Missing_ruleset_file(string command)
    {
        var missing = _dir.File("missing.yaml");
        var r = InProcessCli.Run(Args(command, _capture, missing));
        AssertBadInput(r, $"{missing}: cannot read the ruleset: no such file");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("replies")]
    public void Broken_ruleset_prints_every_error_with_file_line_and_column(string command)
    {
        var broken = _dir.File("broken.yaml");
        File.WriteAllText(broken, """
            version: 1
            subnets:
              public:
                cidr: 10.0.1.0/33
            network_acls:
              acl:
                inbound:
                  - { rule: 100, protocol: tcp, ports: 99999, source: 0.0.0.0/0, action: allow }
            """);
        var r = InProcessCli.Run(Args(command, _capture, broken));
        AssertBadInput(r, $"{broken}:4:11: ", $"{broken}:8:44: ", "the ruleset has 2 errors; nothing was evaluated");
    }

    [Fact]
    public void Unknown_command()
    {
        var r = InProcessCli.Run("frobnicate");
        AssertBadInput(r, "frobnicate", "Run 'firewall --help' for usage.");
    }

    [Fact]
    public void Bad_option_value()
    {
        var r = InProcessCli.Run("check", _capture, "--ruleset", _ruleset, "--format", "xml");
        AssertBadInput(r, "xml");
    }

    [Fact]
    public void Unwritable_output()
    {
        var r = InProcessCli.Run("check", _capture, "--ruleset", _ruleset, "-o", _dir.File("no/such/dir/out.txt"));
        AssertBadInput(r, "cannot write the output");
    }

    [Fact]
    public void No_arguments_is_a_usage_error()
    {
        var r = InProcessCli.Run();
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void Help_exits_0()
    {
        var r = InProcessCli.Run("check", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--ruleset", r.Out);
    }
}
