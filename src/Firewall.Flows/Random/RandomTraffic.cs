using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Flows.Definitions;
using Firewall.Flows.Pcap;
using Firewall.Flows.Synthesis;

namespace Firewall.Flows.Random;

/// <summary>
/// A large, realistic, reproducible traffic mix for a ruleset (<c>synth --random N --seed S</c>), for
/// benchmarks and fuzzing. Conversations are drawn from the ruleset itself — inbound flows to the ports
/// its security-group and NACL rules open, from inside their CIDRs; outbound flows to the peers its
/// outbound rules name — plus a share of traffic no rule admits (scans, stray datagrams). Both families
/// where the ruleset has IPv6; TCP, UDP and ICMP in roughly Internet proportions; Linux and Windows
/// client ports; mostly small responses with a long tail of large ones.
/// <para>
/// Streams: conversations start as a Poisson process and their packets are merged in time order through
/// a priority queue holding only conversations in progress, so memory does not grow with N. Bytes are
/// written by <see cref="FrameWriter"/> (own checksum code, no allocation per packet), not PacketDotNet.
/// </para>
/// </summary>
public sealed class RandomTraffic
{
    private readonly System.Random _random;
    private readonly List<Target> _targets = [];
    private readonly IpAddr[] _externals4;
    private readonly IpAddr[] _externals6;
    private readonly List<(IpAddr Address, string Nic)> _interfaces4 = [];
    private readonly List<(IpAddr Address, string Nic)> _interfaces6 = [];
    private readonly double _meanArrivalNs;
    private int _flowIndex;

    /// <summary>Conversations begun per second of capture time by default: a few hundred in progress at once.</summary>
    public const double DefaultFlowRate = 1000;

    /// <summary>A flow the ruleset has a reason to see: who talks to whom on which protocol and port.</summary>
    private readonly record struct Target(byte Protocol, bool V6, Func<System.Random, IpAddr> Client, Func<System.Random, IpAddr> Server, PortRange Ports, bool Inbound);

    /// <param name="flowRate">
    /// Conversations begun per second of capture time (mean of a Poisson process). The packet mix is the
    /// same at any rate; a higher rate packs the conversations closer, so more are in progress at once
    /// (about 270 per 1,000/s), as on a busy subnet.
    /// </param>
    public RandomTraffic(Ruleset ruleset, int seed, double flowRate = DefaultFlowRate)
    {
        if (!(flowRate > 0 && flowRate <= 1e9))
        {
            throw new ArgumentOutOfRangeException(nameof(flowRate), flowRate, "expected more than 0 and at most 1e9 conversations per second");
        }
        _meanArrivalNs = 1e9 / flowRate;
        _random = new System.Random(seed);
        _externals4 = Enumerable.Range(0, 4096).Select(_ => RandomPublicV4(_random)).ToArray();
        _externals6 = Enumerable.Range(0, 1024).Select(_ => IpAddr.FromV6(0x20010db8ffff0000UL | (uint)_random.Next(0, 0xffff), (ulong)_random.NextInt64())).ToArray();
        foreach (var nic in ruleset.Interfaces)
        {
            foreach (var a in nic.Addresses)
            {
                (a.IsV6 ? _interfaces6 : _interfaces4).Add((a, nic.Name));
            }
        }
        BuildTargets(ruleset);
    }

    public long FlowsStarted => _flowIndex;

    /// <summary>Writes exactly <paramref name="packets"/> frames; returns the number of conversations begun.</summary>
    public long Write(long packets, PcapWriter writer)
    {
        var queue = new PriorityQueue<SynthPacket, (long Time, long Order)>();
        var scratch = new List<SynthPacket>(64);
        long order = 0;
        var nextStart = FlowTiming.DefaultStartNs;
        long written = 0;
        while (written < packets)
        {
            // Start every conversation due before the earliest pending packet, so output stays in time order.
            while (queue.Count == 0 || queue.TryPeek(out _, out var head) && head.Time >= nextStart)
            {
                scratch.Clear();
                ConversationBuilder.Build(NextConversation(nextStart), scratch);
                foreach (var p in scratch)
                {
                    queue.Enqueue(p, (p.TimestampNs, order++));
                }
                nextStart += (long)(-Math.Log(1 - _random.NextDouble()) * _meanArrivalNs) + 1;
            }
            var packet = queue.Dequeue();
            var frame = writer.Reserve(packet.FrameLength);
            FrameWriter.Write(in packet, frame);
            writer.Commit(packet.TimestampNs, packet.FrameLength);
            written++;
        }
        return _flowIndex;
    }

