using System.Runtime.CompilerServices;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// What the rules alone said at each hop for the packets one side of a flow sends. Every packet of a flow
/// from the same side has the same addresses, protocol and ports (they are the flow's key), so it meets the
/// same hops and the same rules decide them; only ICMP echo flows mix message types per side, and the
/// discriminator catches that. Evaluating rules once per flow side instead of once per packet makes the
/// per-packet cost independent of how many rules there are.
/// </summary>
[InlineArray(Slots)]
internal struct HopRuleResults
{
    public const int Slots = 8; // two sides × four hops
    private int _first;
}

internal struct RuleResultCache
{
    /// <summary>Per side: which packet shape the cached results are for; 0 = nothing cached.</summary>
    public int DiscriminatorA;
    public int DiscriminatorB;

    /// <summary>Side × 4 + hop: 0 = not evaluated yet, else <see cref="Encode"/>.</summary>
    public HopRuleResults Hops;

    private const int AllowedBit = 1 << 30;
    private const int AllPeerBit = 1 << 29;
    private const int RuleMask = AllPeerBit - 1;

    /// <summary>The shape of a packet that decides which rules can match it, beyond the flow key.</summary>
    public static int Discriminator(in PacketInfo p) =>
        1 << 24
        | (p.Has(PacketFlags.Ports) ? 1 << 17 : 0)
        | (p.Has(PacketFlags.Icmp) ? 1 << 16 | p.IcmpType << 8 | p.IcmpCode : 0);

    /// <summary>Makes the cache of <paramref name="side"/> valid for <paramref name="discriminator"/>, dropping what was cached for another shape.</summary>
    public void Prepare(int side, int discriminator)
    {
        ref var current = ref side == 0 ? ref DiscriminatorA : ref DiscriminatorB;
        if (current == discriminator)
        {
            return;
        }
        current = discriminator;
        for (var h = 0; h < 4; h++)
        {
            Hops[side * 4 + h] = 0;
        }
    }

    public static int Encode(int ruleId, bool allowed, bool allPeer) =>
        (ruleId + 1) | (allowed ? AllowedBit : 0) | (allPeer ? AllPeerBit : 0);

    public static int RuleId(int encoded) => (encoded & RuleMask) - 1;

    public static bool Allowed(int encoded) => (encoded & AllowedBit) != 0;

    public static bool AllPeer(int encoded) => (encoded & AllPeerBit) != 0;
}
