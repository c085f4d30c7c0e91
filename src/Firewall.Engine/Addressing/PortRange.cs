namespace Firewall.Engine.Addressing;

/// <summary>An inclusive range of TCP/UDP ports.</summary>
public readonly record struct PortRange(ushort From, ushort To)
{
    public static PortRange All { get; } = new(0, 65535);

    public bool IsAll => From == 0 && To == 65535;

    public bool Contains(ushort port) => port >= From && port <= To;

    public override string ToString() => From == To ? From.ToString() : $"{From}-{To}";
}