    private Conversation NextConversation(long start)
    {
        var r = _random;
        var index = _flowIndex++;
        var c = new Conversation
        {
            FlowIndex = index,
            StartNs = start,
            Seed = (ulong)r.NextInt64(),
            ReplyAfterNs = RoundTrip(r),
            EchoId = (ushort)r.Next(1, 65536),
            EchoSeq = (ushort)r.Next(1, 100),
            ClientTtl = 64,
            ServerTtl = (byte)(r.Next(4) == 0 ? 128 : 64),
            RequestBytes = r.Next(80, 700),
            ResponseBytes = ResponseSize(r),
        };
        var roll = r.NextDouble();
        if (roll < 0.07 || _targets.Count == 0)
        {
            Stray(ref c, r);
        }
        else
        {
            var t = _targets[r.Next(_targets.Count)];
            c.Protocol = t.Protocol;
            c.Client = t.Client(r);
            c.Server = t.Server(r);
            c.ServerPort = PickPort(t.Protocol, t.Ports, r);
            c.ClientPort = ClientPort(r);
            c.Exchange = t.Protocol switch
            {
                IpProtocol.Tcp => r.NextDouble() switch { < 0.88 => Exchange.TcpFull, < 0.94 => Exchange.TcpHandshake, < 0.97 => Exchange.TcpReset, _ => Exchange.TcpSynOnly },
                IpProtocol.Udp => r.NextDouble() < 0.93 ? Exchange.RequestReply : Exchange.RequestOnly,
                _ => Exchange.Echo,
            };
            if (t.Protocol == IpProtocol.Udp && r.Next(50) == 0)
            {
                c.ReplyAfterNs = 40 * FlowTiming.NsPerSecond; // a slow answer, past AWS's 30 s UDP timeout
            }
        }
        if (c.Protocol is IpProtocol.Icmp or IpProtocol.IcmpV6)
        {
            c.Protocol = c.Client.IsV6 ? IpProtocol.IcmpV6 : IpProtocol.Icmp;
            c.Exchange = Exchange.Echo;
            c.ClientPort = c.ServerPort = 0;
        }
        return c;
    }

    /// <summary>Traffic no rule was written for: port scans against the interfaces and stray datagrams.</summary>
    private void Stray(ref Conversation c, System.Random r)
    {
        var v6 = _interfaces6.Count > 0 && r.Next(4) == 0;
        var nics = v6 ? _interfaces6 : _interfaces4;
        var externals = v6 ? _externals6 : _externals4;
        c.Client = externals[r.Next(externals.Length)];
        c.Server = nics.Count > 0 ? nics[r.Next(nics.Count)].Address : externals[r.Next(externals.Length)];
        c.ClientPort = ClientPort(r);
        if (r.Next(3) == 0)
        {
            // Traceroute's probes (UDP to 33434 and up, as Linux traceroute sends them): unanswered, and on
            // ports no Wireshark dissector claims, unlike random ports whose text payload would read as malformed.
            c.Protocol = IpProtocol.Udp;
            c.ServerPort = (ushort)(33434 + r.Next(0, 90));
            c.Exchange = Exchange.RequestOnly;
        }
        else
        {
            c.Protocol = IpProtocol.Tcp;
            c.ServerPort = ScanPorts[r.Next(ScanPorts.Length)];
            c.Exchange = Exchange.TcpSynOnly;
        }
    }

    // Ports whose payloads Wireshark dissects get real messages (Payloads); scans only send SYNs.
    private static readonly ushort[] ScanPorts = [21, 22, 23, 25, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200];
    private static readonly ushort[] TcpCommon = [443, 443, 443, 80, 22, 8080, 5432, 6379];
    private static readonly ushort[] UdpCommon = [53, 53, 53, 123, 5000];

    private static ushort PickPort(byte protocol, PortRange ports, System.Random r)
    {
        if (!IpProtocol.HasPorts(protocol))
        {
            return 0;
        }
        if (ports.IsAll || ports.To - ports.From > 1000)
        {
            var common = protocol == IpProtocol.Tcp ? TcpCommon : UdpCommon;
            var inRange = common.Where(ports.Contains).ToArray();
            return inRange.Length > 0 ? inRange[r.Next(inRange.Length)] : ports.From;
        }
        return (ushort)r.Next(ports.From, ports.To + 1);
    }

    /// <summary>Linux's ephemeral range mostly; a fifth from Windows' range, whose upper part NACLs often forget.</summary>
    private static ushort ClientPort(System.Random r)
    {
        var ports = (r.Next(5) == 0 ? EphemeralPorts.Windows : EphemeralPorts.Linux).Range;
        return (ushort)r.Next(ports.From, ports.To + 1);
    }

    private static long RoundTrip(System.Random r) => (long)(r.NextDouble() * r.NextDouble() * 80 * FlowTiming.NsPerMs) + 100_000;

    /// <summary>Mostly small responses (an API answer, a page), a tenth large (downloads of 10-60 KB).</summary>
    private static int ResponseSize(System.Random r) =>
        r.Next(10) == 0 ? r.Next(10_000, 60_000) : r.Next(100, 1_400);

