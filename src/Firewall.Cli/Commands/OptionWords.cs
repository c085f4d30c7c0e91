using Firewall.Analysis.Selection;
using Firewall.Reporting;
using Firewall.Reporting.Decode;
using Firewall.Reporting.Lint;
using Firewall.Reporting.Replies;

namespace Firewall.Cli.Commands;

/// <summary><c>--midstream</c>: what a non-SYN TCP packet of no tracked connection gets.</summary>
internal enum MidstreamPolicy
{
    Pickup,
    Strict,
}

/// <summary><c>--decap</c>: what to unwrap before decoding.</summary>
internal enum Encapsulation
{
    None,
    Vxlan,
}

/// <summary><c>check --format</c>: a report format, or VPC Flow Log records.</summary>
internal enum CheckFormat
{
    Text,
    Json,
    Jsonl,
    Csv,
    Flowlog,
}

/// <summary><c>--format</c> of the commands that answer in text or JSON.</summary>
internal enum TextOrJson
{
    Text,
    Json,
}

/// <summary><c>--color</c>: whether text reports on standard output are coloured.</summary>
internal enum ColorMode
{
    Auto,
    Never,
    Always,
}

/// <summary><c>--fail-on</c> of the commands that evaluate traffic (explain takes the first two).</summary>
internal enum FailCondition
{
    Deny,
    ReplyDenied,
    Undecodable,
}

/// <summary><c>diff --fail-on</c>.</summary>
internal enum DiffGate
{
    NewlyBlocked,
    Any,
}

/// <summary>The words of every typed option, in the order help lists them.</summary>
internal static class OptionWords
{
    public static readonly Words<MidstreamPolicy> Midstream = new();

    public static readonly Words<Encapsulation> Decap = new(Encapsulation.Vxlan);

    public static readonly Words<CheckFormat> CheckFormat = new();

    public static readonly Words<PacketSelection> Only = new();

    public static readonly Words<TextOrJson> TextOrJson = new();

    public static readonly Words<LintFormat> LintFormat = new();

    public static readonly Words<DecodeFormat> DecodeFormat = new();

    public static readonly Words<FailCondition> FailOn = new();

    /// <summary>explain has one flow and no capture: nothing can be undecodable.</summary>
    public static readonly Words<FailCondition> FailOnFlow = new(FailCondition.Deny, FailCondition.ReplyDenied);

    public static readonly Words<DiffGate> DiffFailOn = new();

    /// <summary><c>replies --fix-format</c>.</summary>
    public static readonly Words<FixFormat> FixFormat = new();

    public static readonly Words<ColorMode> Color = new();

    /// <summary>The report format a <c>check --format</c> other than flowlog names.</summary>
    public static ReportFormat Report(CheckFormat format) => format switch
    {
        Commands.CheckFormat.Json => ReportFormat.Json,
        Commands.CheckFormat.Jsonl => ReportFormat.Jsonl,
        Commands.CheckFormat.Csv => ReportFormat.Csv,
        _ => ReportFormat.Text,
    };
}
