using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Analysis.Selection;
using Firewall.Analysis.Summaries;

namespace Firewall.Analysis.Runs;

/// <summary>What a run read, as the user named it: shown in every report's header.</summary>
public sealed record RunInput
{
    /// <summary>The capture as given on the command line ("-" for standard input).</summary>
    public required string CaptureName { get; init; }

    /// <summary>"pcap" or "pcapng"; null when unknown.</summary>
    public string? CaptureFormat { get; init; }

    public bool CaptureCompressed { get; init; }

    /// <summary>The ruleset file as given on the command line.</summary>
    public required string RulesetPath { get; init; }

    /// <summary>VXLAN frames were unwrapped (<c>--decap vxlan</c>).</summary>
    public bool DecapsulateVxlan { get; init; }

    /// <summary>
    /// Damage the capture reader found (a truncated end, corrupt lengths), in the reader's words, then what
    /// the decoder read in spite of the capture (IPv6 on a LINKTYPE_IPV4 interface, ...).
    /// </summary>
    public IReadOnlyList<string> CaptureWarnings { get; init; } = [];

    /// <summary>The LINKTYPE numbers of frames that were undecodable because the decoder does not read that link type.</summary>
    public IReadOnlyList<ushort> UnsupportedLinkTypes { get; init; } = [];

    /// <summary>
    /// Undecodable frames by reason, indexed by <see cref="DecodeError"/>, as the capture reader counted them
    /// (packets made from flows are never undecodable: all zero).
    /// </summary>
    public IReadOnlyList<long> DecodeErrors { get; init; } = new long[Enum.GetValues<DecodeError>().Length];
}

/// <summary>The finished state of a run: its counters and flows, and what was read. Every writer and every analysis of a run reads only this.</summary>
public sealed class RunReport
{
    public RunReport(Evaluator evaluator, RunInput input)
        : this(evaluator.Rules, evaluator.Options, evaluator.Counters, evaluator.Flows, input)
    {
    }

    /// <summary>A run whose results were put together from several evaluators (<see cref="ShardMerger"/>).</summary>
    public RunReport(CompiledRuleset rules, EvaluationOptions options, Counters counters, FlowTable flows, RunInput input)
    {
        Rules = rules;
        Options = options;
        Counters = counters;
        Flows = flows;
        Input = input;
        Catalog = RuleCatalog.For(rules);
    }

    private RunReport(RunReport run, ReportListing listing)
    {
        Rules = run.Rules;
        Options = run.Options;
        Counters = run.Counters;
        Flows = run.Flows;
        Input = run.Input;
        Catalog = run.Catalog;
        Listing = listing;
    }

    /// <summary>How the report's records were narrowed (<c>--only</c>, <c>--filter</c>, ...), or null when they list everything.</summary>
    public ReportListing? Listing { get; }

    /// <summary>Whether the report lists the flow: every flow unless the listing was narrowed.</summary>
    public bool ListsFlow(int id) => Listing?.ListsFlow(id) ?? true;

    /// <summary>The same run, its records narrowed as <paramref name="listing"/> says; the totals are unchanged.</summary>
    public RunReport ListedAs(ReportListing listing) => new(this, listing);

    public RunInput Input { get; }

    public CompiledRuleset Rules { get; }

    public EvaluationOptions Options { get; }

    public Counters Counters { get; }

    public FlowTable Flows { get; }

    public RuleCatalog Catalog { get; }

    /// <summary>
    /// What the bounds that protect the process left out of this run (the text report lists it in its flow
    /// totals; machine formats have no field for it, so the CLI prints these lines as warnings).
    /// </summary>
    public IEnumerable<string> BoundWarnings()
    {
        if (Counters.PacketsOfUnrecordedFlows > 0)
        {
            yield return $"{Counters.PacketsOfUnrecordedFlows} packets belong to flows past the bound of {Options.MaxFlows} flows kept per run: evaluated and counted, not listed per flow";
        }
        if (Counters.UntrackedNotKept > 0)
        {
            yield return $"{Counters.UntrackedNotKept} packets of untracked flows came past the bound of {Options.MaxUntracked} untracked entries per interface: judged by their rules, orientation not remembered";
        }
    }
}
