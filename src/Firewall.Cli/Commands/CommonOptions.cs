using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Cli.Running;
using Firewall.Engine.Evaluation;
using Firewall.Runs;

namespace Firewall.Cli.Commands;

/// <summary>Options shared by the commands that evaluate a capture.</summary>
internal sealed class CommonOptions
{
    public Argument<string> Capture { get; } = new("CAPTURE")
    {
        Description = "pcap or pcapng file, optionally gzip-compressed; '-' reads standard input as a stream",
    };

    public Option<string> Ruleset { get; } = new("--ruleset", "-r")
    {
        Description = "the ruleset: a ruleset file (YAML, see docs/ruleset-format.md), a Terraform plan (terraform show -json) or aws ec2 describe-* output (a file or a directory)",
        Required = true,
    };

    public Option<MidstreamPolicy> Midstream { get; } = OptionWords.Midstream.Option(
        "--midstream", "a non-SYN TCP packet of no tracked connection: 'pickup' judges it by rules and infers the direction, 'strict' denies it", defaulted: true);

    public Option<bool> RelatedIcmp { get; } = new("--related-icmp")
    {
        Description = "admit ICMP errors that quote a tracked flow (netfilter RELATED); AWS requires explicit rules",
    };

    public Option<Encapsulation> Decap { get; } = OptionWords.Decap.Option(
        "--decap", "unwrap encapsulated traffic first: 'vxlan' (UDP 4789, as AWS Traffic Mirroring delivers it)", defaulted: false);

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "no progress on standard error",
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "write the report to FILE instead of standard output",
        HelpName = "FILE",
    };

    public Option<int> Threads { get; } = new("--threads", "-j")
    {
        Description = "evaluate on N threads, flows split by address pair; results are those of one thread (default: all cores)",
        HelpName = "N",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>Synthetic flows instead of a capture (check, report, diff). <c>--flows FILE</c> was its name before.</summary>
    public Option<string?> FlowsFile { get; } = new("--flows-file")
    {
        Description = "evaluate the synthetic flows of FLOWS.yaml (docs/flows-format.md) instead of a capture, exactly as synth --ruleset then check would: a packet the ruleset denies is never answered",
        HelpName = "FLOWS.yaml",
    };

    public CommonOptions()
    {
        Threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > CaptureRun.MaxThreads)
            {
                result.AddError($"--threads must be between 1 and {CaptureRun.MaxThreads}");
            }
        });
    }

    /// <summary>The first of <paramref name="options"/> given on the command line (not by default), or null: for refusing options that apply to traffic only.</summary>
    public static string? TrafficOnly(SymbolResult parse, params Option[] options) =>
        options.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false })?.Name;

    public void AddTo(Command command)
    {
        command.Arguments.Add(Capture);
        command.Options.Add(Ruleset);
        command.Options.Add(Midstream);
        command.Options.Add(RelatedIcmp);
        command.Options.Add(Decap);
        command.Options.Add(Threads);
        command.Options.Add(Quiet);
        command.Options.Add(Output);
    }

    /// <summary>What to read and how, once the command knows which input it has.</summary>
    public TrafficSettings Settings(ParseResult parse, string? capturePath, string? flowsFile) => new(
        parse.GetValue(Ruleset)!,
        capturePath,
        flowsFile,
        Evaluation(parse),
        parse.GetValue(Decap) == Encapsulation.Vxlan,
        parse.GetValue(Threads),
        parse.GetValue(Quiet),
        parse.GetValue(Output));

    public EvaluationOptions Evaluation(ParseResult parse) => new()
    {
        MidstreamStrict = parse.GetValue(Midstream) == MidstreamPolicy.Strict,
        RelatedIcmp = parse.GetValue(RelatedIcmp),
    };
}
