using System.CommandLine;
using System.CommandLine.Parsing;

namespace Firewall.Cli.Commands;

/// <summary>
/// What a command evaluates: a capture, or a flows file. <paramref name="FlowsSpelling"/> is the option
/// that named the flows file, as typed, for messages.
/// </summary>
internal sealed record TrafficInput(string? Capture, string? FlowsFile, bool FlowRecords, string FlowsSpelling)
{
    /// <summary>From CAPTURE and <c>--flows-file</c> (or its old spelling <c>--flows</c>, for report and diff).</summary>
    public static TrafficInput Of(SymbolResult result, CommonOptions common) => new(
        result.GetValue(common.Capture),
        result.GetValue(common.FlowsFile),
        false,
        result.GetResult(common.FlowsFile)?.IdentifierToken?.Value ?? common.FlowsFile.Name);

    /// <summary>Why the input is unusable (none, or both), or null.</summary>
    public string? Refusal(string command) =>
        (Capture is null) == (FlowsFile is null)
            ? FlowsFile is null
                ? $"{command} needs a CAPTURE, or --flows-file FLOWS.yaml for synthetic flows"
                : $"give either a CAPTURE or {FlowsSpelling} {FlowsFile}, not both"
            : null;

    /// <summary>
    /// The flows file named by a spelling kept for old scripts: a note on standard error, which leaves
    /// standard output as it was.
    /// </summary>
    public void NoteOldSpelling(TextWriter error)
    {
        if (FlowsFile is not null && FlowsSpelling == "--flows")
        {
            error.WriteLine($"firewall: note: --flows {FlowsFile} is now spelled --flows-file {FlowsFile}; --flows will keep working");
        }
    }
}

/// <summary>
/// check's <c>--flows</c>: bare, one record per flow. Before <c>--flows-file</c> existed a value ending in
/// .yaml/.yml named a flows file (<c>check --flows F.yaml</c>), and it still does, with a note on standard
/// error; any other value is the capture, which the parser gave to the option (<c>check --flows CAPTURE</c>).
/// </summary>
internal sealed class FlowsOption
{
    private readonly Option<string?> _flows = new("--flows")
    {
        Description = "one record per flow (packets per direction, outcome, stateful vs stateless); --flows FLOWS.yaml is the old spelling of --flows-file FLOWS.yaml",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public void AddTo(Command command, Option<string?> flowsFile)
    {
        command.Options.Add(_flows);
        command.Options.Add(flowsFile);
    }

    public TrafficInput Input(SymbolResult result, CommonOptions common)
    {
        var given = result.GetResult(_flows) is not null;
        var value = given ? result.GetValue(_flows) : null;
        var oldFlowsFile = value is not null && IsFlowsFile(value) ? value : null;
        var capture = result.GetValue(common.Capture);
        if (capture is null && oldFlowsFile is null && value is not null)
        {
            capture = value; // `check --flows CAPTURE`: the parser gave the capture to --flows
        }
        var flowsFile = result.GetValue(common.FlowsFile);
        return new TrafficInput(
            capture,
            flowsFile ?? oldFlowsFile,
            given && oldFlowsFile is null,
            flowsFile is null && oldFlowsFile is not null ? "--flows" : common.FlowsFile.Name);
    }

    /// <summary>Why <c>--flows FLOWS.yaml</c> beside <c>--flows-file</c> is refused (two flows files), or null.</summary>
    public string? Conflict(SymbolResult result, CommonOptions common) =>
        result.GetValue(_flows) is { } value && IsFlowsFile(value) && result.GetValue(common.FlowsFile) is not null
            ? $"--flows {value} is the old spelling of --flows-file: give one flows file, not both"
            : null;

    private static bool IsFlowsFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
