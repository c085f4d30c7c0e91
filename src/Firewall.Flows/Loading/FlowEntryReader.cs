using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Rulesets.Yaml;

namespace Firewall.Flows.Loading;

/// <summary>
/// Reads one flow — a one-line scalar or a mapping with <c>flow:</c> and options — into a validated
/// <see cref="FlowDefinition"/>, reporting every problem at its line and column. Shared by flows files
/// and test files.
/// </summary>
internal static class FlowEntryReader
{
    public const int MaxCount = 1_000_000;

    /// <summary>The options a flow mapping may carry besides <c>flow</c>.</summary>
    public static readonly string[] OptionKeys = ["exchange", "count", "start", "reply_after", "gap", "icmp_type", "icmp_code", "quoting"];

    public static FlowDefinition? ReadScalar(ScalarNode node, int index, Ruleset? ruleset, DiagnosticBag bag)
    {
        if (ParseLine(node, ruleset, bag) is not { } tuple)
        {
            return null;
        }
        return new FlowDefinition
        {
            Index = index,
            Flow = tuple,
            Exchange = ExchangeText.For(tuple.Protocol)[0],
            Location = new SourceLocation(bag.File, node.Line, node.Column),
        };
    }

    public static FlowTuple? ParseLine(ScalarNode node, Ruleset? ruleset, DiagnosticBag bag)
    {
        if (FlowLine.TryParse(node.Value, ruleset, out var tuple, out var error))
        {
            return tuple;
        }
        bag.Add(node.Line, YamlValues.ColumnOf(node, error.Offset), error.Message);
        return null;
    }

    /// <summary>How often and when a flow mapping's packets go: <c>count</c>, <c>start</c>, <c>reply_after</c>, <c>gap</c>.</summary>
    private readonly record struct Timing(int Count, long? StartNs, long ReplyAfterNs, long GapNs);

    /// <summary>The ICMP fields of a flow mapping, read as scalars (not yet checked against the flow).</summary>
    private sealed record IcmpFields(ScalarField? Type, ScalarField? Code, ScalarField? Exchange, ScalarField? Quoting);

    /// <summary>
    /// Reads <c>flow</c> and the option keys of <paramref name="m"/> (the caller has checked which keys are allowed).
    /// <paramref name="fileStartNs"/> anchors a <c>start</c> written as a duration.
    /// </summary>
    public static FlowDefinition? ReadMapping(StrictMapping m, int index, Ruleset? ruleset, long fileStartNs, DiagnosticBag bag, bool allowRepetition)
    {
        var errors = bag.Count;
        var flowField = m.Scalar("flow", $"a flow {FlowLine.Form}");
        if (flowField is null)
        {
            if (!m.Has("flow"))
            {
                bag.Add(m.Node, $"missing key 'flow': expected a flow {FlowLine.Form}");
            }
            return null;
        }
        var tuple = ParseLine(flowField.Value, ruleset, bag);
        var timing = ReadTiming(m, fileStartNs, bag, allowRepetition);
        var fields = new IcmpFields(
            m.Scalar("icmp_type", "an ICMP type 0-255"),
            m.Scalar("icmp_code", "an ICMP code 0-255"),
            m.Scalar("exchange", "an exchange"),
            m.Scalar("quoting", $"the flow whose packet an ICMP error answers, {FlowLine.Form}"));
        if (tuple is null)
        {
            return null;
        }
        var exchange = ReadExchange(fields.Exchange, tuple, bag);
        var (icmpType, icmpCode) = ReadIcmp(fields, tuple, ref exchange, bag);
        var quoting = ReadQuoting(fields, tuple, exchange, icmpType, ruleset, bag);
        if (bag.Count > errors)
        {
            return null;
        }
        return new FlowDefinition
        {
            Index = index,
            Flow = tuple,
            Exchange = exchange,
            Count = timing.Count,
            StartNs = timing.StartNs,
            ReplyAfterNs = timing.ReplyAfterNs,
            GapNs = timing.GapNs,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
            Quoting = quoting,
            Location = new SourceLocation(bag.File, m.Node.Line, m.Node.Column),
        };
    }

