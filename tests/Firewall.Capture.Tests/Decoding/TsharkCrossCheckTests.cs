using System.Globalization;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Capture.Tests.Builders;
using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;
using Firewall.Tests.Support;
using Firewall.Tests.Support.Captures;
using Xunit.Abstractions;

namespace Firewall.Capture.Tests.Decoding;

/// <summary>
/// Decodes every committed capture (and a synthetic one of awkward frames) and compares each frame, field
/// by field, with what tshark dissects from the same file. The field conventions that differ (units, QinQ,
/// ICMP quotes as second occurrences ...) are mapped here and documented in docs/decode-fields.md.
/// </summary>
public class TsharkCrossCheckTests(ITestOutputHelper output)
{
    private const string Synthetic = "synthetic:edge-cases";

    private static readonly string[] Fields =
    [
        "frame.number", "frame.time_epoch", "frame.protocols",
        "ip.src", "ip.dst", "ip.proto", "ip.id", "ip.frag_offset", "ip.flags.mf",
        "ipv6.src", "ipv6.dst", "ipv6.nxt",
        "ipv6.hopopts.nxt", "ipv6.dstopts.nxt", "ipv6.routing.nxt", "ah.next_header",
        "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ipv6.fraghdr.ident",
        "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport",
        "icmp.type", "icmp.code", "icmp.ident", "icmpv6.type", "icmpv6.code", "icmpv6.echo.identifier",
        "vlan.id", "ieee8021ad.id",
        "eth.type", "vlan.etype", "sll.etype", "null.family", "null.type",
        "_ws.expert.severity", "_ws.malformed",
    ];

    /// <summary>Wireshark's PI_ERROR: the expert severity of malformed or impossible fields.</summary>
    private const long ExpertError = 0x00800000;

