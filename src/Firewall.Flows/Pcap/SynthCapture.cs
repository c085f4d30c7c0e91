using Firewall.Analysis.Runs;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;
using Firewall.Runs;

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
        using var packets = new DeliveredPackets(file);
        using var frames = new SentFrames(packets, writer);
        PacketRun.Evaluate(packets, rules, EvaluationOptions.Default, new RunNames("", ""), frames);
        return writer.Records;
    }

    public static long Write(FlowsFile file, string path, CompiledRuleset? rules = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        return Write(file, stream, rules);
    }

    /// <summary>Writes each packet as it is evaluated: the bytes of the synthesized packet it was decoded from.</summary>
    private sealed class SentFrames(DeliveredPackets packets, PcapWriter writer) : IRunSink
    {
        public void WritePacket(in PacketInfo packet, in PacketResult result)
        {
            var sent = packets.Current;
            writer.Write(sent.TimestampNs, PacketDotNetFrameBuilder.Build(in sent));
        }

        public void Complete(RunReport report)
        {
        }

        public void Dispose()
        {
        }
    }
}
