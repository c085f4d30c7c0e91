using Firewall.Analysis.Reachability;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Flows.Loading;
using Firewall.Rulesets.Yaml;

namespace Firewall.Flows.Testing;

public sealed record TestFileLoadResult(TestFile? File, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => File is not null;
}

/// <summary>
/// Loads a regression test file (SPEC §7) strictly: <c>ruleset</c> relative to the file, and <c>tests</c>,
/// each a flow case (<c>flow</c> + <c>expect</c>) or a capture case (<c>capture</c> + <c>expect: { flows: … }</c>).
/// Every error is positioned; all of a file's errors are reported at once.
/// </summary>
public static class TestFileLoader
{
    private static readonly string[] RootKeys = ["ruleset", "description", "tests"];
    private static readonly string[] CaseKeys = ["name", "flow", "capture", "reach", "expect", "exchange", "reply_after", "icmp_type", "icmp_code", "quoting"];
    private static readonly string[] ReachExpectKeys = ["some"];

    /// <summary>The outcomes a class of packets can have, as <c>firewall query</c> names them.</summary>
    public static readonly string[] ReachOutcomes = ["allowed", "request-denied", "reply-denied", "partially-denied"];
    private static readonly string[] FlowExpectKeys = ["request", "reply", "by", "stateless"];
    private static readonly string[] CaptureExpectKeys = ["flows", "packets"];
    public static readonly string[] PacketCountKeys = ["allowed", "denied", "skipped", "not-filtered", "undecodable"];

    private const string ExpectText = "allow, deny, or a mapping with request, reply, by, stateless";

