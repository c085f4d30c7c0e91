using System.Buffers.Binary;
using System.Diagnostics;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;
using Firewall.Robustness.Tests.Support;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// Header chains of absurd depth inside a maximum-size frame: 65 000 VLAN tags, 65 000 MPLS labels, pseudowires
/// nested 10 000 deep, 32 000 IPv6 extension headers. The decoder gives up at <see cref="PacketDecoder.MaxVlanTags"/>
/// / <see cref="PacketDecoder.MaxMplsLabels"/> / <see cref="PacketDecoder.MaxExtensionHeaders"/>
/// with a named reason, allocates nothing, and the frame is counted as undecodable; the CLI reports it.
/// </summary>
public sealed class DecoderBoundsTests(ITestOutputHelper output)
{
    [Fact]
    public void A_stack_of_65000_vlan_tags_is_too_many_vlan_tags()
    {
        static byte[] Stack(int tags)
        {
            var frame = new byte[14 + 4 * tags + 40];
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
            for (var i = 0; i < tags; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14 + 4 * i + 2), 0x8100); // each tag says "another tag follows"
            }
            return frame;
        }
        AssertUndecodable(Stack(65_000), Stack(PacketDecoder.MaxVlanTags + 1), DecodeError.TooManyVlanTags, "too-many-vlan-tags", "VLAN stack of 65000 tags");
    }

    [Fact]
    public void A_stack_of_65000_mpls_labels_is_too_many_mpls_labels()
    {
        static byte[] Stack(int labels)
        {
            var frame = new byte[14 + 4 * labels + 40];
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8847);
            for (var i = 0; i < labels; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(14 + 4 * i), (uint)(16 + i % 1000) << 12 | 64); // bottom-of-stack bit clear
            }
            return frame;
        }
        AssertUndecodable(Stack(65_000), Stack(PacketDecoder.MaxMplsLabels + 1), DecodeError.TooManyMplsLabels, "too-many-mpls-labels", "MPLS stack of 65000 labels");
    }

    [Fact]
    public void Pseudowires_nested_10000_deep_are_too_many_mpls_labels()
    {
        // Each level: a bottom label, a control word, an Ethernet header whose type is MPLS again.
        static byte[] Nest(int levels)
        {
            var frame = new byte[14 + 22 * levels + 40];
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8847);
            for (var i = 0; i < levels; i++)
            {
                var at = 14 + 22 * i;
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at), 100u << 12 | 0x100 | 64);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at + 4 + 4 + 12), 0x8847);
            }
            return frame;
        }
        AssertUndecodable(Nest(10_000), Nest(PacketDecoder.MaxMplsLabels + 1), DecodeError.TooManyMplsLabels, "too-many-mpls-labels", "pseudowires nested 10000 deep");
    }

    [Fact]
    public void A_chain_of_32000_ipv6_destination_options_headers_is_too_many_extension_headers()
    {
        static byte[] Chain(int headers)
        {
            var ip = new byte[40 + 8 * headers + 20];
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)Math.Min(ip.Length - 40, ushort.MaxValue));
            ip[6] = 60; // Destination Options
            ip[7] = 64;
            for (var i = 0; i < headers; i++)
            {
                ip[40 + 8 * i] = 60; // next header: another Destination Options; length 0 = 8 bytes
            }
            return Frames.Ethernet(0x86DD, ip);
        }
        AssertUndecodable(Chain(32_000), Chain(PacketDecoder.MaxExtensionHeaders + 1), DecodeError.TooManyExtensionHeaders, "too-many-extension-headers", "IPv6 chain of 32000 extension headers");
    }

    /// <summary>
    /// <paramref name="frame"/> (an absurd chain) fails with <paramref name="expected"/>, allocating nothing,
    /// and costs about as much to decode as <paramref name="atBound"/>, the shortest chain that trips the same
    /// bound: a walk that went on past the bound would take thousands of times longer. The two are timed in
    /// turn and each keeps its fastest round, so a busy machine slows both alike (no absolute time limit).
    /// </summary>
    private void AssertUndecodable(byte[] frame, byte[] atBound, DecodeError expected, string name, string what)
    {
        Assert.True(frame.Length <= CaptureReader.MaxCapturedLength);
        var info = new PacketInfo();
        PacketDecoder.Decode(atBound, 1, new DecoderOptions(), ref info); // JIT and type initialisers
        Assert.Equal(expected, info.Error);
        var fastest = new[] { double.MaxValue, double.MaxValue };
        var allocated = new List<long>();
        // The fastest of many short rounds: on a busy machine a few rounds are preempted, rarely all of them.
        for (var round = 0; round < 31; round++)
        {
            foreach (var (candidate, k) in new[] { (frame, 0), (atBound, 1) })
            {
                var clock = Stopwatch.StartNew();
                allocated.Add(Memory.Allocated(() =>
                {
                    for (var i = 0; i < 200; i++)
                    {
                        PacketDecoder.Decode(candidate, 1, new DecoderOptions(), ref info);
                    }
                }));
                fastest[k] = Math.Min(fastest[k], clock.Elapsed.TotalMicroseconds / 200);
                Assert.Equal(expected, info.Error);
            }
        }
        var ratio = fastest[0] / fastest[1];
        // The runtime itself may allocate a kilobyte or so on this thread while the JIT's tiering settles
        // (CI saw 1,328 bytes in one of the 62 rounds), so a round or two may show bytes; a decoder that
        // allocated would allocate in every round, 200 times over.
        var bytes = allocated.Sum();
        var allocating = allocated.Count(b => b != 0);
        Assert.True(allocating <= 2, $"{what}: {allocating} of {allocated.Count} rounds of 200 decodes allocated ({string.Join(", ", allocated)} bytes)");
        Assert.True(ratio < 5, $"{what}: {fastest[0]:F2} µs per frame against {fastest[1]:F2} µs at the bound ({ratio:F1} times): the walk is not bounded");
        output.WriteLine($"bound: {what}: {info.Error} after {fastest[0]:F2} µs ({ratio:F1} times the chain at the bound), {bytes} bytes allocated");

        // End to end: the frame is one undecodable packet with its reason; being the capture's only frame,
        // nothing was checked, so the run reports it and exits 2.
        var r = InProcessCli.RunWithInput(Frames.Pcap(1, frame), "check", "-", "--ruleset", Repository.PathOf("rulesets/web-tier.yaml"), "--format", "json");
        ExitContract.AssertClean(r, what);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"nothing was checked: none of the 1 frame of - could be decoded: 1 {name}", r.Error);
        Assert.Contains($"\"undecodable\": 1", r.Out);
        Assert.Contains($"\"error\": \"{name}\"", r.Out);
    }
}
