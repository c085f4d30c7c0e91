using Firewall.Engine.Addressing;

namespace Firewall.Engine.Tracking;

/// <summary>
/// A connection key with two endpoint slots, A and B, and its hash computed once. Tracking tables put
/// the interface's own side in A and the far side in B (pf's fixed slots), so a packet and its reply
/// build the same key with no swapping code; the flow table puts the smaller endpoint in A.
/// For ICMP echo the identifier sits in <see cref="APort"/>; for other protocols both ports are 0.
/// </summary>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    public readonly ulong AHi;
    public readonly ulong ALo;
    public readonly ulong BHi;
    public readonly ulong BLo;
    public readonly ushort APort;
    public readonly ushort BPort;
    public readonly byte Protocol;
    public readonly bool IsV6;
    public readonly int Hash;

    public FlowKey(IpAddr a, ushort aPort, IpAddr b, ushort bPort, byte protocol)
    {
        AHi = a.Hi;
        ALo = a.Lo;
        BHi = b.Hi;
        BLo = b.Lo;
        APort = aPort;
        BPort = bPort;
        Protocol = protocol;
        IsV6 = a.IsV6;
        Hash = ComputeHash(AHi, ALo, BHi, BLo, ((uint)aPort << 16 | bPort), protocol);
    }

    public IpAddr A => IsV6 ? IpAddr.FromV6(AHi, ALo) : IpAddr.FromV4((uint)ALo);

    public IpAddr B => IsV6 ? IpAddr.FromV6(BHi, BLo) : IpAddr.FromV4((uint)BLo);

    /// <summary>The key with endpoints in canonical order (smaller address, then port, in A).</summary>
    public static FlowKey Canonical(IpAddr x, ushort xPort, IpAddr y, ushort yPort, byte protocol, out bool swapped)
    {
        var c = x.CompareTo(y);
        swapped = c > 0 || (c == 0 && xPort > yPort);
        return swapped ? new FlowKey(y, yPort, x, xPort, protocol) : new FlowKey(x, xPort, y, yPort, protocol);
    }

    private static int ComputeHash(ulong aHi, ulong aLo, ulong bHi, ulong bLo, uint ports, byte protocol)
    {
        // A multiply-xorshift mix: cheap, and good enough spread for linear probing over power-of-two tables.
        ulong h = 0x9E3779B97F4A7C15UL ^ protocol;
        h = Mix(h ^ aHi);
        h = Mix(h ^ aLo);
        h = Mix(h ^ bHi);
        h = Mix(h ^ bLo);
        h = Mix(h ^ ports);
        return (int)(h ^ (h >> 32));
    }

    private static ulong Mix(ulong x)
    {
        x *= 0xBF58476D1CE4E5B9UL;
        return x ^ (x >> 31);
    }

    public bool Equals(FlowKey other) =>
        ALo == other.ALo && BLo == other.BLo && APort == other.APort && BPort == other.BPort
        && AHi == other.AHi && BHi == other.BHi && Protocol == other.Protocol && IsV6 == other.IsV6;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => Hash;
}
