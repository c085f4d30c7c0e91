using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Firewall.Rulesets.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="YamlNode"/> tree, from YamlDotNet's event stream, keeping the
/// start of every key and value. Strict and hostile-input safe:
/// <list type="bullet">
/// <item>a key given twice in one mapping is an error at the second, naming the first's line;</item>
/// <item>aliases stop the read (an alias-expanding reader can be made to build 2^n nodes from a few lines,
/// the "billion laughs" document); anchors and explicit tags are errors, since nothing here needs them;</item>
/// <item>documents, lines, scalars and nesting depth are bounded (<see cref="YamlLimits"/>);</item>
/// <item>parser exceptions become positioned diagnostics; nothing escapes for any input text.</item>
/// </list>
/// Syntax-level problems stop the read (the result is null); duplicate keys, anchors and tags do not, so
/// that a caller can go on and report its own errors for the rest of the document.
/// </summary>
public static class YamlTreeReader
{
    /// <summary>
    /// Returns the document's root node, or null when the text holds no document or a fatal error was
    /// reported (check <see cref="DiagnosticBag.HasErrors"/> to tell the two apart).
    /// </summary>
    public static YamlNode? Read(string text, DiagnosticBag bag, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (!CheckSize(text, bag, limits))
        {
            return null;
        }
        var builder = new TreeBuilder(bag, limits);
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
        while (true)
        {
            if (!TryNextEvent(parser, builder, bag, out var current))
            {
                return null;
            }
            if (current is null)
            {
                return builder.Root;
            }
            if (!builder.Accept(current))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The parser's next event (null at the end); false when the parser failed, which is reported. Only the
    /// third-party parser runs inside the catch: an exception from our own tree building is a bug and must
    /// fail loudly, not become a diagnostic.
    /// </summary>
    private static bool TryNextEvent(Parser parser, TreeBuilder builder, DiagnosticBag bag, out ParsingEvent? current)
    {
        current = null;
        try
        {
            if (!parser.MoveNext())
            {
                return true;
            }
            current = parser.Current;
            return current is not null;
        }
        catch (YamlException ex)
        {
            bag.Add(LineOf(ex.Start), ColumnOf(ex.Start), "YAML syntax error: " + StripMarks(ex.Message));
            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // A defect inside the third-party parser must not take the CLI down on a user's file; say where
            // it was reading and what it said.
            bag.Add(builder.LastLine, builder.LastColumn, $"the YAML parser failed near here ({ex.GetType().Name}: {ex.Message})");
            return false;
        }
    }

    internal static int LineOf(Mark mark) => (int)Math.Clamp(mark.Line, 1, int.MaxValue);

    internal static int ColumnOf(Mark mark) => (int)Math.Clamp(mark.Column, 1, int.MaxValue);

    /// <summary>YamlDotNet prefixes messages with "(Line: l, Col: c, Idx: i) - (…): "; the diagnostic has its own.</summary>
    private static string StripMarks(string message)
    {
        if (message.StartsWith("(Line:", StringComparison.Ordinal))
        {
            var end = message.IndexOf("): ", StringComparison.Ordinal);
            if (end >= 0)
            {
                message = message[(end + 3)..];
            }
        }
        return message.Trim();
    }

    /// <summary>
    /// Bounds the document and every line before the parser sees them, in one pass without allocating:
    /// YamlDotNet builds each scalar in full before handing it over, so a 10 MB one-line value would be
    /// materialised several times over before any per-scalar check could refuse it.
    /// </summary>
    private static bool CheckSize(string text, DiagnosticBag bag, YamlLimits limits)
    {
        var line = 1;
        var column = 0;
        var end = Math.Min(text.Length, limits.MaxDocumentChars);
        for (var i = 0; i < end; i++)
        {
            var c = text[i];
            // The same line breaks YamlDotNet counts (YAML 1.1 §5.4), so positions agree with its marks.
            if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                column = 0;
                continue;
            }
            column++;
            if (column > limits.MaxScalarChars)
            {
                bag.Add(line, column, $"line {line} is longer than {limits.MaxScalarChars} characters, the limit for any line or value in this format");
                return false;
            }
        }
        if (text.Length > limits.MaxDocumentChars)
        {
            bag.Add(line, column + 1, $"the document is longer than {limits.MaxDocumentChars} characters, the limit for this format");
            return false;
        }
        return true;
    }

    private sealed class TreeBuilder(DiagnosticBag bag, YamlLimits limits)
    {
        private readonly Stack<Frame> _stack = new();
        private int _documents;

        public YamlNode? Root { get; private set; }

        public int LastLine { get; private set; } = 1;

        public int LastColumn { get; private set; } = 1;

        /// <summary>Takes one event; false when reading must stop (the error is in the bag).</summary>
        public bool Accept(ParsingEvent e)
        {
            LastLine = LineOf(e.Start);
            LastColumn = ColumnOf(e.Start);
            switch (e)
            {
                case DocumentStart:
                    if (++_documents > 1)
                    {
                        bag.Add(LastLine, LastColumn, "expected one YAML document, found a second one");
                        return false;
                    }
                    return true;
                case AnchorAlias alias:
                    bag.Add(LastLine, LastColumn, $"aliases (*{alias.Value}) are not supported: write the value out in full");
                    return false;
                case Scalar scalar:
                    CheckNodeProperties(scalar);
                    if (scalar.Value.Length > limits.MaxScalarChars)
                    {
                        bag.Add(LastLine, LastColumn, $"a value of {scalar.Value.Length} characters is longer than {limits.MaxScalarChars}, the limit for any value in this format");
                        return false;
                    }
                    return Add(new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, LastLine, LastColumn));
                case MappingStart start:
                    CheckNodeProperties(start);
                    return Push(new Frame(LastLine, LastColumn, isMapping: true));
                case SequenceStart start:
                    CheckNodeProperties(start);
                    return Push(new Frame(LastLine, LastColumn, isMapping: false));
                case MappingEnd or SequenceEnd:
                    var frame = _stack.Pop();
                    return Add(frame.IsMapping
                        ? new MappingNode(frame.Entries, frame.Line, frame.Column)
                        : new SequenceNode(frame.Items, frame.Line, frame.Column));
                default:
                    return true;
            }
        }

        private void CheckNodeProperties(NodeEvent e)
        {
            if (!e.Anchor.IsEmpty)
            {
                bag.Add(LastLine, LastColumn, $"anchors (&{e.Anchor}) are not supported: write each value out in full");
            }
            if (!e.Tag.IsEmpty)
            {
                bag.Add(LastLine, LastColumn, $"explicit tags ({e.Tag}) are not supported: write the plain value");
            }
        }

        private bool Push(Frame frame)
        {
            if (_stack.TryPeek(out var parent) && parent.IsMapping && parent.PendingKey is null)
            {
                bag.Add(frame.Line, frame.Column, "expected a plain key, found a " + (frame.IsMapping ? "mapping" : "list") + " used as a key");
                return false;
            }
            if (_stack.Count >= limits.MaxDepth)
            {
                bag.Add(frame.Line, frame.Column, $"nesting is deeper than {limits.MaxDepth} levels, the limit for this format");
                return false;
            }
            _stack.Push(frame);
            return true;
        }

        private bool Add(YamlNode node)
        {
            if (!_stack.TryPeek(out var frame))
            {
                Root = node;
                return true;
            }
            if (!frame.IsMapping)
            {
                frame.Items.Add(node);
                return true;
            }
            if (frame.PendingKey is not { } key)
            {
                // Push refuses non-scalar keys, so a key here is always a scalar.
                var k = (ScalarNode)node;
                if (frame.Seen.TryGetValue(k.Value, out var first))
                {
                    bag.Add(k, $"duplicate key '{ScalarNode.Shorten(k.Value)}': it was first given at line {first.Line}");
                    frame.DiscardValue = true;
                }
                else
                {
                    frame.Seen.Add(k.Value, k);
                }
                frame.PendingKey = k;
                return true;
            }
            if (!frame.DiscardValue)
            {
                frame.Entries.Add(new MappingEntry(key, node));
            }
            frame.PendingKey = null;
            frame.DiscardValue = false;
            return true;
        }
    }

    private sealed class Frame(int line, int column, bool isMapping)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;

        public bool IsMapping { get; } = isMapping;

        public List<MappingEntry> Entries { get; } = [];

        public List<YamlNode> Items { get; } = [];

        public Dictionary<string, ScalarNode> Seen { get; } = new(StringComparer.Ordinal);

        public ScalarNode? PendingKey { get; set; }

        public bool DiscardValue { get; set; }
    }
}
