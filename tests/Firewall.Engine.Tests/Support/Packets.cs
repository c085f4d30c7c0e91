using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Tests.Support;

/// <summary>Packet descriptors for tests, written as "addr:port" endpoints and tcpdump flag letters.</summary>
public static class Packets
{
    private static long _frame;

    public static PacketInfo Tcp(string from, string to, string flags, double t = 0)
    {
        var p = Base(IpProtocol.Tcp, from, to, t, out var sp, out var dp);
        p.Flags |= PacketFlags.Ports | PacketFlags.Tcp;
        p.SrcPort = sp;
        p.DstPort = dp;
        p.TcpFlags = ParseFlags(flags);
        return p;
    }

    public static PacketInfo Udp(string from, string to, double t = 0)
    {
        var p = Base(IpProtocol.Udp, from, to, t, out var sp, out var dp);
        p.Flags |= PacketFlags.Ports;
        p.SrcPort = sp;
        p.DstPort = dp;
        return p;
    }

    public static PacketInfo Icmp(string from, string to, byte type, byte code = 0, ushort id = 0, double t = 0, bool v6 = false)
    {
        var p = Base(v6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp, from, to, t, out _, out _);
        p.Flags |= PacketFlags.Icmp;
        p.IcmpType = type;
        p.IcmpCode = code;
        if (IcmpKind.IsEchoRequest(p.Protocol, type) || IcmpKind.IsEchoReply(p.Protocol, type))
        {
            p.Flags |= PacketFlags.IcmpEcho;
            p.IcmpId = id;
        }
        return p;
    }

    public static PacketInfo EchoRequest(string from, string to, ushort id, double t = 0) => Icmp(from, to, 8, 0, id, t);

    public static PacketInfo EchoReply(string from, string to, ushort id, double t = 0) => Icmp(from, to, 0, 0, id, t);

    /// <summary>An ICMP error from <paramref name="from"/> quoting a packet inner-from → inner-to.</summary>
    public static PacketInfo IcmpError(string from, string to, byte type, byte code, byte innerProtocol, string innerFrom, string innerTo, double t = 0)
    {
        var p = Icmp(from, to, type, code, 0, t);
        var (s, sp) = Endpoint(innerFrom);
        var (d, dp) = Endpoint(innerTo);
        p.Flags |= PacketFlags.InnerHeader | PacketFlags.InnerPorts;
        p.InnerSrc = s;
        p.InnerDst = d;
        p.InnerSrcPort = sp;
        p.InnerDstPort = dp;
        p.InnerProtocol = innerProtocol;
        return p;
    }

    public static PacketInfo Other(byte protocol, string from, string to, double t = 0) => Base(protocol, from, to, t, out _, out _);

    public static PacketInfo Fragment(PacketInfo first, int offset, bool more)
    {
        var p = first;
        p.Frame = ++_frame;
        p.Flags |= PacketFlags.Fragment;
        if (more) p.Flags |= PacketFlags.MoreFragments; else p.Flags &= ~PacketFlags.MoreFragments;
        p.FragOffset = offset;
        if (offset != 0)
        {
            p.Flags &= ~(PacketFlags.Ports | PacketFlags.Tcp | PacketFlags.Icmp | PacketFlags.IcmpEcho);
            p.SrcPort = p.DstPort = 0;
            p.IcmpType = p.IcmpCode = 0;
        }
        return p;
    }

    private static PacketInfo Base(byte protocol, string from, string to, double t, out ushort sp, out ushort dp)
    {
        var (s, sport) = Endpoint(from);
        var (d, dport) = Endpoint(to);
        sp = sport;
        dp = dport;
        return new PacketInfo
        {
            Frame = ++_frame,
            TimestampNs = (long)Math.Round(t * 1e9),
            IpVersion = (byte)(s.IsV6 ? 6 : 4),
            Src = s,
            Dst = d,
            Protocol = protocol,
            IpLength = 60,
        };
    }

    /// <summary>"1.2.3.4:80", "1.2.3.4", "[2001:db8::1]:80" or "2001:db8::1".</summary>
    public static (IpAddr Address, ushort Port) Endpoint(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            var port = close + 1 < text.Length ? ushort.Parse(text[(close + 2)..], CultureInfo.InvariantCulture) : (ushort)0;
            return (IpAddr.Parse(text[1..close]), port);
        }
        if (text.Count(c => c == ':') == 1)
        {
            var i = text.IndexOf(':');
            return (IpAddr.Parse(text[..i]), ushort.Parse(text[(i + 1)..], CultureInfo.InvariantCulture));
        }
        return (IpAddr.Parse(text), 0);
    }

    public static byte ParseFlags(string flags)
    {
        byte f = 0;
        foreach (var c in flags)
        {
            f |= c switch
            {
                'S' => TcpFlag.Syn,
                'F' => TcpFlag.Fin,
                'R' => TcpFlag.Rst,
                'P' => TcpFlag.Psh,
                'U' => TcpFlag.Urg,
                '.' => TcpFlag.Ack,
                _ => throw new ArgumentException($"unknown flag {c}"),
            };
        }
        return f;
    }
}
