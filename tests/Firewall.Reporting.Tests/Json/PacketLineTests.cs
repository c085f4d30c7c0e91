using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Firewall.Analysis.Runs;
using Firewall.Engine.Addressing;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting.Json;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Json;

/// <summary>
/// JSON Lines packet records are written as bytes (<c>JsonRecords.WritePacketLine</c>), the JSON document's
/// through <see cref="Utf8JsonWriter"/>: for any packet and any result, the two must be the same bytes.
/// </summary>
public sealed class PacketLineTests
{
    private static readonly Engine.Compilation.CompiledRuleset Rules = new TestRun(TestRulesets.WithNumberedDeny).Rules;

    private static readonly Gen<IpAddr> Address = Gen.OneOf(
        Gen.UInt.Select(IpAddr.FromV4),
        Gen.Select(Gen.ULong, Gen.ULong, IpAddr.FromV6),
        // Zero runs, IPv4-mapped and IPv4-compatible forms: where IPv6 text has its special cases.
        Gen.Select(Gen.Int[0, 0xFFFF], Gen.UInt, (w, v4) => IpAddr.FromV6(0, 0xFFFF00000000UL | v4)),
        Gen.Select(Gen.UInt, v4 => IpAddr.FromV6(0, v4)),
        Gen.Select(Gen.Int[0, 0xFFFF], Gen.Int[0, 0xFFFF], (a, b) => IpAddr.FromV6((ulong)a << 48, (ulong)b)));

    private static readonly Gen<PacketInfo> Packet =
        Gen.Select(Gen.Long, Gen.OneOf(Gen.Long[0, 4_000_000_000L * 1_000_000_000L], Gen.Long), Gen.Int[0, 2], Address, Address, Gen.Byte, Gen.Int[0, 0x1FFF])
        .SelectMany(t => Gen.Select(Gen.UShort, Gen.UShort, Gen.Byte, Gen.Byte, Gen.Byte, Gen.Int[0, 70_000], Gen.Int[0, 12])
        .SelectMany(u => Gen.Select(Gen.Enum<NotIpKind>(), Gen.UInt)
        .Select(v =>
        {
            var (frame, time, ip, src, dst, protocol, flags) = t;
            var (sport, dport, icmpType, icmpCode, tcpFlags, length, error) = u;
            var (notIp, notIpType) = v;
            var decodeError = error < Enum.GetValues<DecodeError>().Length && error % 3 == 0 ? (DecodeError)error : DecodeError.None;
            var carriesIp = ip != 0;
            return new PacketInfo
            {
                Frame = frame,
                TimestampNs = time,
                IpVersion = !carriesIp ? (byte)0 : src.IsV6 ? (byte)6 : (byte)4,
                Src = src,
                Dst = dst,
                Protocol = protocol,
                Flags = (PacketFlags)flags,
                SrcPort = sport,
                DstPort = dport,
                IcmpType = icmpType,
                IcmpCode = icmpCode,
                TcpFlags = tcpFlags,
                OriginalLength = length,
                Error = decodeError,
                // As the decoder leaves it: a kind only on a decoded frame without IP.
                NotIp = carriesIp || decodeError != DecodeError.None ? NotIpKind.None : notIp,
                NotIpType = notIpType,
            };
        })));

    private static readonly Gen<HopTrace> Hop = Gen.Select(Gen.Enum<HopKind>(), Gen.Bool, Gen.Enum<HopBasis>(), Gen.Int[0, Rules.Rules.Count - 1],
        (kind, allowed, basis, rule) => new HopTrace { Kind = kind, Allowed = allowed, Basis = basis, RuleId = rule });

    private static readonly Gen<PacketResult> Result =
        Gen.Select(Gen.Enum<Verdict>(), Gen.Int[-1, Rules.Rules.Count - 1], Gen.Enum<DenyReason>(), Gen.Int[0, 31], Gen.Int[-1, 1_000_000], Gen.Bool)
        .SelectMany(t => Gen.Select(Hop.Array[0, 4], Gen.Enum<Verdict>(), Gen.Int[-1, Rules.Rules.Count - 1])
        .Select(u =>
        {
            var (verdict, rule, reason, flags, flow, reply) = t;
            var (hops, statelessVerdict, statelessRule) = u;
            var r = new PacketResult
            {
                Verdict = verdict,
                RuleId = verdict == Verdict.Undecodable ? rule : Math.Max(0, rule),
                Reason = reason,
                Flags = (PacketResultFlags)flags,
                FlowId = flow,
                IsReply = reply,
                HopCount = hops.Length,
                StatelessVerdict = statelessVerdict,
                StatelessRuleId = statelessVerdict == Verdict.Undecodable ? statelessRule : Math.Max(0, statelessRule),
            };
            for (var h = 0; h < hops.Length; h++)
            {
                r.Hops[h] = hops[h];
            }
            return r;
        }));

    private static string ThroughTheJsonWriter(JsonRecords records, in PacketInfo p, in PacketResult r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            records.WritePacket(w, in p, in r, typed: true);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static string AsBytes(JsonRecords records, in PacketInfo p, in PacketResult r)
    {
        var line = new byte[records.MaxPacketLineBytes(r.HopCount)];
        var n = records.WritePacketLine(line, in p, in r);
        return Encoding.UTF8.GetString(line, 0, n);
    }

    [Fact]
    public void Any_packet_and_result_give_the_same_bytes_as_the_json_writer()
    {
        var records = new JsonRecords(Rules);
        Gen.Select(Packet, Result).Sample((p, r) =>
        {
            var expected = ThroughTheJsonWriter(records, in p, in r);
            var actual = AsBytes(records, in p, in r);
            Assert.Equal(expected, actual);
            using var parsed = JsonDocument.Parse(actual);
        }, iter: 20_000, threads: 1); // one JsonRecords, like one writer: it is not shared between threads
    }

    [Fact]
    public void Every_packet_of_an_evaluated_run_gives_the_same_bytes_as_the_json_writer()
    {
        var run = new TestRun(TestRulesets.WithNumberedDeny)
            .Connection(0, "198.51.100.8", 61000, "10.0.2.10", 443)
            .Connection(1, "2001:db8:ffff::7", 62000, "2001:db8:2::10", 443)
            .Echo(2, "198.51.100.7", "10.0.2.10", request: true, id: 3)
            .Udp(3, "192.0.2.1", 1000, "192.0.2.2", 2000)
            .Undecodable(4, DecodeError.TruncatedTransportHeader)
            .NotIp(5, NotIpKind.Arp, 0x0806)
            .NotIp(6, NotIpKind.EtherType, 0x88cc);
        var records = new JsonRecords(run.Rules);
        var compared = 0;
        run.Evaluate(new Comparing(records, () => compared++));
        Assert.Equal(13, compared);
    }

    private sealed class Comparing(JsonRecords records, Action counted) : IRunSink
    {
        public void WritePacket(in PacketInfo packet, in PacketResult result)
        {
            Assert.Equal(ThroughTheJsonWriter(records, in packet, in result), AsBytes(records, in packet, in result));
            counted();
        }

        public void Complete(RunReport report)
        {
        }

        public void Dispose()
        {
        }
    }
}
