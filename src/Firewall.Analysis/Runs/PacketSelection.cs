using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Analysis.Runs;

/// <summary>Which evaluated packets a report lists (<c>check --only</c>); every packet is evaluated and counted either way.</summary>
public enum PacketSelection : byte
{
    All,
    Denied,
    ReplyDenied,
    Allowed,
    Undecodable,
}

/// <summary>
/// Passes on only the packets of a selection: the report lists what a person is chasing, while evaluation,
/// tracking and the totals still see every packet. Owns nothing: the caller disposes the inner sink.
/// </summary>
public sealed class SelectedPackets(IRunSink inner, PacketSelection only) : IRunSink
{
    public static bool Selects(PacketSelection only, in PacketResult r) => only switch
    {
        PacketSelection.Denied => r.Verdict == Verdict.Deny,
        PacketSelection.ReplyDenied => r.Verdict == Verdict.Deny && r.IsReply,
        PacketSelection.Allowed => r.Verdict == Verdict.Allow,
        PacketSelection.Undecodable => r.Verdict == Verdict.Undecodable,
        _ => true,
    };

    public void WritePacket(in PacketInfo packet, in PacketResult result)
    {
        if (Selects(only, in result))
        {
            inner.WritePacket(in packet, in result);
        }
    }

    public void Complete(RunReport report) => inner.Complete(report);

    public void Flush() => inner.Flush();

    public void Dispose()
    {
    }
}
