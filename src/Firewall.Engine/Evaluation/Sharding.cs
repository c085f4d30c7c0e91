using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Which of N evaluators owns a packet when a run is spread over several cores. Packets are split by their
/// unordered address pair, so both directions of a flow, every flow between the same two hosts (whatever
/// the protocol), a fragment's later fragments and the tracking entries they need all live in one shard:
/// each shard evaluates exactly what one evaluator would, for the flows it owns.
/// </summary>
public static class Sharding
{
    /// <summary>
    /// Where the packet's unordered address pair falls in [0, 2^32): the same for both directions and for
    /// every packet between the two hosts. Undecodable and non-IP frames (no flow, no table) are at 0.
    /// </summary>
    public static ulong Point(in PacketInfo p)
    {
        if (!p.Decoded || !p.IsIp)
        {
            return 0;
        }
        var h = Mix(p.Src) + Mix(p.Dst);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h >> 32;
    }

    private static ulong Mix(IpAddr a)
    {
        var x = a.Hi * 0x9E3779B97F4A7C15UL ^ a.Lo;
        x ^= x >> 31;
        return x * 0x94D049BB133111EBUL;
    }
}

/// <summary>
/// How the address-pair space is cut into shards: shard 0 takes the points below <see cref="FirstBound"/>
/// (a thread that has other work to do may be given less than its fair share), the other shards share the
/// rest evenly. Any split gives the same results; it only moves work between threads.
/// </summary>
public readonly record struct ShardSplit(int Shards, ulong FirstBound)
{
    /// <summary>Shard 0 takes <paramref name="percentOfFair"/> % of a fair share (1/<paramref name="shards"/>).</summary>
    public static ShardSplit WithFirstShare(int shards, int percentOfFair) =>
        new(shards, shards <= 1 ? 1UL << 32 : (ulong)percentOfFair * (1UL << 32) / (100UL * (ulong)shards));

    /// <summary>Every shard takes a fair share.</summary>
    public static ShardSplit Even(int shards) => WithFirstShare(shards, 100);

    public int ShardOf(in PacketInfo p)
    {
        var point = Sharding.Point(in p);
        return point < FirstBound ? 0 : 1 + (int)(point % (ulong)(Shards - 1));
    }
}
