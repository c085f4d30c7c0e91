using System.Buffers.Binary;
using System.Diagnostics;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;
using Firewall.Robustness.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Robustness.Tests.Bounds;

/// <summary>
/// Header chains of absurd depth inside a maximum-size frame: 65 000 VLAN tags, 32 000 IPv6 extension
/// headers. The decoder gives up at <see cref="PacketDecoder.MaxVlanTags"/> / <see cref="PacketDecoder.MaxExtensionHeaders"/>
/// with a named reason, allocates nothing, and the frame is counted as undecodable; the CLI reports it.
/// </summary>
public sealed class DecoderBoundsTests(ITestOutputHelper output)
{
    [Fact]
    public void A_stack_of_65000_vlan_tags_is_too_many_vlan_tags()
    {
        var frame = new byte[14 + 4 * 65_000 + 40];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
        for (var i = 0; i < 65_000; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14 + 4 * i + 2), 0x8100); // each tag says "another tag follows"
        }
        AssertUndecodable(frame, DecodeError.TooManyVlanTags, "too-many-vlan-tags", "VLAN stack of 65000 tags");
    }

    [Fact]
    public void A_chain_of_32000_ipv6_destination_options_headers_is_too_many_extension_headers()
    {
        const int headers = 32_000;
        var ip = new byte[40 + 8 * headers + 20];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)Math.Min(ip.Length - 40, ushort.MaxValue));
        ip[6] = 60; // Destination Options
        ip[7] = 64;
        for (var i = 0; i < headers; i++)
        {
            ip[40 + 8 * i] = 60; // next header: another Destination Options; length 0 = 8 bytes
        }
        AssertUndecodable(Frames.Ethernet(0x86DD, ip), DecodeError.TooManyExtensionHeaders, "too-many-extension-headers", "IPv6 chain of 32000 extension headers");
    }

    private void AssertUndecodable(byte[] frame, DecodeError expected, string name, string what)
    {
        Assert.True(frame.Length <= CaptureReader.MaxCapturedLength);
        var info = new PacketInfo();
        PacketDecoder.Decode(frame, 1, new DecoderOptions(), ref info); // JIT and type initialisers
        var clock = Stopwatch.StartNew();
        var bytes = Memory.Allocated(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                PacketDecoder.Decode(frame, 1, new DecoderOptions(), ref info);
            }
        });
        var perFrame = clock.Elapsed.TotalMicroseconds / 1000;
        Assert.Equal(expected, info.Error);
        Assert.Equal(0, bytes);
        Assert.True(perFrame < 100, $"{what}: {perFrame:F1} µs per frame: the walk is not bounded");
        output.WriteLine($"bound: {what}: {info.Error} after {perFrame:F2} µs, {bytes} bytes allocated per 1000 frames");

        // End to end: the frame is one undecodable packet with its reason, and the run exits 0.
        var r = InProcessCli.Run(Frames.Pcap(1, frame), "check", "-", "--ruleset", Repo.PathOf("rulesets/web-tier.yaml"), "--format", "json");
        InProcessCli.AssertCleanExit(r, what);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"\"undecodable\": 1", r.Out);
        Assert.Contains($"\"error\": \"{name}\"", r.Out);
    }
}
