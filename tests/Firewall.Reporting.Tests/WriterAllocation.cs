using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Reporting.Tests;

/// <summary>What a report writer allocates per packet in the steady state: the hot path's budget is next to nothing.</summary>
internal static class WriterAllocation
{
    /// <summary>Bytes allocated on this thread per <c>WritePacket</c> of the same packet, after the writer's buffers are warm.</summary>
    public static double PerPacket(ReportFormat format, CompiledRuleset rules, in PacketInfo packet, in PacketResult result)
    {
        using var writer = ReportWriters.Create(format, Stream.Null, new ReportContent(true, false), rules);
        for (var i = 0; i < 2000; i++)
        {
            writer.WritePacket(in packet, in result); // warm up buffers
        }
        const int N = 20_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < N; i++)
        {
            writer.WritePacket(in packet, in result);
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)N;
    }
}
