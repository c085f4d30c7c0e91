using Firewall.Analysis.Summaries;
using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Replies;

/// <summary>A flow shown as an example of a group.</summary>
public sealed record ReplyDropExample(int Flow, long FirstFrame, byte Protocol, IpAddr Client, ushort ClientPort, IpAddr Server, ushort ServerPort, bool HasPorts, int RepliesDropped);

/// <summary>The flows whose replies one NACL rule (or <c>*</c>) dropped, with how to let them through.</summary>
public sealed record ReplyDropGroup
{
    public required RuleEntry Rule { get; init; }
    public required NaclPosition Position { get; init; }
    public required int Flows { get; init; }
    public required long RepliesDropped { get; init; }
    public required long RequestsAllowed { get; init; }
    public required IReadOnlyList<ReplyDropExample> Examples { get; init; }
    public required IReadOnlyList<NaclFix> Fixes { get; init; }

    /// <summary>Flows of this group that a stateless security group would also drop: the SG passes them only because it tracks them.</summary>
    public required int StatefulOnlyFlows { get; init; }

    /// <summary>The security-group references that would drop those flows if groups kept no state, most flows first.</summary>
    public required IReadOnlyList<string> StatelessDeniedBy { get; init; }
}

public sealed record ReplyDropReport(IReadOnlyList<ReplyDropGroup> Groups, int Flows, int OtherReplyDeniedFlows)
{
    /// <summary>Flows whose requests passed and whose replies a NACL dropped.</summary>
    public int NaclReplyDeniedFlows => Groups.Sum(g => g.Flows);
}
