using Firewall.Engine.Addressing;

namespace Firewall.Engine.Tracking;

/// <summary>
/// A connection key with two endpoint slots, A and B, and its hash computed once. The smaller endpoint
/// sits in A (<see cref="Canonical"/>), so a packet and its reply build the same key. The flow table keys
/// by it as it is; a tracking table keys by the same endpoints marked with the side that is the
/// interface's own (<see cref="ForInterface"/>), so one key serves both and only its hash is adjusted.
/// For ICMP echo the identifier sits in both ports; for other protocols both ports are 0.
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

    /// <summary>Tracking keys only: 1 when the interface's own endpoint is A, 2 when it is B; 0 in flow keys.</summary>
    public readonly byte Local;

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

    private FlowKey(in FlowKey key, byte local)
    {
        this = key;
        Local = local;
        Hash = key.Hash ^ (local == 1 ? 0x2545F491 : 0x6C8E9CF5);
    }

    /// <summary>
    /// This flow key as the key of an interface's tracking table, the interface's own endpoint being A
    /// (<paramref name="localIsA"/>) or B. A flow keys exactly what a tracking table does (AWS "Connection tracking": TCP and
    /// UDP by both ports, ICMP echo by identifier, other protocols by addresses alone), so each flow has one
    /// key per interface side. A key whose two endpoints are the same is the same from either side.
    /// </summary>
    public FlowKey ForInterface(bool localIsA)
    {
        var local = localIsA || (ALo == BLo && APort == BPort && AHi == BHi) ? (byte)1 : (byte)2;
        return new FlowKey(in this, local);
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
        // Independent multiplies by distinct odd constants (they run in parallel, unlike a chain of mixes),
        // then one multiply-xorshift finish so the high bits reach the low bits a power-of-two table uses.
        var h = aHi * 0x9E3779B97F4A7C15UL + aLo * 0xC2B2AE3D27D4EB4FUL + bHi * 0x165667B19E3779F9UL
            + bLo * 0xD6E8FEB86659FD93UL + ((ulong)ports << 8 | protocol) * 0xFF51AFD7ED558CCDUL;
        h ^= h >> 32;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return (int)h;
    }

    public bool Equals(FlowKey other) =>
        ALo == other.ALo && BLo == other.BLo && APort == other.APort && BPort == other.BPort
        && AHi == other.AHi && BHi == other.BHi && Protocol == other.Protocol && IsV6 == other.IsV6 && Local == other.Local;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() => Hash;
}