    private static readonly Dictionary<string, string> ExtensionNext = new()
    {
        ["ipv6.hopopts"] = "ipv6.hopopts.nxt",
        ["ipv6.dstopts"] = "ipv6.dstopts.nxt",
        ["ipv6.routing"] = "ipv6.routing.nxt",
        ["ipv6.fraghdr"] = "ipv6.fraghdr.nxt",
        ["ah"] = "ah.next_header",
    };

    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string> { Synthetic };
        foreach (var capture in TestCaptures.All())
        {
            data.Add(capture);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Captures))]
    public void Every_frame_matches_tshark(string capture)
    {
        Skip.IfNot(Tshark.Available, "tshark is not on PATH; install Wireshark's tshark to cross-check the decoder");
        var path = capture == Synthetic ? WriteSynthetic() : Path.Combine(Repository.Root, capture);
        var tshark = RunTshark(path);
        // tshark's IPv6 dissector stops at an IPv4 packet on a LINKTYPE_IPV6 interface ("Bogus IPv6 version"),
        // where tcpdump and we decode by the version nibble: for those frames the reference is tshark on the
        // same bytes as LINKTYPE_RAW, whose dissector decides by the nibble too.
        var rawCopy = RawIpCopyOfIpv6LinkType(path);
        var asRaw = rawCopy is null ? null : RunTshark(rawCopy);
        var mismatches = new List<string>();
        var frames = 0;
        foreach (var decapsulate in new[] { false, true })
        {
            using var reader = CaptureReader.Open(path);
            var options = new DecoderOptions { DecapsulateVxlan = decapsulate };
            var info = new PacketInfo();
            var undecodable = 0;
            while (reader.TryReadNext(out var record))
            {
                PacketDecoder.Decode(record, options, ref info);
                if (!tshark.TryGetValue(info.Frame, out var row))
                {
                    mismatches.Add($"frame {info.Frame}: tshark has no such frame");
                    continue;
                }
                if (info.LinkType == LinkTypes.Ipv6 && info.Has(PacketFlags.IpVersionMismatch) && asRaw is not null)
                {
                    output.WriteLine($"{capture} frame {info.Frame}: IPv4 on LINKTYPE_IPV6, tshark: '{row.Get("frame.protocols", 0)}'; compared with tshark reading it as LINKTYPE_RAW");
                    row = asRaw[info.Frame];
                }
                if (info.Error != DecodeError.None)
                {
                    undecodable++;
                    output.WriteLine($"{capture} frame {info.Frame}: undecodable ({DecodeErrorText.Name(info.Error)}), tshark: {row.Get("frame.protocols", 0)}");
                    if (row.Protocols.Any(t => t is "ip" or "ipv6") && !row.HasError)
                    {
                        // tshark found an IP packet and nothing wrong: refusing it is a decoding gap, not caution.
                        mismatches.Add($"frame {info.Frame} (decap {decapsulate}): undecodable here ({DecodeErrorText.Name(info.Error)}), tshark decodes '{row.Get("frame.protocols", 0)}' without an error");
                    }
                    continue;
                }
                Compare(row, info, decapsulate, mismatches);
                frames++;
            }
            foreach (var warning in reader.Warnings)
            {
                output.WriteLine($"{capture}: warning: {warning}");
            }
            if (capture == Synthetic)
            {
                Assert.Empty(reader.Warnings);
            }
            output.WriteLine($"{capture} (decap {decapsulate}): {reader.FramesRead} frames, {undecodable} undecodable, tshark {tshark.Count} frames");
            Assert.Equal(tshark.Count, reader.FramesRead);
        }
        foreach (var m in mismatches.Take(50))
        {
            output.WriteLine(m);
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} field mismatches with tshark in {capture}; first: {mismatches.FirstOrDefault()}");
        Assert.True(frames > 0);
    }

    /// <summary>A temporary copy of a classic pcap of LINKTYPE_IPV6 with the link type set to RAW; null for anything else.</summary>
    private static string? RawIpCopyOfIpv6LinkType(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 24)
        {
            return null;
        }
        var bigEndian = bytes[0] == 0xa1;
        var linkType = bigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)) : BitConverter.ToUInt32(bytes, 20);
        if (bytes[0] is not (0xa1 or 0xd4 or 0x4d or 0x34) || linkType != LinkTypes.Ipv6)
        {
            return null;
        }
        if (bigEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), LinkTypes.Raw);
        }
        else
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), LinkTypes.Raw);
        }
        var copy = Path.Combine(Path.GetTempPath(), $"fw-raw-{Environment.ProcessId}-{Path.GetFileName(path)}");
        File.WriteAllBytes(copy, bytes);
        return copy;
    }

    private static string WriteSynthetic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fw-edge-{Environment.ProcessId}.pcapng");
        File.WriteAllBytes(path, EdgeCaseCapture.Build());
        return path;
    }

    private static void Compare(TsharkRow row, in PacketInfo info, bool decapsulate, List<string> mismatches)
    {
        var frame = info.Frame;
        void Check(string what, string? expected, string? actual)
        {
            if (expected != actual)
            {
                mismatches.Add($"frame {frame} (decap {decapsulate}) {what}: tshark '{expected}', ours '{actual}'");
            }
        }

        Check("time", row.Get("frame.time_epoch", 0), FormatEpoch(info.TimestampNs));

        var tokens = row.Protocols;
        var start = 0;
        if (decapsulate && Array.IndexOf(tokens, "vxlan") is >= 0 and var vx)
        {
            start = vx + 1;
        }
        var ipAt = Array.FindIndex(tokens, start, t => t is "ip" or "ipv6");
        var vlanAt = Array.FindIndex(tokens, start, t => t is "vlan" or "ieee8021ad");
        string? vlan = null;
        if (vlanAt >= 0 && (ipAt < 0 || vlanAt < ipAt))
        {
            vlan = row.Get(tokens[vlanAt] == "vlan" ? "vlan.id" : "ieee8021ad.id", row.Ordinal(vlanAt));
        }
        Check("vlan", vlan, info.Has(PacketFlags.Vlan) ? info.Vlan.ToString() : null);
        Check("decapsulated", (decapsulate && start > 0).ToString(), info.Has(PacketFlags.Decapsulated).ToString());

        if (ipAt < 0)
        {
            Check("ip version", "0", info.IpVersion.ToString());
            Check("not-ip", ExpectedNotIp(row, start), NotIpText.Name(info.NotIp, info.NotIpType));
            return;
        }
        if (tokens[ipAt] == "ip" && ipAt + 1 < tokens.Length && tokens[ipAt + 1] == "ipv6" && row.Get("ip.src", row.Ordinal(ipAt)) is null)
        {
            // tshark's IPv4 dissector found version 6 and handed the packet to IPv6 (LINKTYPE_IPV4, EtherType 0x0800).
            ipAt++;
        }
        Check("ip-version-mismatch",
            (info.LinkType == LinkTypes.Ipv4 && tokens[ipAt] == "ipv6" || info.LinkType == LinkTypes.Ipv6 && tokens[ipAt] == "ip").ToString(),
            info.Has(PacketFlags.IpVersionMismatch).ToString());
        var (src, dst, proto, afterIp) = IpLayer(row, ipAt);
        Check("ip version", tokens[ipAt] == "ip" ? "4" : "6", info.IpVersion.ToString());
        Check("src", src, info.Src.IsV6 == (tokens[ipAt] == "ipv6") ? Text(info.Src) : "family differs");
        Check("dst", dst, Text(info.Dst));
        Check("proto", proto, info.Protocol.ToString());

        if (tokens[ipAt] == "ip")
        {
            var ord = row.Ordinal(ipAt);
            Check("frag_offset", Times8(row.Get("ip.frag_offset", ord)), info.FragOffset.ToString());
            Check("more_fragments", row.Get("ip.flags.mf", ord), info.Has(PacketFlags.MoreFragments) ? "1" : "0");
            Check("frag_id", Number(row.Get("ip.id", ord)), info.FragId.ToString());
        }
        else
        {
            var fragAt = Array.FindIndex(tokens, ipAt, t => t == "ipv6.fraghdr");
            if (fragAt >= 0 && fragAt <= afterIp)
            {
                var ord = row.Ordinal(fragAt);
                Check("frag_offset", Times8(row.Get("ipv6.fraghdr.offset", ord)), info.FragOffset.ToString());
                Check("more_fragments", row.Get("ipv6.fraghdr.more", ord), info.Has(PacketFlags.MoreFragments) ? "1" : "0");
                Check("frag_id", Number(row.Get("ipv6.fraghdr.ident", ord)), info.FragId.ToString());
            }
            else
            {
                Check("fragment", "False", info.Has(PacketFlags.Fragment).ToString());
            }
        }

        var transport = afterIp < tokens.Length ? tokens[afterIp] : "";
        if (info.IsLaterFragment)
        {
            // tshark shows a later fragment's bytes as "data", as we do (no transport header).
            Check("later fragment transport", "data-or-nothing", transport is "data" or "" ? "data-or-nothing" : transport);
            return;
        }
        var tOrd = afterIp < tokens.Length ? row.Ordinal(afterIp) : 0;
        switch (transport)
        {
            case "tcp":
                Check("sport", row.Get("tcp.srcport", tOrd), info.SrcPort.ToString());
                Check("dport", row.Get("tcp.dstport", tOrd), info.DstPort.ToString());
                Check("tcp_flags", (Number(row.Get("tcp.flags", tOrd)) is { } f ? (long.Parse(f) & 0xff).ToString() : null), info.TcpFlags.ToString());
                break;
            case "udp":
                Check("sport", row.Get("udp.srcport", tOrd), info.SrcPort.ToString());
                Check("dport", row.Get("udp.dstport", tOrd), info.DstPort.ToString());
                break;
            case "icmp" or "icmpv6":
            {
                var p = transport;
                Check("icmp_type", row.Get($"{p}.type", tOrd), info.IcmpType.ToString());
                Check("icmp_code", row.Get($"{p}.code", tOrd), info.IcmpCode.ToString());
                // Only an echo's own identifier: for an error quoting an echo, tshark's only icmp.ident is the quote's.
                var type = row.Get($"{p}.type", tOrd);
                var echo = p == "icmp" ? type is "0" or "8" : type is "128" or "129";
                var id = echo ? Number(row.Get(p == "icmp" ? "icmp.ident" : "icmpv6.echo.identifier", tOrd)) : null;
                Check("icmp_id", id, info.Has(PacketFlags.IcmpEcho) ? info.IcmpId.ToString() : null);
                var innerAt = afterIp + 1 < tokens.Length && tokens[afterIp + 1] is "ip" or "ipv6" ? afterIp + 1 : -1;
                if (innerAt < 0)
                {
                    Check("inner header", "False", info.Has(PacketFlags.InnerHeader).ToString());
                    break;
                }
                var (isrc, idst, iproto, afterInner) = IpLayer(row, innerAt);
                Check("inner_src", isrc, Text(info.InnerSrc));
                Check("inner_dst", idst, Text(info.InnerDst));
                Check("inner_proto", iproto, info.InnerProtocol.ToString());
                var innerTransport = afterInner < tokens.Length ? tokens[afterInner] : "";
                if (innerTransport is "tcp" or "udp")
                {
                    var o = row.Ordinal(afterInner);
                    Check("inner_sport", row.Get($"{innerTransport}.srcport", o), info.Has(PacketFlags.InnerPorts) ? info.InnerSrcPort.ToString() : null);
                    Check("inner_dport", row.Get($"{innerTransport}.dstport", o), info.Has(PacketFlags.InnerPorts) ? info.InnerDstPort.ToString() : null);
                }
                break;
            }
            default:
                Check("ports", "False", info.Has(PacketFlags.Ports).ToString());
                break;
        }
    }

    /// <summary>
    /// What a frame without IP carries, by tshark's protocols after <paramref name="start"/>: the named kinds
    /// by their dissector, an MPLS payload tshark shows as no IP, a NULL family, else the innermost EtherType.
    /// </summary>
    private static string ExpectedNotIp(TsharkRow row, int start)
    {
        var tokens = row.Protocols[start..];
        if (tokens.Contains("arp")) return "not-ip: arp";
        if (tokens.Contains("ipx")) return "not-ip: ipx";
        if (tokens.Contains("llc")) return "not-ip: llc";
        if (tokens.Contains("mpls") && !tokens.Contains("pwethcw")) return "not-ip: mpls";
        if (row.Get("null.family", 0) is { } family) return $"not-ip: family {family}";
        // The EtherType field of the innermost link layer that has one.
        var last = Array.FindLastIndex(tokens, t => t is "eth" or "vlan" or "sll");
        var field = last < 0 ? null : tokens[last] switch { "eth" => "eth.type", "vlan" => "vlan.etype", _ => "sll.etype" };
        var occurrences = field is null ? 0 : row.Count(field);
        // NULL with an EtherType where the family goes: tshark's null.type.
        var type = occurrences == 0 ? row.Get("null.type", 0) : row.Get(field!, occurrences - 1);
        return type is null ? "not-ip: ethertype ?" : $"not-ip: ethertype {type}";
    }

    /// <summary>Addresses and final protocol of the IP layer at token <paramref name="at"/>, and the index of the token after its extension headers.</summary>
    private static (string? Src, string? Dst, string? Proto, int After) IpLayer(TsharkRow row, int at)
    {
        var tokens = row.Protocols;
        var ord = row.Ordinal(at);
        if (tokens[at] == "ip")
        {
            return (row.Get("ip.src", ord), row.Get("ip.dst", ord), row.Get("ip.proto", ord), at + 1);
        }
        var proto = row.Get("ipv6.nxt", ord);
        var i = at + 1;
        for (; i < tokens.Length && ExtensionNext.TryGetValue(tokens[i], out var field); i++)
        {
            proto = row.Get(field, row.Ordinal(i));
        }
        return (row.Get("ipv6.src", ord), row.Get("ipv6.dst", ord), proto, i);
    }

    private static string Text(IpAddr address) => address.IsV6 ? address.ToIPAddress().ToString() : address.ToString();

    private static string FormatEpoch(long ns) =>
        $"{Math.DivRem(ns, 1_000_000_000, out var frac)}.{frac:D9}";

    private static string? Times8(string? units) => units is null ? null : (long.Parse(units, CultureInfo.InvariantCulture) * 8).ToString();

    private static string? Number(string? text) =>
        text is null ? null
        : text.StartsWith("0x", StringComparison.Ordinal) ? long.Parse(text[2..], NumberStyles.HexNumber).ToString()
        : text;

    private static Dictionary<long, TsharkRow> RunTshark(string path)
    {
        string[] args =
        [
            "-r", path, "-n", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|",
            // Per-frame fields: no reassembly, so every fragment and segment stands alone as in our decoder.
            "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
            .. Fields.SelectMany(field => new[] { "-e", field }),
        ];
        var (code, output, error) = Tshark.Invoke(args);
        var rows = new Dictionary<long, TsharkRow>();
        using var lines = new StringReader(output);
        while (lines.ReadLine() is { } line)
        {
            var row = new TsharkRow(line.Split('\t'));
            rows[long.Parse(row.Get("frame.number", 0)!)] = row;
        }
        Assert.True(code == 0 || rows.Count > 0, $"tshark failed: {error}");
        return rows;
    }

    private sealed class TsharkRow(string[] values)
    {
        public string[] Protocols { get; } = values[Array.IndexOf(Fields, "frame.protocols")].Split(':');

        public string? Get(string field, int occurrence)
        {
            var i = Array.IndexOf(Fields, field);
            if (i < 0 || i >= values.Length || values[i].Length == 0)
            {
                return null;
            }
            var parts = values[i].Split('|');
            return occurrence < parts.Length ? parts[occurrence] : null;
        }

        /// <summary>tshark found the frame malformed, or raised an expert item of error severity.</summary>
        public bool HasError =>
            Count("_ws.malformed") > 0
            || Enumerable.Range(0, Count("_ws.expert.severity")).Any(i => long.Parse(Get("_ws.expert.severity", i)!, CultureInfo.InvariantCulture) >= ExpertError);

        /// <summary>How many values the field has in this frame.</summary>
        public int Count(string field)
        {
            var i = Array.IndexOf(Fields, field);
            return i < 0 || i >= values.Length || values[i].Length == 0 ? 0 : values[i].Split('|').Length;
        }

        /// <summary>How many earlier tokens have the same protocol name: the occurrence index of its fields.</summary>
        public int Ordinal(int tokenIndex) => Protocols.Take(tokenIndex).Count(t => t == Protocols[tokenIndex]);
    }
}
