using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// Turns a flows file into packets in time order: as <see cref="SynthPacket"/>s (bytes for <c>synth</c>)
/// or as <see cref="PacketInfo"/>s (for <c>check --flows</c>, evaluated directly). Both carry the same
/// frame numbers (from 1) and timestamps. Deterministic: ephemeral ports, sequence numbers and
/// identifiers are seeded by each flow's position in the file. Streams: memory grows with the number of
/// flow definitions, not with <c>count</c>.
/// </summary>
public static class FlowSynthesizer
{
    public const byte DefaultTtl = 64;
    public const int DefaultRequestBytes = 120;
    public const int DefaultResponseBytes = 900;

    /// <summary>The ephemeral port of repetition <paramref name="repetition"/> of flow <paramref name="flowIndex"/>: distinct across repetitions.</summary>
    public static ushort EphemeralPort(int flowIndex, int repetition, ulong salt = 0)
    {
        // A Linux client's ports, which the AWS NACL docs take as their example.
        var ports = EphemeralPorts.Linux.Range;
        var range = ports.To - ports.From + 1;
        var start = (int)(ConversationBuilder.Mix((ulong)flowIndex, 0x5151 + salt) % (ulong)range);
        return (ushort)(ports.From + (start + repetition) % range);
    }

    /// <summary>
    /// The decoded packets of the open-loop exchange, frames numbered from 1, as <c>synth</c> followed by a
    /// capture reader would give them: every packet as written, whatever a ruleset would drop.
    /// </summary>
    public static IEnumerable<PacketInfo> Packets(FlowsFile file)
    {
        long frame = 0;
        foreach (var s in Synthesize(file))
        {
            var info = default(PacketInfo);
            SynthDecoding.Fill(in s, ++frame, ref info);
            yield return info;
        }
    }

    /// <summary>Every packet of every flow, ordered by time (ties: file order, then order within the flow), none left out.</summary>
    public static IEnumerable<SynthPacket> Synthesize(FlowsFile file)
    {
        using var traffic = new SynthesizedTraffic(file);
        while (traffic.MoveNext())
        {
            yield return traffic.Current;
        }
    }

    /// <summary>The conversation of one repetition of a flow, with its ports, seeds and quote decided.</summary>
    public static Conversation ConversationOf(FlowDefinition def, int repetition, long startNs)
    {
        var flow = def.Flow;
        var c = new Conversation
        {
            FlowIndex = def.Index,
            Repetition = repetition,
            Protocol = flow.Protocol,
            Client = flow.Client.Address,
            Server = flow.Server.Address,
            ClientPort = Port(flow.Client.Port, def.Index, repetition, 0),
            ServerPort = Port(flow.Server.Port, def.Index, repetition, 0),
            Exchange = def.Exchange,
            StartNs = startNs,
            ReplyAfterNs = def.ReplyAfterNs,
            RequestBytes = DefaultRequestBytes,
            ResponseBytes = DefaultResponseBytes,
            IcmpType = def.IcmpType,
            IcmpCode = def.IcmpCode,
            EchoId = (ushort)ConversationBuilder.Mix((ulong)def.Index, 0xec40),
            EchoSeq = (ushort)(repetition + 1),
            Seed = ConversationBuilder.Mix((ulong)def.Index, (ulong)repetition << 8),
            ClientTtl = DefaultTtl,
            ServerTtl = DefaultTtl,
        };
        if (def.Quoting is { } quoting)
        {
            var q = quoting.Flow;
            var quoted = new Conversation
            {
                FlowIndex = def.Index,
                Repetition = repetition,
                Protocol = q.Protocol,
                Client = q.Client.Address,
                Server = q.Server.Address,
                ClientPort = Port(q.Client.Port, def.Index, repetition, 0x9107e),
                ServerPort = Port(q.Server.Port, def.Index, repetition, 0x9107e),
                Exchange = ExchangeText.For(q.Protocol)[0],
                StartNs = startNs,
                RequestBytes = DefaultRequestBytes,
                ResponseBytes = DefaultResponseBytes,
                EchoId = (ushort)ConversationBuilder.Mix((ulong)def.Index, 0x9107e),
                EchoSeq = 1,
                Seed = ConversationBuilder.Mix((ulong)def.Index, 0x9107e + ((ulong)repetition << 8)),
                ClientTtl = DefaultTtl,
                ServerTtl = DefaultTtl,
            };
            c.Quote = new QuotedSynth(ConversationBuilder.FirstPacket(quoted));
        }
        return c;
    }

    private static ushort Port(PortSpec spec, int flowIndex, int repetition, ulong salt) =>
        spec.Ephemeral ? EphemeralPort(flowIndex, repetition, salt) : spec.Port;

    internal static long RepetitionDuration(FlowDefinition def)
    {
        var list = new List<SynthPacket>(16);
        var c = ConversationOf(def, 0, 0);
        return ConversationBuilder.Build(c, list);
    }

    internal static IEnumerable<SynthPacket> FlowPackets(FlowDefinition def, long start)
    {
        var list = new List<SynthPacket>(16);
        var t = start;
        for (var r = 0; r < def.Count; r++)
        {
            list.Clear();
            var end = ConversationBuilder.Build(ConversationOf(def, r, t), list);
            foreach (var p in list)
            {
                yield return p;
            }
            t = end + def.GapNs;
        }
    }

    /// <summary>The first request packet and the first reply packet of a flow, for <c>explain</c> and tests.</summary>
    public static (SynthPacket Request, SynthPacket? Reply) FirstExchange(FlowDefinition def, long startNs)
    {
        var list = new List<SynthPacket>(16);
        ConversationBuilder.Build(ConversationOf(def, 0, startNs), list);
        var request = list[0];
        SynthPacket? reply = list.Skip(1).Where(p => p.FromServer).Select(p => (SynthPacket?)p).FirstOrDefault();
        return (request, reply);
    }
}
