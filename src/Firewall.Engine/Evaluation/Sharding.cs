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
    /// <summary>Shard <paramref name="p"/> belongs to when the address pairs are split evenly over <paramref name="shards"/>.</summary>
    public static int ShardOf(in PacketInfo p, int shards) => shards <= 1 ? 0 : (int)(Point(in p) * (ulong)shards >> 32);

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
