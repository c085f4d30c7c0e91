using System.Runtime.CompilerServices;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// Which hops a packet meets on its way (sg-outbound → nacl-outbound → nacl-inbound → sg-inbound), from
/// where its source and destination sit in the ruleset; and which packets are out of scope altogether.
/// </summary>
internal sealed class PathPlanner(CompiledRuleset rules)
{
    /// <summary>
    /// ICMPv6 multicast listener (130–132, 143) and neighbour/router discovery (133–137) messages are link
    /// plumbing that the VPC answers itself (a VPC has no multicast and proxies neighbour discovery); like
    /// ARP, they are out of scope rather than judged by rules. AWS documents nothing here: an assumption.
    /// Only over IPv6: an IPv4 packet of protocol 58 is no such message, and NACL rules match it
    /// (CreateNetworkAclEntry: protocol 58 with an IPv4 CIDR).
    /// </summary>
    public static bool IsNeighborDiscovery(in PacketInfo p) =>
        p.IpVersion == 6 && p.Protocol == IpProtocol.IcmpV6 && p.Has(PacketFlags.Icmp) && p.IcmpType is (>= 130 and <= 137) or 143;

    /// <summary>Where the packet's source (A) and destination (B) sit in the ruleset: interface and subnet of each.</summary>
    public FlowPath Locate(in PacketInfo p)
    {
        var map = rules.Addresses;
        map.Locate(p.Src, out var srcIf, out var srcSubnet);
        map.Locate(p.Dst, out var dstIf, out var dstSubnet);
        return new FlowPath(new FlowPath.Place(srcIf, srcSubnet), new FlowPath.Place(dstIf, dstSubnet));
    }

    /// <summary>Fills the hop plan (kinds and targets) from the endpoints' places; no hop means out of scope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BuildHops(ref PacketResult r, FlowPath.Place src, FlowPath.Place dst)
    {
        var n = 0;
        if (src.Interface >= 0 && rules.Interfaces[src.Interface].HasGroups)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.SgOutbound, Target = src.Interface };
        }
        // AWS evaluates NACLs where traffic enters and leaves a subnet, not within it ("Network ACLs").
        if (src.Subnet >= 0 && src.Subnet != dst.Subnet)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.NaclOutbound, Target = rules.SubnetAcl[src.Subnet] };
        }
        if (dst.Subnet >= 0 && src.Subnet != dst.Subnet)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.NaclInbound, Target = rules.SubnetAcl[dst.Subnet] };
        }
        if (dst.Interface >= 0 && rules.Interfaces[dst.Interface].HasGroups)
        {
            r.Hops[n++] = new HopTrace { Kind = HopKind.SgInbound, Target = dst.Interface };
        }
        r.HopCount = n;
    }
}
