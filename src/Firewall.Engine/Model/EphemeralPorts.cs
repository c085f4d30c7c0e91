using Firewall.Engine.Addressing;

namespace Firewall.Engine.Model;

/// <summary>A kind of client and the source ports it picks for its connections (the replies' destination ports).</summary>
/// <param name="Name">The stable name used in machine output: <c>linux</c>, <c>windows</c>, <c>nat-gateway-elb-lambda</c>.</param>
/// <param name="Text">The name in sentences.</param>
/// <param name="Range">The source ports it picks.</param>
public sealed record ClientPorts(string Name, string Text, PortRange Range)
{
    public override string ToString() => $"{Text} ({Range})";
}

/// <summary>
/// The client port ranges a stateless NACL must pass replies to: the one definition every command uses
/// (lint's reply-path check, the fixes <c>replies</c> suggests, the ports synthetic flows pick).
/// <para>
/// AWS, VPC user guide, "Network ACLs", "Ephemeral ports": "Many Linux kernels (including the Amazon
/// Linux kernel) use ports 32768-61000"; "Windows Server 2008 and later versions use ports 49152-65535";
/// "A NAT gateway uses ports 1024-65535"; "Requests originating from Elastic Load Balancing use ports
/// 1024-65535"; "AWS Lambda functions use ports 1024-65535".
/// </para>
/// <para>
/// Linux: the kernel's default <c>net.ipv4.ip_local_port_range</c> is "32768 60999" (Documentation/
/// networking/ip-sysctl.rst; both numbers are ports it picks). AWS's 61000 is the upper end older kernels
/// used. This tool takes 32768-60999, what Linux picks today: a NACL rule for 32768-60999 passes every
/// Linux reply, and a reply to port 61000 points to some other client (Windows, a NAT gateway).
/// </para>
/// </summary>
public static class EphemeralPorts
{
    public static readonly ClientPorts Linux = new("linux", "Linux", new PortRange(32768, 60999));

    public static readonly ClientPorts Windows = new("windows", "Windows", new PortRange(49152, 65535));

    public static readonly ClientPorts NatGatewayElbLambda = new("nat-gateway-elb-lambda", "NAT gateway, load balancer or Lambda", new PortRange(1024, 65535));

    /// <summary>The clients that may call a server: replies leaving a server's subnet must pass to all of their ports.</summary>
    public static IReadOnlyList<ClientPorts> OfAnyClient { get; } = [Linux, Windows, NatGatewayElbLambda];

    /// <summary>An instance calling out picks its own ports: Linux or Windows (replies entering its subnet).</summary>
    public static IReadOnlyList<ClientPorts> OfAnInstance { get; } = [Linux, Windows];

    /// <summary>The one range that holds every range of <paramref name="clients"/> (they overlap, so it has no holes).</summary>
    public static PortRange Covering(IEnumerable<ClientPorts> clients)
    {
        var list = clients.ToList();
        return new PortRange(list.Min(c => c.Range.From), list.Max(c => c.Range.To));
    }
}
