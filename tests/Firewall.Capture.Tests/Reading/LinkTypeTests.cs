using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Packets;

namespace Firewall.Capture.Tests.Reading;

/// <summary>
/// The link types the decoder reads are exactly <see cref="LinkTypes.Supported"/>, and a run can say which
/// unsupported link types made its frames undecodable (the message of a run that checked nothing).
/// </summary>
public sealed class LinkTypeTests
{
    [Fact]
    public void The_supported_list_is_what_the_decoder_reads()
    {
        var frame = new byte[64];
        for (var linkType = 0; linkType <= ushort.MaxValue; linkType++)
        {
            var info = new PacketInfo();
            PacketDecoder.Decode(frame, (ushort)linkType, new DecoderOptions(), ref info);
            var supported = LinkTypes.Supported.Contains((ushort)linkType);
            Assert.True(supported == (info.Error != DecodeError.UnsupportedLinkType), $"link type {linkType}: supported {supported}, decoded as {info.Error}");
        }
    }

    [Theory]
    [InlineData(1, "1 (LINKTYPE_ETHERNET)")]
    [InlineData(271, "271 (LINKTYPE_VSOCK)")]
    [InlineData(127, "127 (LINKTYPE_IEEE802_11_RADIOTAP)")]
    [InlineData(150, "150 (LINKTYPE_USER3)")]
    [InlineData(4000, "4000")]
    [InlineData(LinkTypes.Unknown, "unknown (a pcapng packet of an undeclared interface)")]
    public void Link_types_are_described_by_their_registry_names(int linkType, string text) =>
        Assert.Equal(text, LinkTypes.Describe((ushort)linkType));

    [Fact]
    public void Counts_remember_each_unsupported_link_type_once_in_order_of_first_sight()
    {
        var counts = new DecodeCounts();
        counts.Count(DecodeError.UnsupportedLinkType, 271);
        counts.Count(DecodeError.None, 1);
        counts.Count(DecodeError.UnsupportedLinkType, 105);
        counts.Count(DecodeError.UnsupportedLinkType, 271);
        counts.Count(DecodeError.TruncatedIpHeader, 1);
        Assert.Equal([271, 105], counts.UnsupportedLinkTypes);
        Assert.Equal(5, counts.Frames);
        Assert.Equal(4, counts.Undecodable);

        for (var t = 1000; t < 1100; t++)
        {
            counts.Count(DecodeError.UnsupportedLinkType, (ushort)t);
        }
        Assert.Equal(DecodeCounts.MaxUnsupportedLinkTypes, counts.UnsupportedLinkTypes.Count);
    }
}
