using System.Runtime.CompilerServices;
using Firewall.Engine.Compilation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Selection;

/// <summary>
/// What a report lists, from <c>--only</c>, <c>--filter</c>, <c>--interface</c>, <c>--since</c> and
/// <c>--until</c>, all of which must hold. <c>--only</c> chooses packet records by verdict; the others
/// choose packets by what they are (<see cref="Matches"/>), and a flow is listed when any of its packets is.
/// </summary>
public sealed record Listing
{
    public PacketSelection Only { get; init; }

    public PacketFilter? Filter { get; init; }

    /// <summary>The interface <c>--interface</c> named, resolved against the run's ruleset.</summary>
    public ListedInterface? Interface { get; init; }

    /// <summary><c>--since</c>: capture time in nanoseconds since the Unix epoch, inclusive, as written.</summary>
    public CaptureTime? Since { get; init; }

    /// <summary><c>--until</c>: capture time, exclusive.</summary>
    public CaptureTime? Until { get; init; }

    /// <summary>Whether anything but <c>--only</c> is given: then flows are narrowed too.</summary>
    public bool NarrowsFlows => Filter is not null || Interface is not null || Since is not null || Until is not null;

    public bool Narrows => Only != PacketSelection.All || NarrowsFlows;

    /// <summary>Whether the packet is one this listing is about, whatever its verdict.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(in PacketInfo packet) =>
        (Since is not { } since || packet.TimestampNs >= since.Nanoseconds)
        && (Until is not { } until || packet.TimestampNs < until.Nanoseconds)
        && (Interface is not { } nic || nic.Carries(in packet))
        && (Filter is null || Filter.Matches(in packet));

    /// <summary>The options that narrow the listing, as a person would write them again.</summary>
    public string Describe()
    {
        var words = new List<string>();
        if (Only != PacketSelection.All) words.Add($"--only {OnlyWord(Only)}");
        if (Filter is not null) words.Add($"--filter \"{Filter.Text}\"");
        if (Interface is not null) words.Add($"--interface {Interface.Name}");
        if (Since is not null) words.Add($"--since {Since.Text}");
        if (Until is not null) words.Add($"--until {Until.Text}");
        return string.Join(' ', words);
    }

    private static string OnlyWord(PacketSelection only) => only switch
    {
        PacketSelection.ReplyDenied => "reply-denied",
        _ => only.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// <c>--interface NAME</c>: the packets sent from or to one of the interface's addresses, which are the
/// packets whose path has the interface's hops, whether or not evaluation reached them (a request that a
/// NACL dropped on its way to the interface is still its traffic).
/// </summary>
public sealed class ListedInterface(string name, int index, AddressMap addresses)
{
    public string Name { get; } = name;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Carries(in PacketInfo p) =>
        p.IsIp && p.Decoded && (addresses.InterfaceOf(p.Src) == index || addresses.InterfaceOf(p.Dst) == index);

    /// <summary>The interface named, or null with the names the ruleset has.</summary>
    public static ListedInterface? Find(CompiledRuleset rules, string name, out string known)
    {
        known = string.Join(", ", rules.Interfaces.Select(i => i.Name).Order(StringComparer.Ordinal));
        var nic = rules.Interfaces.FirstOrDefault(i => i.Name == name);
        return nic is null ? null : new ListedInterface(name, nic.Index, rules.Addresses);
    }
}
