using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;

namespace Firewall.Flows.Pcap;

/// <summary>Writes a flows file as a pcap capture: <c>firewall synth FLOWS.yaml -o OUT.pcap</c>.</summary>
public static class SynthCapture
{
    /// <summary>
    /// Writes the packets of the file, built with PacketDotNet; returns the number of frames written.
    /// Without <paramref name="rules"/>, every packet of every exchange (open loop); with them, only what
    /// would be sent through them: a packet they deny is written (it was sent) but never answered.
    /// </summary>
    public static long Write(FlowsFile file, Stream output, CompiledRuleset? rules = null)
    {
        using var writer = new PcapWriter(output, ownsStream: false);
        if (rules is null)
        {
            foreach (var packet in FlowSynthesizer.Synthesize(file))
            {
                writer.Write(packet.TimestampNs, PacketDotNetFrameBuilder.Build(in packet));
            }
            return writer.Records;
        }
        var evaluator = new Evaluator(rules);
        using var packets = new DeliveredPackets(file);
        var info = default(PacketInfo);
        var result = new PacketResult();
        while (packets.Next(ref info))
        {
            evaluator.Evaluate(in info, ref result);
            packets.Evaluated(in result);
            var sent = packets.Current;
            writer.Write(sent.TimestampNs, PacketDotNetFrameBuilder.Build(in sent));
        }
        return writer.Records;
    }

    public static long Write(FlowsFile file, string path, CompiledRuleset? rules = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        return Write(file, stream, rules);
    }
}
