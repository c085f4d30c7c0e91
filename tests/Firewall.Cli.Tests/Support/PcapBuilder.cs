using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Writes small classic pcap files (LINKTYPE_ETHERNET, microseconds) of hand-made IPv4/IPv6 TCP, UDP and
/// ICMP frames with valid checksums, so that tests own their captures byte for byte and tshark reads them.
/// </summary>
internal sealed class PcapBuilder
{
    public static readonly DateTime Start = new(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc);

    private readonly List<(double Time, byte[] Frame, int WireLength)> _frames = [];

    public int Count => _frames.Count;

    /// <summary>The file header's LINKTYPE (1, Ethernet, unless a test needs another).</summary>
    public uint LinkType { get; init; } = 1;

    public PcapBuilder Tcp(double time, string src, ushort sport, string dst, ushort dport, byte flags, int payload = 0)
    {
        var tcp = new byte[20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), (flags & 0x10) != 0 ? 2000u : 0u);
        tcp[12] = 0x50;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        return Ip(time, src, dst, 6, tcp, checksumAt: 16);
    }

    public PcapBuilder Udp(double time, string src, ushort sport, string dst, ushort dport, int payload = 8)
    {
        var udp = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        return Ip(time, src, dst, 17, udp, checksumAt: 6);
    }

    /// <summary>An ICMP (IPv4) or ICMPv6 echo request or reply.</summary>
    public PcapBuilder Echo(double time, string src, string dst, bool request, ushort id, ushort seq = 1)
    {
        var v6 = IPAddress.Parse(src).AddressFamily == AddressFamily.InterNetworkV6;
        var icmp = new byte[8 + 16];
        icmp[0] = v6 ? (byte)(request ? 128 : 129) : (byte)(request ? 8 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), seq);
        return Ip(time, src, dst, v6 ? (byte)58 : (byte)1, icmp, checksumAt: 2);
    }

    /// <summary>A frame given whole (for undecodable or non-IP frames), with its claimed wire length.</summary>
    public PcapBuilder Raw(double time, byte[] frame, int? wireLength = null)
    {
        _frames.Add((time, frame, wireLength ?? frame.Length));
        return this;
    }

    /// <summary>An Ethernet frame whose IPv4 header claims more bytes than the frame holds on the wire.</summary>
    public PcapBuilder BrokenIpv4(double time)
    {
        var frame = new byte[14 + 20];
        WriteEthernet(frame, 0x0800);
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 1500);
        return Raw(time, frame);
    }

    private PcapBuilder Ip(double time, string srcText, string dstText, byte protocol, byte[] payload, int checksumAt)
    {
        var src = IPAddress.Parse(srcText).GetAddressBytes();
        var dst = IPAddress.Parse(dstText).GetAddressBytes();
        var v6 = src.Length == 16;
        var header = v6 ? 40 : 20;
        var frame = new byte[14 + header + payload.Length];
        WriteEthernet(frame, v6 ? (ushort)0x86DD : (ushort)0x0800);
        var ip = frame.AsSpan(14);
        if (v6)
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)payload.Length);
            ip[6] = protocol;
            ip[7] = 64;
            src.CopyTo(ip[8..]);
            dst.CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + payload.Length));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(_frames.Count + 1));
            ip[6] = 0x40; // don't fragment
            ip[8] = 64;
            ip[9] = protocol;
            src.CopyTo(ip[12..]);
            dst.CopyTo(ip[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20], 0));
        }
        payload.CopyTo(ip[header..]);
        // RFC 793/768/4443 pseudo-header sum; ICMPv4 (RFC 792) sums the message alone.
        uint pseudo = 0;
        if (protocol != 1)
        {
            pseudo = Sum(src) + Sum(dst) + protocol + (uint)payload.Length;
        }
        var transport = ip[header..];
        var checksum = Checksum(transport, pseudo);
        if (protocol == 17 && checksum == 0)
        {
            checksum = 0xFFFF;
        }
        BinaryPrimitives.WriteUInt16BigEndian(transport[checksumAt..], checksum);
        _frames.Add((time, frame, frame.Length));
        return this;
    }

    private static void WriteEthernet(Span<byte> frame, ushort etherType)
    {
        byte[] dst = [0x02, 0, 0, 0, 0, 0x02];
        byte[] src = [0x02, 0, 0, 0, 0, 0x01];
        dst.CopyTo(frame);
        src.CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }
        return sum;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = initial + Sum(data);
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkType);
        stream.Write(header);
        Span<byte> record = stackalloc byte[16];
        foreach (var (time, frame, wire) in _frames)
        {
            var micros = (long)Math.Round(time * 1_000_000);
            var at = Start.AddTicks(micros * 10);
            var seconds = (uint)(at - DateTime.UnixEpoch).TotalSeconds;
            BinaryPrimitives.WriteUInt32LittleEndian(record, seconds);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)wire);
            stream.Write(record);
            stream.Write(frame);
        }
        return stream.ToArray();
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }
}
