namespace Firewall.Analysis.Selection;

/// <summary>
/// Reads the pcap-filter(7) subset this filter supports, by recursive descent over pcap's grammar:
/// <code>
/// expr    := term { (and | or) (term | id) }        and, or: equal precedence, left to right
/// term    := not term | '(' expr ')' | proto | [proto] [dir] [type] ids
/// ids     := id | '(' id { (and | or) id } ')'
/// id      := { not } ADDRESS | NETWORK [mask MASK] | NUMBER | N-M
/// </code>
/// An id written alone after <c>and</c>/<c>or</c> takes the qualifiers of the primitive before it
/// (<c>host 10.0.0.1 or 10.0.0.2</c>, <c>tcp port 80 or 443</c>), as pcap's grammar does; after a protocol
/// alone (<c>tcp or 80</c>) it has none to take and is refused, as tcpdump refuses it.
/// </summary>
internal sealed class FilterParser
{
    /// <summary>Bounds that keep a hostile expression from exhausting the stack.</summary>
    public const int MaxDepth = 64, MaxPrimitives = 1024;

    private static readonly string[] Directions = ["src", "dst"];
    private static readonly string[] Types = ["host", "net", "port", "portrange"];

    private readonly List<FilterToken> _tokens;
    private int _at;
    private int _depth;
    private int _primitives;
    private FilterError? _error;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    public static FilterNode? Parse(string text, out FilterError error)
    {
        if (FilterTokens.Split(text, out error) is not { } tokens)
        {
            return null;
        }
        var parser = new FilterParser(tokens);
        var node = parser.Expression(null, out _);
        if (node is not null && parser.Peek.Kind != FilterTokenKind.End)
        {
            parser.Fail(parser.Peek, parser.Peek.Kind == FilterTokenKind.Close
                ? "')' without a '(' before it"
                : $"expected and, or or the end of the expression, found {Describe(parser.Peek)}");
            node = null;
        }
        error = parser._error ?? default;
        return node;
    }

    private FilterToken Peek => _tokens[_at];

    private FilterToken PeekAt(int ahead) => _tokens[Math.Min(_at + ahead, _tokens.Count - 1)];

    private FilterToken Next() => _tokens[_at++];

    private FilterNode? Fail(FilterToken at, string message)
    {
        _error ??= new FilterError(at.Offset, message);
        return null;
    }

    private static string Describe(FilterToken t) => t.Kind == FilterTokenKind.End ? "the end of the expression" : $"'{t.Text}'";

    private FilterNode? Expression(FilterQualifiers? inherited, out FilterQualifiers? last)
    {
        var left = Term(inherited, out last);
        while (left is not null && Peek.Kind is FilterTokenKind.And or FilterTokenKind.Or)
        {
            var and = Next().Kind == FilterTokenKind.And;
            var right = IdAhead() ? Id(last) : Term(last, out last);
            if (right is null)
            {
                return null;
            }
            left = and ? new FilterAnd(left, right) : new FilterOr(left, right);
        }
        return left;
    }

    /// <summary>After and/or: whether an id follows (past any not), which takes the qualifiers before it.</summary>
    private bool IdAhead()
    {
        var ahead = 0;
        while (PeekAt(ahead).Kind == FilterTokenKind.Not)
        {
            ahead++;
        }
        return PeekAt(ahead) is { Kind: FilterTokenKind.Word } word && FilterPrimitives.IsValue(word.Text);
    }

    private FilterNode? Term(FilterQualifiers? inherited, out FilterQualifiers? last)
    {
        last = null;
        if (++_depth > MaxDepth)
        {
            return Fail(Peek, $"more than {MaxDepth} levels of not and parentheses");
        }
        var token = Peek;
        FilterNode? node;
        switch (token.Kind)
        {
            case FilterTokenKind.Not:
                Next();
                node = Term(inherited, out last) is { } operand ? new FilterNot(operand) : null;
                break;
            case FilterTokenKind.Open:
                Next();
                node = Expression(inherited, out _);
                last = inherited; // pcap: a parenthesized expression leaves the qualifiers in force before it
                if (node is not null && Next() is { Kind: not FilterTokenKind.Close } other)
                {
                    node = Fail(other, $"expected ')' to close the '(' at column {token.Offset + 1}, found {Describe(other)}");
                }
                break;
            case FilterTokenKind.Word:
                node = Primitive(out last);
                break;
            default:
                node = Fail(token, $"expected a primitive ({FilterPrimitives.Supported}), found {Describe(token)}");
                break;
        }
        _depth--;
        return node;
    }

