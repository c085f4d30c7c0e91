using System.CommandLine;
using System.CommandLine.Parsing;
using Firewall.Analysis.Selection;
using Firewall.Engine.Compilation;

namespace Firewall.Cli.Commands;

/// <summary>What was asked of the listing, as written: resolved against the ruleset once it is loaded.</summary>
internal sealed record ListingRequest(PacketSelection Only, string? Filter, string? Interface, string? Since, string? Until)
{
    /// <summary>The listing, or null after printing what is wrong (the filter with a caret under the column, an unknown interface with the known ones, a time).</summary>
    public Listing? Resolve(CompiledRuleset rules, TextWriter error)
    {
        PacketFilter? filter = null;
        if (Filter is not null && (filter = PacketFilter.Parse(Filter, out var problem)) is null)
        {
            error.WriteLine($"firewall: --filter: {problem}");
            error.WriteLine($"  {Filter}");
            error.WriteLine($"  {new string(' ', Math.Min(problem.Offset, Filter.Length))}^");
            return null;
        }
        ListedInterface? nic = null;
        if (Interface is not null && (nic = ListedInterface.Find(rules, Interface, out var known)) is null)
        {
            error.WriteLine($"firewall: --interface {Interface}: the ruleset has no such interface; it has {known}");
            return null;
        }
        if (Time("--since", Since, error) is not (true, var since) || Time("--until", Until, error) is not (true, var until))
        {
            return null;
        }
        if (since is not null && until is not null && since.Nanoseconds >= until.Nanoseconds)
        {
            error.WriteLine($"firewall: --since {since.Text} is not before --until {until.Text}: nothing could be listed");
            return null;
        }
        return new Listing { Only = Only, Filter = filter, Interface = nic, Since = since, Until = until };
    }

    private static (bool Ok, CaptureTime? Time) Time(string option, string? text, TextWriter error)
    {
        if (text is null)
        {
            return (true, null);
        }
        var time = CaptureTime.Parse(text, out var problem);
        if (time is null)
        {
            error.WriteLine($"firewall: {option}: {problem}");
        }
        return (time is not null, time);
    }
}

/// <summary>
/// <c>--filter</c>, <c>--interface</c>, <c>--since</c> and <c>--until</c>, shared by check, replies and
/// report: they narrow what is listed, never what is evaluated (docs/filter.md).
/// </summary>
internal sealed class ListingOptions
{
    public Option<string?> Filter { get; } = new("--filter")
    {
        Description = "list only the packets that match EXPR, a pcap-filter expression as tcpdump takes it (host, net, port, portrange, src, dst, ip, ip6, tcp, udp, icmp, icmp6, and, or, not; docs/filter.md), and the flows with such a packet; every packet is still evaluated and counted",
        HelpName = "EXPR",
    };

    public Option<string?> Interface { get; } = new("--interface")
    {
        Description = "list only the packets sent from or to the ruleset's interface NAME, and their flows",
        HelpName = "NAME",
    };

    public Option<string?> Since { get; } = new("--since")
    {
        Description = "list only the packets captured at or after TIME (RFC 3339, e.g. 2024-05-01T12:00:00Z), and their flows",
        HelpName = "TIME",
    };

    public Option<string?> Until { get; } = new("--until")
    {
        Description = "list only the packets captured before TIME (RFC 3339), and their flows",
        HelpName = "TIME",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Filter);
        command.Options.Add(Interface);
        command.Options.Add(Since);
        command.Options.Add(Until);
    }

    /// <summary>The first of these options given, or null: for refusing them where they cannot apply.</summary>
    public string? Given(SymbolResult result) => CommonOptions.TrafficOnly(result, Filter, Interface, Since, Until);

    public ListingRequest Request(ParseResult parse, PacketSelection only = PacketSelection.All) => new(
        only, parse.GetValue(Filter), parse.GetValue(Interface), parse.GetValue(Since), parse.GetValue(Until));
}