    private static IpAddr RandomPublicV4(System.Random r)
    {
        while (true)
        {
            var a = (uint)r.Next(1, 224);
            if (a is 10 or 127 or 169 or 172 or 192 or 100 or 0)
            {
                continue; // keep clear of private, loopback, link-local and shared ranges
            }
            return IpAddr.FromV4(a << 24 | (uint)r.Next(0, 1 << 24));
        }
    }

    private void BuildTargets(Ruleset ruleset)
    {
        foreach (var nic in ruleset.Interfaces)
        {
            var groups = nic.SecurityGroups.Select(ruleset.FindGroup).Where(g => g is not null).ToList();
            foreach (var rule in groups.SelectMany(g => g!.Inbound))
            {
                foreach (var address in nic.Addresses)
                {
                    AddTarget(ruleset, rule.Protocol, rule.MatchedPorts, rule.Peer, address, inbound: true);
                }
            }
            foreach (var rule in groups.SelectMany(g => g!.Outbound))
            {
                foreach (var address in nic.Addresses)
                {
                    AddTarget(ruleset, rule.Protocol, rule.MatchedPorts, rule.Peer, address, inbound: false);
                }
            }
            // NACL-only interfaces: the inbound allow rules of the subnet's ACL describe what they serve.
            if (groups.Count == 0 && nic.Subnet is { } subnetName && ruleset.FindSubnet(subnetName) is { } subnet
                && ruleset.FindAcl(subnet.NetworkAcl) is { } acl)
            {
                foreach (var rule in acl.Inbound.Where(x => x.Action == NaclAction.Allow))
                {
                    foreach (var address in nic.Addresses)
                    {
                        AddTarget(ruleset, rule.Protocol, rule.MatchedPorts, SgPeer.ForCidr(rule.Cidr), address, inbound: true);
                    }
                }
            }
        }
    }

    private void AddTarget(Ruleset ruleset, RuleProtocol protocol, PortRange ports, SgPeer peer, IpAddr local, bool inbound)
    {
        var peers = PeerAddresses(ruleset, peer, local.IsV6);
        if (peers is null)
        {
            return;
        }
        // "all" rules get the everyday mix: mostly https and dns, some ping.
        var protocols = protocol.IsAll ? new byte[] { IpProtocol.Tcp, IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp } : [(byte)protocol.Value];
        foreach (var p in protocols)
        {
            if (p is not (IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Icmp or IpProtocol.IcmpV6))
            {
                continue;
            }
            if ((p == IpProtocol.Icmp && local.IsV6) || (p == IpProtocol.IcmpV6 && !local.IsV6))
            {
                continue;
            }
            Func<System.Random, IpAddr> localF = _ => local;
            _targets.Add(inbound
                ? new Target(p, local.IsV6, peers, localF, protocol.IsAll ? PortRange.All : ports, true)
                : new Target(p, local.IsV6, localF, peers, protocol.IsAll ? PortRange.All : ports, false));
        }
    }

    /// <summary>A chooser of addresses a peer stands for, in one family; null when it has none there.</summary>
    private Func<System.Random, IpAddr>? PeerAddresses(Ruleset ruleset, SgPeer peer, bool v6)
    {
        switch (peer.Kind)
        {
            case PeerKind.Cidr:
                return peer.Cidr.IsV6 != v6 ? null : RandomIn(peer.Cidr);
            case PeerKind.Group:
            {
                var members = ruleset.Interfaces.Where(i => i.SecurityGroups.Contains(peer.Name!)).SelectMany(i => i.Addresses).Where(a => a.IsV6 == v6).ToArray();
                return members.Length == 0 ? null : r => members[r.Next(members.Length)];
            }
            default:
            {
                var cidrs = ruleset.FindPrefixList(peer.Name!)?.Cidrs.Where(c => c.IsV6 == v6).Select(RandomIn).ToArray();
                return cidrs is null || cidrs.Length == 0 ? null : r => cidrs[r.Next(cidrs.Length)](r);
            }
        }
    }

    /// <summary>An address inside a CIDR: for all-traffic CIDRs, one of the recurring external clients.</summary>
    private Func<System.Random, IpAddr> RandomIn(Cidr cidr)
    {
        if (cidr.PrefixLength == 0)
        {
            var pool = cidr.IsV6 ? _externals6 : _externals4;
            return r => pool[r.Next(pool.Length)];
        }
        if (!cidr.IsV6)
        {
            var hostBits = 32 - cidr.PrefixLength;
            var span = hostBits >= 31 ? int.MaxValue : (1 << hostBits);
            return r => IpAddr.FromV4(cidr.Network.V4 | (uint)(hostBits == 0 ? 0 : r.Next(1, Math.Max(2, span - 1))));
        }
        var bits = 128 - cidr.PrefixLength;
        return r =>
        {
            var lo = (ulong)r.NextInt64() & (bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1);
            var hi = bits > 64 ? (ulong)r.NextInt64() & ((1UL << (bits - 64)) - 1) : 0;
            return IpAddr.FromV6(cidr.Network.Hi | hi, cidr.Network.Lo | lo);
        };
    }
}