    private FilterNode? Primitive(out FilterQualifiers? last)
    {
        last = null;
        var word = Peek;
        string? protocol = null;
        if (FilterPrimitives.Protocols.TryGetValue(word.Text, out var alone))
        {
            Next();
            protocol = word.Text;
            if (Peek.Kind != FilterTokenKind.Word || !(Directions.Contains(Peek.Text) || Types.Contains(Peek.Text)))
            {
                return Leaf(new FilterTest
                {
                    Kind = alone.Protocol == 0 ? FilterTestKind.Version : FilterTestKind.Protocol,
                    Version = alone.Version,
                    Protocol = alone.Protocol,
                    Text = word.Text,
                }, word);
            }
        }
        else if (!Directions.Contains(word.Text) && !Types.Contains(word.Text))
        {
            return Fail(word, FilterPrimitives.Unsupported.Contains(word.Text)
                ? $"'{word.Text}' is not supported: this filter reads {FilterPrimitives.Supported}"
                : $"expected a primitive ({FilterPrimitives.Supported}), found '{word.Text}'");
        }
        var direction = Direction();
        string? type = Types.Contains(Peek.Text) && Peek.Kind == FilterTokenKind.Word ? Next().Text : null;
        last = new FilterQualifiers(protocol, direction, type);
        return Peek.Kind == FilterTokenKind.Open ? IdGroup(last.Value) : Id(last);
    }

    /// <summary><c>src</c>, <c>dst</c>, <c>src or dst</c>, <c>src and dst</c> (either order), or none.</summary>
    private FilterDirection Direction()
    {
        if (Peek.Kind != FilterTokenKind.Word || !Directions.Contains(Peek.Text))
        {
            return FilterDirection.SrcOrDst;
        }
        var first = Next().Text;
        if (Peek.Kind is FilterTokenKind.And or FilterTokenKind.Or && PeekAt(1) is { Kind: FilterTokenKind.Word } second
            && Directions.Contains(second.Text) && second.Text != first)
        {
            var both = Next().Kind == FilterTokenKind.And;
            Next();
            return both ? FilterDirection.SrcAndDst : FilterDirection.SrcOrDst;
        }
        return first == "src" ? FilterDirection.Src : FilterDirection.Dst;
    }

    /// <summary><c>host (A or B)</c>: ids under one set of qualifiers.</summary>
    private FilterNode? IdGroup(FilterQualifiers q)
    {
        var open = Next();
        var node = Id(q);
        while (node is not null && Peek.Kind is FilterTokenKind.And or FilterTokenKind.Or)
        {
            var and = Next().Kind == FilterTokenKind.And;
            if (Id(q) is not { } right)
            {
                return null;
            }
            node = and ? new FilterAnd(node, right) : new FilterOr(node, right);
        }
        if (node is not null && Next() is { Kind: not FilterTokenKind.Close } other)
        {
            return Fail(other, $"expected ')' to close the '(' at column {open.Offset + 1}, found {Describe(other)}");
        }
        return node;
    }

    private FilterNode? Id(FilterQualifiers? q)
    {
        var negations = 0;
        while (Peek.Kind == FilterTokenKind.Not)
        {
            Next();
            negations++;
        }
        var id = Peek;
        if (id.Kind != FilterTokenKind.Word || FilterPrimitives.Protocols.ContainsKey(id.Text) || Types.Contains(id.Text) || Directions.Contains(id.Text))
        {
            return Fail(id, q?.Type is { } type
                ? $"expected {(type is "host" ? "an address" : type is "net" ? "a network" : type is "port" ? "a port number" : "a port range N-M")} after {type}, found {Describe(id)}"
                : $"expected an address or a network, found {Describe(id)}");
        }
        if (q is null)
        {
            return Fail(id, $"'{id.Text}' has no host, net, port or portrange before it to take its meaning from");
        }
        Next();
        FilterToken? mask = null;
        if (Peek is { Kind: FilterTokenKind.Word, Text: "mask" })
        {
            Next();
            mask = Next();
        }
        if (FilterPrimitives.Build(q.Value, id, mask, out var error) is not { } test)
        {
            _error ??= error;
            return null;
        }
        var node = Leaf(test, id);
        for (var i = 0; i < negations && node is not null; i++)
        {
            node = new FilterNot(node);
        }
        return node;
    }

    private FilterNode? Leaf(FilterTest test, FilterToken at) =>
        ++_primitives > MaxPrimitives ? Fail(at, $"more than {MaxPrimitives} primitives") : new FilterLeaf(test);
}
