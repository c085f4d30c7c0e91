using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Descriptions;

/// <summary>A decoded packet in words, as tcpdump summarizes one: protocol, endpoints, TCP flags or ICMP type.</summary>
public static class PacketText
{
    /// <summary><c>tcp 10.0.1.5:51514 -&gt; 10.0.2.7:443 [S]</c>; another protocol has nothing after its endpoints (<c>firewall explain</c>).</summary>
    public static string Describe(in PacketInfo p) => Endpoints(in p) + What(in p, "");

    /// <summary>As <see cref="Describe"/>, with <c>length N</c> after another protocol's endpoints (<c>firewall test</c>).</summary>
    public static string DescribeWithLength(in PacketInfo p) => Endpoints(in p) + What(in p, $" length {p.PayloadLength}");

    private static string Endpoints(in PacketInfo p)
    {
        var ports = p.Has(PacketFlags.Ports);
        return $"{IpProtocol.Name(p.Protocol)} {EndpointText.Format(p.Src, p.SrcPort, ports)} -> {EndpointText.Format(p.Dst, p.DstPort, ports)}";
    }

    private static string What(in PacketInfo p, string other) => p.Protocol switch
    {
        IpProtocol.Tcp => $" [{TcpFlag.Format(p.TcpFlags)}]",
        IpProtocol.Icmp or IpProtocol.IcmpV6 => $" type {p.IcmpType} code {p.IcmpCode}",
        _ => other,
    };
}
