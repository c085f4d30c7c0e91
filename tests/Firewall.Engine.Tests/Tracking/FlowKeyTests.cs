using Firewall.Engine.Addressing;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Tests.Tracking;

/// <summary>Flow keys: canonical order, and the per-interface keys the tracking tables use.</summary>
public class FlowKeyTests
{
    private static readonly IpAddr Web = IpAddr.FromV4(0x0A00010A);
    private static readonly IpAddr Client = IpAddr.FromV4(0xC6336407);

    [Fact]
    public void A_packet_and_its_reply_build_the_same_key()
    {
        var request = FlowKey.Canonical(Client, 50000, Web, 443, IpProtocol.Tcp, out var requestSwapped);
        var reply = FlowKey.Canonical(Web, 443, Client, 50000, IpProtocol.Tcp, out var replySwapped);
        Assert.Equal(request, reply);
        Assert.Equal(request.Hash, reply.Hash);
        Assert.NotEqual(requestSwapped, replySwapped);
    }

    [Fact]
    public void The_two_sides_of_a_flow_are_different_tracking_keys()
    {
        var flow = FlowKey.Canonical(Client, 50000, Web, 443, IpProtocol.Tcp, out _);
        var a = flow.ForInterface(localIsA: true);
        var b = flow.ForInterface(localIsA: false);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(flow, a);
        Assert.Equal((1, 2), (a.Local, b.Local));
        Assert.Equal(a, flow.ForInterface(localIsA: true));
        Assert.Equal(a.Hash, flow.ForInterface(localIsA: true).Hash);
        Assert.Equal((flow.A, flow.APort, flow.B, flow.BPort), (a.A, a.APort, a.B, a.BPort));
    }

    [Fact]
    public void A_key_whose_ends_are_the_same_is_one_key_from_either_side()
    {
        var self = FlowKey.Canonical(Web, 7000, Web, 7000, IpProtocol.Tcp, out _);
        Assert.Equal(self.ForInterface(localIsA: true), self.ForInterface(localIsA: false));

        var otherPort = FlowKey.Canonical(Web, 7000, Web, 7001, IpProtocol.Tcp, out _);
        Assert.NotEqual(otherPort.ForInterface(localIsA: true), otherPort.ForInterface(localIsA: false));
    }

    [Fact]
    public void Keys_differing_in_one_field_differ()
    {
        var key = new FlowKey(Client, 50000, Web, 443, IpProtocol.Tcp);
        Assert.NotEqual(key, new FlowKey(Client, 50001, Web, 443, IpProtocol.Tcp));
        Assert.NotEqual(key, new FlowKey(Client, 50000, Web, 444, IpProtocol.Tcp));
        Assert.NotEqual(key, new FlowKey(Client, 50000, Web, 443, IpProtocol.Udp));
        Assert.NotEqual(key, new FlowKey(IpAddr.FromV4(0xC6336408), 50000, Web, 443, IpProtocol.Tcp));
        Assert.NotEqual(key, new FlowKey(Client, 50000, IpAddr.FromV4(0x0A00010B), 443, IpProtocol.Tcp));
    }
}
