using Firewall.Flows.Definitions;
using Firewall.Flows.Synthesis;

namespace Firewall.Flows.Pcap;

/// <summary>Writes a flows file as a pcap capture: <c>firewall synth FLOWS.yaml -o OUT.pcap</c>.</summary>
public static class SynthCapture
{
    /// <summary>Writes every packet of the file, built with PacketDotNet; returns the number of frames written.</summary>
    public static long Write(FlowsFile file, Stream output)
    {
        using var writer = new PcapWriter(output, ownsStream: false);
        foreach (var packet in FlowSynthesizer.Synthesize(file))
        {
            writer.Write(packet.TimestampNs, PacketDotNetFrameBuilder.Build(in packet));
        }
        return writer.Records;
    }

    public static long Write(FlowsFile file, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        return Write(file, stream);
    }
}
