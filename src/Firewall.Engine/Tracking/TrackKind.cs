using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tracking;

/// <summary>
/// How a packet is keyed in a tracking table (AWS "Connection tracking"): TCP and UDP by both endpoints; ICMP echo by
/// addresses and identifier; any other protocol by addresses and protocol number. ICMP errors and other
/// ICMP messages, and fragments without ports, are never keyed.
/// </summary>
public static class TrackKind
{
    public enum Value : byte
    {
        None,
        Tcp,
        Udp,
        IcmpEcho,
        Other,
    }

    public const Value None = Value.None;
    public const Value Tcp = Value.Tcp;
    public const Value Udp = Value.Udp;
    public const Value IcmpEcho = Value.IcmpEcho;
    public const Value Other = Value.Other;

    public static Value Of(in PacketInfo p)
    {
        if (p.IsLaterFragment)
        {
            return Value.None;
        }
        return p.Protocol switch
        {
            IpProtocol.Tcp => p.Has(PacketFlags.Tcp) ? Value.Tcp : Value.None,
            IpProtocol.Udp => p.Has(PacketFlags.Ports) ? Value.Udp : Value.None,
            IpProtocol.Icmp or IpProtocol.IcmpV6 => p.Has(PacketFlags.IcmpEcho) ? Value.IcmpEcho : Value.None,
            _ => Value.Other,
        };
    }
}
