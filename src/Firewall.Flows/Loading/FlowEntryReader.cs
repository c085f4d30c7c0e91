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
        var typeField = m.Scalar("icmp_type", "an ICMP type 0-255");
        var codeField = m.Scalar("icmp_code", "an ICMP code 0-255");
        var exchangeField = m.Scalar("exchange", "an exchange");
        var quotingField = m.Scalar("quoting", $"the flow whose packet an ICMP error answers, {FlowLine.Form}");

        if (tuple is null)
        {
            return null;
        }
        var isIcmp = IpProtocol.IsIcmp(tuple.Protocol);
        var allowed = ExchangeText.For(tuple.Protocol).Where(e => e != Exchange.IcmpMessage).ToArray();
        var exchange = allowed[0];
        if (exchangeField is not null)
        {
            var found = allowed.Where(e => ExchangeText.Name(e) == exchangeField.Text).ToArray();
            if (found.Length == 1)
            {
                exchange = found[0];
            }
            else
            {
                var names = string.Join(", ", allowed.Select(ExchangeText.Name));
                bag.Add(exchangeField.Value, $"exchange: expected one of {names} for {IpProtocol.Name(tuple.Protocol)}, found '{ScalarNode.Shorten(exchangeField.Text)}'");
            }
        }

        byte icmpType = 0, icmpCode = 0;
        if (!isIcmp)
        {
            foreach (var f in new[] { typeField, codeField, quotingField })
            {
                if (f is not null)
                {
                    bag.Add(f.Key, $"{f.Key.Value} applies only to icmp and icmpv6 flows, not {IpProtocol.Name(tuple.Protocol)}");
                }
            }
        }
        else
        {
            if (codeField is not null && typeField is null)
            {
                bag.Add(codeField.Key, "icmp_code needs an icmp_type (as in AWS rules)");
            }
            if (typeField is not null && YamlValues.TryCount(typeField, 0, 255, bag, out var t))
            {
                icmpType = (byte)t;
                if (exchangeField is not null)
                {
                    bag.Add(exchangeField.Key, "give either exchange: echo or an explicit icmp_type, not both");
                }
                exchange = Exchange.IcmpMessage;
                if (codeField is not null && YamlValues.TryCount(codeField, 0, 255, bag, out var c))
                {
                    icmpCode = (byte)c;
                }
            }
        }

        QuotedPacket? quoting = null;
        var isError = exchange == Exchange.IcmpMessage && IcmpKind.IsError(tuple.Protocol, icmpType);
        if (isIcmp && quotingField is not null)
        {
            if (!isError)
            {
                bag.Add(quotingField.Key, $"quoting applies only to ICMP error messages (destination unreachable, packet too big, time exceeded, ...); icmp_type {(typeField is null ? "is not set" : icmpType.ToString())}");
            }
            else if (ParseLine(quotingField.Value, ruleset, bag) is { } quoted)
            {
                if (quoted.IsV6 != tuple.IsV6)
                {
                    bag.Add(quotingField.Value, $"the quoted flow is {(quoted.IsV6 ? "IPv6" : "IPv4")} but the ICMP message is {(tuple.IsV6 ? "IPv6" : "IPv4")}");
                }
                else
                {
                    quoting = new QuotedPacket(quoted);
                }
            }
        }
        else if (isError && typeField is not null)
        {
            bag.Add(typeField.Value, $"icmp_type {icmpType} is an error message, which quotes the packet it answers: add quoting: \"tcp A:port -> B:port\"");
        }

        if (bag.Count > errors)
        {
            return null;
        }
        return new FlowDefinition
        {
            Index = index,
            Flow = tuple,
            Exchange = exchange,
            Count = count,
            StartNs = start,
            ReplyAfterNs = replyAfter,
            GapNs = gap,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
            Quoting = quoting,
            Location = new SourceLocation(bag.File, m.Node.Line, m.Node.Column),
        };
    }
}