    private static Timing ReadTiming(StrictMapping m, long fileStartNs, DiagnosticBag bag, bool allowRepetition)
    {
        var count = 1;
        if (m.Scalar("count", "a whole number") is { } countField && allowRepetition)
        {
            YamlValues.TryCount(countField, 1, MaxCount, bag, out count);
        }
        long? start = null;
        if (m.Scalar("start", YamlValues.TimeExpected) is { } startField)
        {
            if (YamlValues.TryParseDuration(startField.Text.TrimStart('+'), out var offset))
            {
                start = fileStartNs + offset;
            }
            else if (YamlValues.TryParseTime(startField.Text, out var absolute))
            {
                start = absolute;
            }
            else
            {
                bag.Add(startField.Value, $"start: expected {YamlValues.TimeExpected}, or an offset from the file's start such as +30s, found '{ScalarNode.Shorten(startField.Text)}'");
            }
        }
        var replyAfter = FlowTiming.DefaultReplyAfterNs;
        if (m.Scalar("reply_after", YamlValues.DurationExpected) is { } replyField)
        {
            YamlValues.TryDuration(replyField, bag, out replyAfter);
        }
        var gap = FlowTiming.DefaultGapNs;
        if (m.Scalar("gap", YamlValues.DurationExpected) is { } gapField)
        {
            YamlValues.TryDuration(gapField, bag, out gap);
        }
        return new Timing(count, start, replyAfter, gap);
    }

    /// <summary>The exchange named by <c>exchange:</c>, or the protocol's first (an ICMP message only through <c>icmp_type</c>).</summary>
    private static Exchange ReadExchange(ScalarField? exchangeField, FlowTuple tuple, DiagnosticBag bag)
    {
        var allowed = ExchangeText.For(tuple.Protocol).Where(e => e != Exchange.IcmpMessage).ToArray();
        if (exchangeField is null)
        {
            return allowed[0];
        }
        var found = allowed.Where(e => ExchangeText.Name(e) == exchangeField.Text).ToArray();
        if (found.Length == 1)
        {
            return found[0];
        }
        var names = string.Join(", ", allowed.Select(ExchangeText.Name));
        bag.Add(exchangeField.Value, $"exchange: expected one of {names} for {IpProtocol.Name(tuple.Protocol)}, found '{ScalarNode.Shorten(exchangeField.Text)}'");
        return allowed[0];
    }

    /// <summary><c>icmp_type</c> and <c>icmp_code</c>: only on ICMP flows, the code only with a type; a type makes the exchange one ICMP message.</summary>
    private static (byte Type, byte Code) ReadIcmp(IcmpFields fields, FlowTuple tuple, ref Exchange exchange, DiagnosticBag bag)
    {
        byte icmpType = 0, icmpCode = 0;
        if (!IpProtocol.IsIcmp(tuple.Protocol))
        {
            foreach (var f in new[] { fields.Type, fields.Code, fields.Quoting })
            {
                if (f is not null)
                {
                    bag.Add(f.Key, $"{f.Key.Value} applies only to icmp and icmpv6 flows, not {IpProtocol.Name(tuple.Protocol)}");
                }
            }
            return (icmpType, icmpCode);
        }
        if (fields.Code is not null && fields.Type is null)
        {
            bag.Add(fields.Code.Key, "icmp_code needs an icmp_type (as in AWS rules)");
        }
        if (fields.Type is not null && YamlValues.TryCount(fields.Type, 0, 255, bag, out var t))
        {
            icmpType = (byte)t;
            if (fields.Exchange is not null)
            {
                bag.Add(fields.Exchange.Key, "give either exchange: echo or an explicit icmp_type, not both");
            }
            exchange = Exchange.IcmpMessage;
            if (fields.Code is not null && YamlValues.TryCount(fields.Code, 0, 255, bag, out var c))
            {
                icmpCode = (byte)c;
            }
        }
        return (icmpType, icmpCode);
    }

    /// <summary><c>quoting</c>: the packet an ICMP error answers, required on errors and refused elsewhere.</summary>
    private static QuotedPacket? ReadQuoting(IcmpFields fields, FlowTuple tuple, Exchange exchange, byte icmpType, Ruleset? ruleset, DiagnosticBag bag)
    {
        var isError = exchange == Exchange.IcmpMessage && IcmpKind.IsError(tuple.Protocol, icmpType);
        if (!IpProtocol.IsIcmp(tuple.Protocol) || fields.Quoting is null)
        {
            if (isError && fields.Type is not null) // an error implies ICMP, so here quoting is missing
            {
                bag.Add(fields.Type.Value, $"icmp_type {icmpType} is an error message, which quotes the packet it answers: add quoting: \"tcp A:port -> B:port\"");
            }
            return null;
        }
        if (!isError)
        {
            bag.Add(fields.Quoting.Key, $"quoting applies only to ICMP error messages (destination unreachable, packet too big, time exceeded, ...); icmp_type {(fields.Type is null ? "is not set" : icmpType.ToString())}");
            return null;
        }
        if (ParseLine(fields.Quoting.Value, ruleset, bag) is not { } quoted)
        {
            return null;
        }
        if (quoted.IsV6 != tuple.IsV6)
        {
            bag.Add(fields.Quoting.Value, $"the quoted flow is {(quoted.IsV6 ? "IPv6" : "IPv4")} but the ICMP message is {(tuple.IsV6 ? "IPv6" : "IPv4")}");
            return null;
        }
        return new QuotedPacket(quoted);
    }
}
