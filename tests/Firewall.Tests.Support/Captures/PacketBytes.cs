using System.Buffers.Binary;
using System.Net;

namespace Firewall.Tests.Support.Captures;

/// <summary>Hand-built frames, field by field, for decoder and reader tests.</summary>
public static class PacketBytes
{
    public static readonly byte[] MacA = [0x02, 0, 0, 0, 0, 0x0a];
    public static readonly byte[] MacB = [0x02, 0, 0, 0, 0, 0x0b];

    /// <summary>
    /// Documentation MAC addresses (RFC 7042 section 2.1.2, under the IANA OUI), for frames inside a
    /// pseudowire: Wireshark 4.0 tells a pseudowire's Ethernet frame by its MACs' registered OUIs.
    /// </summary>
    public static readonly byte[] DocMacA = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01];
    public static readonly byte[] DocMacB = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x02];

    /// <summary>The zero control word of a pseudowire (RFC 4385 section 3).</summary>
    public static readonly byte[] ControlWord = [0, 0, 0, 0];

    public static byte[] Ethernet(ushort etherType, byte[] payload, params ushort[] vlanTags)
    {
        var result = new List<byte>();
        result.AddRange(MacB);
        result.AddRange(MacA);
        var tpids = vlanTags.Select((_, i) => i == 0 && vlanTags.Length > 1 ? (ushort)0x88a8 : (ushort)0x8100).ToArray();
        for (var i = 0; i < vlanTags.Length; i++)
        {
            result.AddRange(U16(tpids[i]));
            result.AddRange(U16(vlanTags[i]));
        }
        result.AddRange(U16(etherType));
        result.AddRange(payload);
        return [.. result];
    }

    public static byte[] EthernetIpv4(byte[] ipPacket) => Ethernet(0x0800, ipPacket);

    /// <summary>An untagged Ethernet frame between the documentation MACs, as a pseudowire carries it.</summary>
    public static byte[] CustomerEthernet(ushort etherType, byte[] payload) => [.. DocMacB, .. DocMacA, .. U16(etherType), .. payload];

    /// <summary>An MPLS label stack (RFC 3032): TTL 64, traffic class 0, the bottom-of-stack bit on the last label.</summary>
    public static byte[] MplsLabels(params uint[] labels) =>
        labels.SelectMany((l, i) => new[] { (byte)(l >> 12), (byte)(l >> 4), (byte)((l << 4) | (i == labels.Length - 1 ? 1u : 0u)), (byte)64 }).ToArray();

    public static byte[] Ipv4(string src, string dst, byte protocol, byte[] payload, ushort id = 0x1234,
        bool dontFragment = false, bool moreFragments = false, int fragmentOffsetBytes = 0, byte[]? options = null,
        int? totalLength = null, int? ihlWords = null)
    {
        options ??= [];
        var headerLength = 20 + options.Length;
        var header = new byte[headerLength];
        header[0] = (byte)(0x40 | (ihlWords ?? headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(totalLength ?? headerLength + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), id);
        var frag = (ushort)((fragmentOffsetBytes / 8) | (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), frag);
        header[8] = 64;
        header[9] = protocol;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(header, 12);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(header, 16);
        options.CopyTo(header, 20);
        return [.. header, .. payload];
    }

    /// <summary>IPv6 with an optional chain of extension headers given as (type, body) — body excludes next-header byte.</summary>
    public static byte[] Ipv6(string src, string dst, byte protocol, byte[] payload, params (byte Type, byte[] Header)[] extensions)
    {
        var chain = new List<byte>();
        for (var i = 0; i < extensions.Length; i++)
        {
            var next = i + 1 < extensions.Length ? extensions[i + 1].Type : protocol;
            var h = (byte[])extensions[i].Header.Clone();
            h[0] = next;
            chain.AddRange(h);
        }
        var header = new byte[40];
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)(chain.Count + payload.Length));
        header[6] = extensions.Length > 0 ? extensions[0].Type : protocol;
        header[7] = 64;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(header, 8);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(header, 24);
        return [.. header, .. chain, .. payload];
    }

    /// <summary>An 8-byte options-style extension header (hop-by-hop, destination options, routing with length 0).</summary>
    public static (byte, byte[]) OptionsHeader(byte type, int units = 1)
    {
        var h = new byte[units * 8];
        h[1] = (byte)(units - 1);
        if (type is 0 or 60)
        {
            h[2] = 1;               // PadN covering the rest
            h[3] = (byte)(h.Length - 4);
        }
        return (type, h);
    }

    public static (byte, byte[]) FragmentHeader(int offsetBytes, bool more, uint id)
    {
        var h = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), (ushort)((offsetBytes & 0xfff8) | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), id);
        return (44, h);
    }

    /// <summary>AH (RFC 4302): length counts 4-byte words minus 2; 12 bytes fixed + ICV.</summary>
    public static (byte, byte[]) AuthenticationHeader(int icvBytes = 12)
    {
        var h = new byte[12 + icvBytes];
        h[1] = (byte)(h.Length / 4 - 2);
        return (51, h);
    }

    public static byte[] Tcp(ushort sport, ushort dport, byte flags, uint seq = 1000, uint ack = 0, byte[]? payload = null, int dataOffsetWords = 5)
    {
        var h = new byte[Math.Max(20, dataOffsetWords * 4)];
        BinaryPrimitives.WriteUInt16BigEndian(h, sport);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(8), ack);
        h[12] = (byte)(dataOffsetWords << 4);
        h[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(14), 65535);
        return [.. h, .. payload ?? []];
    }

    public static byte[] Udp(ushort sport, ushort dport, byte[] payload)
    {
        var h = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(h, sport);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), (ushort)(8 + payload.Length));
        return [.. h, .. payload];
    }

    public static byte[] Icmp(byte type, byte code, ushort id = 0, ushort sequence = 0, byte[]? body = null)
    {
        var h = new byte[8];
        h[0] = type;
        h[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), sequence);
        return [.. h, .. body ?? []];
    }

    public static byte[] U16(ushort v) => [(byte)(v >> 8), (byte)v];

    public static byte[] Vxlan(uint vni, byte[] innerEthernet)
    {
        var h = new byte[8];
        h[0] = 0x08;
        h[4] = (byte)(vni >> 16);
        h[5] = (byte)(vni >> 8);
        h[6] = (byte)vni;
        return [.. h, .. innerEthernet];
    }

    /// <summary>A small UDP/IPv4 frame: handy filler for reader tests.</summary>
    public static byte[] SampleFrame(int n = 0) =>
        EthernetIpv4(Ipv4("10.0.0.1", "10.0.0.2", 17, Udp((ushort)(40000 + n), 53, [1, 2, 3, 4])));
}
