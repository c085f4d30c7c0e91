namespace Firewall.Cli.Tests.Support;

/// <summary>
/// A small capture written by the tests for rulesets/web-tier.yaml, with one flow per behaviour the
/// reports must show. Addresses are documentation ranges (RFC 5737, RFC 3849).
/// </summary>
internal static class WebTierTraffic
{
    public const byte Syn = 0x02, SynAck = 0x12, Ack = 0x10, FinAck = 0x11, PshAck = 0x18;

    public static PcapBuilder Build()
    {
        var p = new PcapBuilder();
        // 1. HTTPS from a Linux client (port 51514): the NACL's outbound rule 100 (32768-60999) passes the replies.
        Handshake(p, 0.000, "198.51.100.7", 51514, "10.0.1.10", 443, replies: true);
        // 2, 3. HTTPS from Windows clients (ports above 60999): the replies meet nacl:public-nacl:outbound:*.
        Handshake(p, 1.000, "198.51.100.8", 61000, "10.0.1.10", 443, replies: true);
        Handshake(p, 2.000, "198.51.100.9", 64012, "10.0.1.10", 443, replies: true);
        // 4. SSH from outside the office range: the NACL allows it, the security group does not.
        p.Tcp(3.000, "192.0.2.50", 40000, "10.0.1.10", 22, Syn);
        // 5. web-1's own DNS query: the NACL has no inbound UDP rule, so the answer is dropped.
        p.Udp(4.000, "10.0.1.10", 53000, "192.0.2.53", 53);
        p.Udp(4.010, "192.0.2.53", 53, "10.0.1.10", 53000, payload: 40);
        // 6. Ping: allowed both ways (the echo reply is tracked by the group and passes NACL rule 130).
        p.Echo(5.000, "198.51.100.7", "10.0.1.10", request: true, id: 7);
        p.Echo(5.001, "10.0.1.10", "198.51.100.7", request: false, id: 7);
        // 7. HTTPS over IPv6: allowed both ways.
        Handshake(p, 6.000, "2001:db8:ffff::7", 50000, "2001:db8:1::10", 443, replies: true);
        // 8. Traffic that touches no interface or subnet of the ruleset: skipped.
        p.Udp(7.000, "192.0.2.1", 5000, "192.0.2.2", 5001);
        // 9. A frame whose IPv4 header claims more than the frame holds: undecodable.
        p.BrokenIpv4(8.000);
        return p;
    }

    private static void Handshake(PcapBuilder p, double t, string client, ushort cport, string server, ushort sport, bool replies)
    {
        p.Tcp(t, client, cport, server, sport, Syn);
        if (replies)
        {
            p.Tcp(t + 0.001, server, sport, client, cport, SynAck);
        }
        p.Tcp(t + 0.002, client, cport, server, sport, Ack);
        p.Tcp(t + 0.003, client, cport, server, sport, PshAck, payload: 100);
        if (replies)
        {
            p.Tcp(t + 0.004, server, sport, client, cport, PshAck, payload: 300);
        }
    }
}
