using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>--flows-file FLOWS.yaml</c> names synthetic input; <c>--flows</c> keeps one meaning in check (per-flow
/// records). The old spelling of the input still works everywhere, with the same standard output.
/// </summary>
public sealed class FlowsFileOptionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _flows = Repository.PathOf("samples/web-tier.flows.yaml");
    private readonly string _ruleset = Repository.PathOf("rulesets/web-tier.yaml");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--format", "jsonl", "--flow-records")]
    [InlineData("--format", "json", "--packets")]
    [InlineData("--format", "text")]
    public void Check_reads_the_flows_file_under_either_spelling(params string[] extra)
    {
        var now = InProcessCli.Run(["check", "--flows-file", _flows, "--ruleset", _ruleset, .. extra]);
        var before = InProcessCli.Run(["check", "--flows", _flows, "--ruleset", _ruleset, .. extra]);
        Assert.Equal(0, now.ExitCode);
        Assert.Equal("", now.Error);
        Assert.NotEmpty(now.Out);
        Assert.Equal(before.Out, now.Out);
    }

    [Fact]
    public void Check_flows_beside_a_flows_file_asks_for_flow_records()
    {
        var capture = _dir.File("synth.pcap");
        Assert.Equal(0, InProcessCli.Run("synth", _flows, "-r", _ruleset, "-o", capture, "-q").ExitCode);
        var fromFile = InProcessCli.Run("check", "--flows-file", _flows, "--ruleset", _ruleset, "--flows", "--format", "jsonl");
        var fromCapture = InProcessCli.Run("check", capture, "--ruleset", _ruleset, "--flows", "--format", "jsonl");
        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(fromCapture.Out, fromFile.Out);
    }

    [Fact]
    public void Report_and_diff_note_the_old_spelling_on_standard_error_only()
    {
        var now = InProcessCli.Run("diff", "--flows-file", _flows, "-r", _ruleset, "--against", _ruleset, "--format", "json");
        var before = InProcessCli.Run("diff", "--flows", _flows, "-r", _ruleset, "--against", _ruleset, "--format", "json");
        Assert.Equal((0, ""), (now.ExitCode, now.Error));
        Assert.Equal(0, before.ExitCode);
        Assert.Equal(now.Out, before.Out);
        Assert.Contains("is now spelled --flows-file", before.Error);
        var report = InProcessCli.Run("report", "--flows", _flows, "-r", _ruleset, "-o", _dir.File("r.html"));
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("is now spelled --flows-file", report.Error);
    }

    [Fact]
    public void Both_inputs_are_refused_under_the_new_spelling()
    {
        var r = InProcessCli.Run("check", Repository.PathOf("samples/web-tier.pcapng"), "--flows-file", _flows, "--ruleset", _ruleset);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"give either a CAPTURE or --flows-file {_flows}, not both", r.Error);
    }

    [Fact]
    public void Two_flows_files_under_both_spellings_are_refused()
    {
        var r = InProcessCli.Run("check", "--flows-file", _flows, "--flows", _flows, "--ruleset", _ruleset);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--flows {_flows} is the old spelling of --flows-file: give one flows file, not both", r.Error);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("JSON")]
    [InlineData("1")]
    public void Typed_options_accept_only_their_words(string word)
    {
        var r = InProcessCli.Run("check", Repository.PathOf("samples/web-tier.pcapng"), "--ruleset", _ruleset, "--format", word);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"Argument '{word}' not recognized. Must be one of:", r.Error);
        Assert.DoesNotContain("Exception", r.Error);
    }
}
