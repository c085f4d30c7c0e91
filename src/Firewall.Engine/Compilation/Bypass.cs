using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Compilation;

/// <summary>
/// Traffic AWS filters with neither security groups nor NACLs ("Security group rules" limitations,
/// "Network ACLs" basics): the Amazon DNS resolver (VPC base + 2 and 169.254.169.253), the instance
/// metadata service, the Time Sync Service and DHCP.
/// </summary>
public sealed class Bypass
{
    public enum Service : byte
    {
        None,
        Dns,
        Metadata,
        TimeSync,
        Dhcp,
    }

    private readonly IpAddr? _vpcResolver;
    private static readonly IpAddr ResolverLinkLocal = IpAddr.Parse("169.254.169.253");
    private static readonly IpAddr MetadataV4 = IpAddr.Parse("169.254.169.254");
    private static readonly IpAddr MetadataV6 = IpAddr.Parse("fd00:ec2::254");
    private static readonly IpAddr TimeSyncV4 = IpAddr.Parse("169.254.169.123");
    private static readonly IpAddr TimeSyncV6 = IpAddr.Parse("fd00:ec2::123");
    private static readonly IpAddr ResolverV6 = IpAddr.Parse("fd00:ec2::253");

    public Bypass(Cidr? vpcCidr)
    {
        if (vpcCidr is { IsV6: false } vpc)
        {
            _vpcResolver = IpAddr.FromV4(vpc.Network.V4 + 2);
        }
    }

    public IpAddr? VpcResolver => _vpcResolver;

    /// <summary>DHCP (RFC 2131: client port 68, server port 67) and DHCPv6 (RFC 8415: 546 and 547), client first.</summary>
    public static IReadOnlyList<(ushort Client, ushort Server)> DhcpPorts => Dhcp;

    private static readonly (ushort Client, ushort Server)[] Dhcp = [(68, 67), (546, 547)];

    /// <summary>Every address whose traffic is not filtered, for the analyses that reason about all packets.</summary>
    public IEnumerable<IpAddr> Addresses
    {
        get
        {
            IpAddr[] fixedOnes = [MetadataV4, MetadataV6, TimeSyncV4, TimeSyncV6, ResolverLinkLocal, ResolverV6];
            return _vpcResolver is { } r ? [.. fixedOnes, r] : fixedOnes;
        }
    }

    public Service Classify(in PacketInfo packet)
    {
        var s = Of(packet.Src);
        if (s != Service.None)
        {
            return s;
        }
        s = Of(packet.Dst);
        if (s != Service.None)
        {
            return s;
        }
        if (packet.Protocol == IpProtocol.Udp && packet.Has(PacketFlags.Ports))
        {
            var (a, b) = (packet.SrcPort, packet.DstPort);
            foreach (var (client, server) in Dhcp) // an array: no enumerator on the packet path
            {
                if ((a == client && b == server) || (a == server && b == client))
                {
                    return Service.Dhcp;
                }
            }
        }
        return Service.None;
    }

    private Service Of(IpAddr address)
    {
        if (address == MetadataV4 || address == MetadataV6)
        {
            return Service.Metadata;
        }
        if (address == TimeSyncV4 || address == TimeSyncV6)
        {
            return Service.TimeSync;
        }
        if (address == ResolverLinkLocal || address == ResolverV6 || (_vpcResolver is { } r && address == r))
        {
            return Service.Dns;
        }
        return Service.None;
    }

    public static string Name(Service service) => service switch
    {
        Service.Dns => "dns",
        Service.Metadata => "metadata",
        Service.TimeSync => "time-sync",
        Service.Dhcp => "dhcp",
        _ => "",
    };
}