    /// <summary>Loads the test file at <paramref name="path"/>; with <paramref name="ruleset"/>, its cases run against that ruleset instead of the one its <c>ruleset:</c> key names.</summary>
    public static TestFileLoadResult LoadFile(string path, Ruleset? ruleset = null)
    {
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return new TestFileLoadResult(null, [new Diagnostic(path, 0, 0, "cannot read the test file: no such file")]);
            }
            if (BoundedTextFile.Read(path, YamlLimits.Default.MaxDocumentChars) is not { } read)
            {
                return new TestFileLoadResult(null, [new Diagnostic(path, 0, 0, $"the file holds more than a test file may ({YamlLimits.Default.MaxDocumentChars} characters)")]);
            }
            text = read;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new TestFileLoadResult(null, [new Diagnostic(path, 0, 0, $"cannot read the test file: {ex.Message}")]);
        }
        return LoadText(text, path, ruleset);
    }

    public static TestFileLoadResult LoadText(string text, string path, Ruleset? rulesetOverride = null)
    {
        var bag = new DiagnosticBag(path);
        var root = YamlTreeReader.Read(text, bag);
        if (root is null)
        {
            if (!bag.HasErrors)
            {
                bag.Add(1, 1, "the file is empty: expected 'ruleset:' and 'tests:'");
            }
            return new TestFileLoadResult(null, bag.ToSortedList());
        }
        if (root is not MappingNode)
        {
            bag.Add(root, $"expected a test file (a mapping with keys {string.Join(", ", RootKeys)}), found {root.Describe()}");
            return new TestFileLoadResult(null, bag.ToSortedList());
        }
        var m = StrictMapping.Open(root, "a test file", RootKeys, bag)!;
        m.Scalar("description", "a text");
        var rulesetDiagnostics = new List<Diagnostic>();
        var ruleset = rulesetOverride;
        var rulesetField = m.Scalar("ruleset", "the path of a ruleset file, relative to this file");
        if (rulesetOverride is not null)
        {
            // The ruleset under test was given (`firewall test --ruleset R`): the file's own is not read.
        }
        else if (rulesetField is not null)
        {
            ruleset = FlowsLoader.LoadReferencedRuleset(rulesetField, path, bag, rulesetDiagnostics);
        }
        else if (!m.Has("ruleset"))
        {
            bag.Add(root, "missing key 'ruleset': expected the path of the ruleset under test, relative to this file");
        }
        if (!m.Has("tests"))
        {
            bag.Add(root, "missing key 'tests': expected a list of test cases");
        }
        var cases = new List<TestCase>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = m.List("tests", "a list of test cases") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            if (StrictMapping.Open(items[i], "a test case", CaseKeys, bag) is { } cm && ReadCase(cm, i, path, ruleset, names, bag) is { } c)
            {
                cases.Add(c);
            }
        }
        var diagnostics = rulesetDiagnostics.Concat(bag.ToSortedList()).ToList();
        return bag.HasErrors || rulesetDiagnostics.Count > 0 || ruleset is null
            ? new TestFileLoadResult(null, diagnostics)
            : new TestFileLoadResult(new TestFile(path, ruleset, cases), diagnostics);
    }

    /// <summary>One test case: its name (unique in the file) and exactly one of flow, capture and reach, with what it expects.</summary>
    private static TestCase? ReadCase(StrictMapping cm, int i, string path, Ruleset? ruleset, Dictionary<string, int> names, DiagnosticBag bag)
    {
        var name = cm.Scalar("name", "the test's name");
        if (name is null && !cm.Has("name"))
        {
            bag.Add(cm.Node, "missing key 'name': every test needs a name for the report");
        }
        else if (name is not null && !names.TryAdd(name.Text, name.Value.Line))
        {
            bag.Add(name.Value, $"duplicate test name '{ScalarNode.Shorten(name.Text)}': it was first given at line {names[name.Text]}");
        }
        var location = new SourceLocation(path, cm.Node.Line, cm.Node.Column);
        var caseName = name?.Text ?? $"test {i + 1}";
        var hasFlow = cm.Has("flow");
        var hasCapture = cm.Has("capture");
        var hasReach = cm.Has("reach");
        var kinds = (hasFlow ? 1 : 0) + (hasCapture ? 1 : 0) + (hasReach ? 1 : 0);
        if (kinds != 1)
        {
            bag.Add(cm.Node, kinds > 1
                ? "a test has one of 'flow', 'capture' and 'reach', not several"
                : "missing key 'flow', 'capture' or 'reach': expected the flow, the capture or the set of packets under test");
            return null;
        }
        if (!cm.Has("expect"))
        {
            bag.Add(cm.Node, $"missing key 'expect': expected {(hasFlow ? ExpectText : hasReach ? ReachExpectText : "{ flows: { allowed: N, reply-denied: M } }")}");
            return null;
        }
        var expect = cm.Node.Find("expect")!.Value.Value;
        var c = hasFlow ? ReadFlowCase(cm, caseName, location, ruleset, expect, i, bag)
            : hasReach ? ReadReachCase(cm, caseName, location, ruleset, expect, bag)
            : ReadCaptureCase(cm, caseName, location, path, expect, bag);
        return c;
    }

    private static TestCase? ReadFlowCase(StrictMapping cm, string name, SourceLocation location, Ruleset? ruleset, YamlNode expect, int index, DiagnosticBag bag)
    {
        var errors = bag.Count;
        if (cm.Has("capture"))
        {
            return null;
        }
        var def = ruleset is null ? null : FlowEntryReader.ReadMapping(cm, index, ruleset, Definitions.FlowTiming.DefaultStartNs, bag, allowRepetition: false);
        Expectation request = Expectation.Unspecified, reply = Expectation.Unspecified;
        string? by = null;
        FlowOutcome? stateless = null;
        switch (expect)
        {
            case ScalarNode { Value: "allow" }:
                (request, reply) = (Expectation.Allow, Expectation.Allow);
                break;
            case ScalarNode { Value: "deny" }:
                request = Expectation.Deny;
                break;
            case MappingNode:
                var em = StrictMapping.Open(expect, "a flow expectation", FlowExpectKeys, bag)!;
                request = ReadAllowDeny(em, "request", bag);
                reply = ReadAllowDeny(em, "reply", bag);
                by = em.Scalar("by", "a rule reference such as sg:web-1:inbound:none")?.Text;
                if (em.Scalar("stateless", "an outcome") is { } st)
                {
                    stateless = ParseOutcome(st.Text);
                    if (stateless is null)
                    {
                        bag.Add(st.Value, $"stateless: expected allow, deny, allowed, request-denied, reply-denied or partially-denied, found '{ScalarNode.Shorten(st.Text)}'");
                    }
                }
                if (request == Expectation.Unspecified && reply == Expectation.Unspecified && by is null && stateless is null && !bag.HasErrors)
                {
                    bag.Add(expect, "expect: name at least one of request, reply, by, stateless");
                }
                break;
            default:
                bag.Add(expect, $"expect: expected {ExpectText}, found {expect.Describe()}");
                break;
        }
        return def is null || bag.Count > errors ? null : new FlowTestCase(name, location, def, request, reply, by, stateless);
    }

    private static Expectation ReadAllowDeny(StrictMapping m, string key, DiagnosticBag bag)
    {
        if (m.Scalar(key, "allow or deny") is not { } f)
        {
            return Expectation.Unspecified;
        }
        switch (f.Text)
        {
            case "allow":
                return Expectation.Allow;
            case "deny":
                return Expectation.Deny;
            default:
                bag.Add(f.Value, $"{key}: expected allow or deny, found '{ScalarNode.Shorten(f.Text)}'");
                return Expectation.Unspecified;
        }
    }

    /// <summary>Flow outcome names (SPEC §5), with allow/deny as the short forms of allowed/request-denied.</summary>
    public static FlowOutcome? ParseOutcome(string text) => text switch
    {
        "allow" or "allowed" => FlowOutcome.Allowed,
        "deny" or "request-denied" => FlowOutcome.RequestDenied,
        "reply-denied" => FlowOutcome.ReplyDenied,
        "partially-denied" => FlowOutcome.PartiallyDenied,
        _ => null,
    };

    private static readonly string ReachExpectText = $"an outcome ({string.Join(", ", ReachOutcomes)}) every packet must get, or {{ some: OUTCOME }}";

    private static TestCase? ReadReachCase(StrictMapping cm, string name, SourceLocation location, Ruleset? ruleset, YamlNode expect, DiagnosticBag bag)
    {
        var errors = bag.Count;
        foreach (var key in new[] { "exchange", "reply_after", "icmp_type", "icmp_code", "quoting" })
        {
            if (cm.Entry(key) is { } entry)
            {
                bag.Add(entry.Key, $"{key} applies to flow tests; a reach test names ICMP types in its set ('icmp * -> web-1 type 8')");
            }
        }
        var setField = cm.Scalar("reach", $"a set of packets, {PacketSetParser.Form}");
        PacketSet? set = null;
        if (setField is not null && ruleset is not null)
        {
            set = PacketSetParser.Parse(setField.Text, ruleset, out var error);
            if (set is null)
            {
                bag.Add(setField.Value.Line, YamlValues.ColumnOf(setField.Value, error.Offset), error.Message);
            }
            else if (set.IsEmpty)
            {
                bag.Add(setField.Value, "reach: the set holds no packet (a group no interface carries, say), so the test would check nothing");
            }
        }
        string? outcome = null;
        var some = false;
        YamlNode outcomeNode = expect;
        if (expect is MappingNode)
        {
            some = true;
            if (StrictMapping.Open(expect, "a reach expectation", ReachExpectKeys, bag) is { } em && em.Scalar("some", "an outcome") is { } f)
            {
                outcome = f.Text;
                outcomeNode = f.Value;
            }
            else if (bag.Count == errors)
            {
                bag.Add(expect, $"expect: expected {ReachExpectText}");
            }
        }
        else if (expect is ScalarNode { IsNull: false } scalar)
        {
            outcome = scalar.Value;
        }
        else
        {
            bag.Add(expect, $"expect: expected {ReachExpectText}, found {expect.Describe()}");
        }
        if (outcome is not null && !ReachOutcomes.Contains(outcome))
        {
            bag.Add(outcomeNode, $"expect: expected {ReachExpectText}, found '{ScalarNode.Shorten(outcome)}'");
        }
        return set is null || outcome is null || bag.Count > errors ? null : new ReachTestCase(name, location, set, outcome, some);
    }

    private static TestCase? ReadCaptureCase(StrictMapping cm, string name, SourceLocation location, string path, YamlNode expect, DiagnosticBag bag)
    {
        var errors = bag.Count;
        foreach (var key in new[] { "exchange", "reply_after", "icmp_type", "icmp_code", "quoting" })
        {
            if (cm.Entry(key) is { } entry)
            {
                bag.Add(entry.Key, $"{key} applies to flow tests, not capture tests");
            }
        }
        var captureField = cm.Scalar("capture", "the path of a capture, relative to this file");
        string? capturePath = null;
        if (captureField is not null)
        {
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            capturePath = Path.IsPathRooted(captureField.Text) ? captureField.Text : Path.Combine(baseDir, captureField.Text);
            if (!File.Exists(capturePath))
            {
                bag.Add(captureField.Value, $"capture: no such file '{ScalarNode.Shorten(captureField.Text)}' (looked for {capturePath})");
            }
        }
        var flows = new Dictionary<FlowOutcome, long>();
        var packets = new Dictionary<string, long>(StringComparer.Ordinal);
        if (StrictMapping.Open(expect, "a capture expectation", CaptureExpectKeys, bag) is { } em)
        {
            foreach (var entry in em.Mapping("flows", "flow counts by outcome (allowed, request-denied, reply-denied, partially-denied)") ?? [])
            {
                var outcome = entry.Key.Value is "allow" or "deny" ? null : ParseOutcome(entry.Key.Value);
                if (outcome is null)
                {
                    bag.Add(entry.Key, $"unknown flow outcome '{ScalarNode.Shorten(entry.Key.Value)}'; expected one of: allowed, request-denied, reply-denied, partially-denied");
                }
                else if (ReadCount(entry, bag) is { } n)
                {
                    flows[outcome.Value] = n;
                }
            }
            foreach (var entry in em.Mapping("packets", $"packet counts by verdict ({string.Join(", ", PacketCountKeys)})") ?? [])
            {
                if (!PacketCountKeys.Contains(entry.Key.Value))
                {
                    bag.Add(entry.Key, $"unknown packet verdict '{ScalarNode.Shorten(entry.Key.Value)}'; expected one of: {string.Join(", ", PacketCountKeys)}");
                }
                else if (ReadCount(entry, bag) is { } n)
                {
                    packets[entry.Key.Value] = n;
                }
            }
            if (flows.Count == 0 && packets.Count == 0 && bag.Count == errors)
            {
                bag.Add(expect, "expect: name at least one count under flows or packets");
            }
        }
        return capturePath is null || bag.Count > errors ? null : new CaptureTestCase(name, location, capturePath, flows, packets);
    }

    private static long? ReadCount(MappingEntry entry, DiagnosticBag bag)
    {
        if (entry.Value is ScalarNode { IsNull: false } s && s.Value.Length is > 0 and <= 15 && s.Value.All(char.IsAsciiDigit))
        {
            return long.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        bag.Add(entry.Value, $"{entry.Key.Value}: expected a count (a whole number), found {entry.Value.Describe()}");
        return null;
    }
}
