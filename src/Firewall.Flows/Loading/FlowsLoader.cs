using Firewall.Analysis.Descriptions;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Rulesets;
using Firewall.Rulesets.Yaml;

namespace Firewall.Flows.Loading;

/// <summary>The outcome of loading a flows file: the file when it had no error, and every diagnostic.</summary>
public sealed record FlowsLoadResult(FlowsFile? File, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => File is not null;
}

/// <summary>
/// Loads a flows file (SPEC §4 "Synthetic flows") strictly, with the positioned YAML reader of rulesets:
/// <c>ruleset</c> (relative to the file; lets flows name interfaces), <c>start</c>, and <c>flows</c>, each a
/// one-line flow or a mapping with options. Every error of the file is reported at once; nothing throws.
/// </summary>
public static class FlowsLoader
{
    private static readonly string[] RootKeys = ["ruleset", "start", "description", "flows"];
    private static readonly string[] FlowKeys = ["flow", "description", .. FlowEntryReader.OptionKeys];

    /// <param name="ruleset">A ruleset given by the caller (<c>--ruleset</c>); it takes the place of the file's own <c>ruleset:</c>.</param>
    public static FlowsLoadResult LoadFile(string path, Ruleset? ruleset = null)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return FileError(path, "cannot read the flows file: no such file");
            }
            if (info.Length > 4L * YamlLimits.Default.MaxDocumentChars)
            {
                return FileError(path, $"the file is {info.Length} bytes, more than a flows file may be");
            }
            if (BoundedTextFile.Read(path, YamlLimits.Default.MaxDocumentChars) is not { } read)
            {
                return FileError(path, $"the file holds more than a flows file may ({YamlLimits.Default.MaxDocumentChars} characters)");
            }
            text = read;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return FileError(path, $"cannot read the flows file: {ex.Message}");
        }
        return LoadText(text, path, ruleset);
    }

    /// <param name="path">Names the file in diagnostics and anchors a relative <c>ruleset:</c> path.</param>
    public static FlowsLoadResult LoadText(string text, string path, Ruleset? ruleset = null)
    {
        var bag = new DiagnosticBag(path);
        var root = YamlTreeReader.Read(text, bag);
        if (root is null)
        {
            if (!bag.HasErrors)
            {
                bag.Add(1, 1, "the file is empty: expected a mapping with 'flows:'");
            }
            return new FlowsLoadResult(null, bag.ToSortedList());
        }
        if (root is not MappingNode)
        {
            bag.Add(root, $"expected a flows file (a mapping with keys {string.Join(", ", RootKeys)}), found {root.Describe()}");
            return new FlowsLoadResult(null, bag.ToSortedList());
        }
        var m = StrictMapping.Open(root, "a flows file", RootKeys, bag)!;
        m.Scalar("description", "a text");
        var extraDiagnostics = new List<Diagnostic>();
        if (ruleset is null && m.Scalar("ruleset", "the path of a ruleset file") is { } rulesetField)
        {
            ruleset = LoadReferencedRuleset(rulesetField, path, bag, extraDiagnostics);
        }
        var start = FlowTiming.DefaultStartNs;
        if (m.Scalar("start", YamlValues.TimeExpected) is { } startField && YamlValues.TryTime(startField, bag, out var s))
        {
            start = s;
        }
        if (!m.Has("flows"))
        {
            bag.Add(root, "missing key 'flows': expected a list of flows such as '- tcp 198.51.100.7:51514 -> web-1:443'");
        }
        var flows = new List<FlowDefinition>();
        var items = m.List("flows", "a list of flows") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var def = items[i] switch
            {
                ScalarNode { IsNull: false } scalar => FlowEntryReader.ReadScalar(scalar, i, ruleset, bag),
                MappingNode => StrictMapping.Open(items[i], "a flow", FlowKeys, bag) is { } fm
                    ? FlowEntryReader.ReadMapping(fm, i, ruleset, start, bag, allowRepetition: true)
                    : null,
                _ => Report(bag, items[i], $"expected a flow ({FlowLine.Form}, or a mapping with 'flow:'), found {items[i].Describe()}"),
            };
            if (def is not null)
            {
                flows.Add(def);
            }
        }
        var diagnostics = extraDiagnostics.Concat(bag.ToSortedList()).ToList();
        return bag.HasErrors || extraDiagnostics.Count > 0
            ? new FlowsLoadResult(null, diagnostics)
            : new FlowsLoadResult(new FlowsFile(path, start, ruleset, flows), diagnostics);
    }

    /// <summary>
    /// Loads the ruleset a flows or test file names, relative to that file. Its own errors are passed on
    /// (they are positioned in the ruleset file); the key is blamed when the file cannot be loaded at all.
    /// </summary>
    internal static Ruleset? LoadReferencedRuleset(ScalarField field, string path, DiagnosticBag bag, List<Diagnostic> rulesetDiagnostics)
    {
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var rulesetPath = Path.IsPathRooted(field.Text) ? field.Text : Path.Combine(baseDir, field.Text);
        if (!File.Exists(rulesetPath))
        {
            bag.Add(field.Value, $"ruleset: no such file '{ScalarNode.Shorten(field.Text)}' (looked for {rulesetPath})");
            return null;
        }
        var loaded = RulesetLoader.LoadFile(rulesetPath);
        if (!loaded.Succeeded)
        {
            bag.Add(field.Value, $"ruleset: {ScalarNode.Shorten(field.Text)} has {loaded.Diagnostics.Count} error(s), listed with it");
            rulesetDiagnostics.AddRange(loaded.Diagnostics);
        }
        return loaded.Ruleset;
    }

    /// <summary>
    /// One flow from its one-line form (for <c>explain</c>), with the default exchange. An ICMP flow may end
    /// in <c>type T [code C]</c>, as <c>query</c> and <c>test</c> write their examples: one message of that
    /// type instead of an echo. An error message (destination unreachable, ...) quotes a packet the
    /// destination sent: a UDP packet from it to the source, which decides nothing unless
    /// <c>--related-icmp</c> is given.
    /// </summary>
    public static FlowDefinition? ParseFlow(string text, Ruleset? ruleset, out string? error)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"\s+type\s+(\S+)(?:\s+code\s+(\S+))?\s*$");
        var line = match.Success ? text[..match.Index] : text;
        if (!FlowLine.TryParse(line, ruleset, out var tuple, out var e))
        {
            error = $"{e.Message} (at character {e.Offset + 1})";
            return null;
        }
        error = null;
        if (!match.Success)
        {
            return new FlowDefinition { Index = 0, Flow = tuple!, Exchange = ExchangeText.For(tuple!.Protocol)[0] };
        }
        if (!IpProtocol.IsIcmp(tuple!.Protocol))
        {
            error = $"'type' applies to icmp and icmpv6 flows, not {IpProtocol.Name(tuple.Protocol)} (at character {match.Index + 2})";
            return null;
        }
        byte code = 0;
        if (!byte.TryParse(match.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var type)
            || (match.Groups[2].Success && !byte.TryParse(match.Groups[2].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out code)))
        {
            error = $"expected 'type T' or 'type T code C' with numbers 0-255 after the flow (at character {match.Index + 2})";
            return null;
        }
        if (IcmpKind.IsEchoRequest(tuple.Protocol, type))
        {
            // An echo request, of any code: the echo and its reply, as without 'type'.
            return new FlowDefinition { Index = 0, Flow = tuple with { Text = text.Trim() }, Exchange = ExchangeText.For(tuple.Protocol)[0], IcmpCode = code };
        }
        QuotedPacket? quoting = null;
        if (IcmpKind.IsError(tuple.Protocol, type))
        {
            var from = new FlowEndpoint(tuple.Server.Address, new PortSpec(51514, false), null);
            var to = new FlowEndpoint(tuple.Client.Address, new PortSpec(33434, false), null);
            quoting = new QuotedPacket(new FlowTuple(IpProtocol.Udp, from, to, $"udp {EndpointText.Format(tuple.Server.Address, 51514)} -> {EndpointText.Format(tuple.Client.Address, 33434)}"));
        }
        return new FlowDefinition { Index = 0, Flow = tuple with { Text = text.Trim() }, Exchange = Exchange.IcmpMessage, IcmpType = type, IcmpCode = code, Quoting = quoting };
    }

    private static FlowDefinition? Report(DiagnosticBag bag, YamlNode node, string message)
    {
        bag.Add(node, message);
        return null;
    }

    private static FlowsLoadResult FileError(string path, string message) => new(null, [new Diagnostic(path, 0, 0, message)]);
}
