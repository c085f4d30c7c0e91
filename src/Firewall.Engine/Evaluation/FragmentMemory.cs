using Firewall.Engine.Addressing;
using Firewall.Engine.Packets;

namespace Firewall.Engine.Evaluation;

/// <summary>
/// The verdicts of first fragments, so that later fragments of the same datagram (same source, destination,
/// protocol and identification), which carry no ports, take them. AWS documents nothing about fragments:
/// the time a verdict is remembered and the bound on how many are remembered are this tool's
/// (<see cref="EvaluationOptions.FragmentTimeout"/>, <see cref="EvaluationOptions.MaxFragmentsRemembered"/>).
/// </summary>
internal sealed class FragmentMemory(EvaluationOptions options)
{
    private const long NsPerSecond = 1_000_000_000L;

    private readonly Dictionary<FragmentKey, FirstFragment> _first = new();

    /// <summary>First fragments remembered so far: an upper bound of how many were remembered at once.</summary>
    public long Remembered { get; private set; }

    public void Clear() => _first.Clear();

    /// <summary>Remembers the result of a first fragment.</summary>
    public void Remember(in PacketInfo p, in PacketResult r, long now)
    {
        if (_first.Count >= options.MaxFragmentsRemembered)
        {
            Prune(now);
        }
        Remembered++;
        _first[new FragmentKey(p.Src, p.Dst, p.Protocol, p.FragId)] = new FirstFragment
        {
            Deadline = now + options.FragmentTimeout * NsPerSecond,
            FlowId = r.FlowId,
            IsReply = r.IsReply,
            Verdict = r.Verdict,
            RuleId = r.RuleId,
            Reason = r.Reason,
            StatelessVerdict = r.StatelessVerdict,
            StatelessRuleId = r.StatelessRuleId,
            HopCount = r.HopCount,
            Hops = r.Hops,
        };
    }

    /// <summary>
    /// Gives later fragment <paramref name="p"/> its first fragment's result and flow; false when that
    /// was not seen, or too long ago.
    /// </summary>
    public bool TryFollow(in PacketInfo p, ref PacketResult r, long now)
    {
        if (!_first.TryGetValue(new FragmentKey(p.Src, p.Dst, p.Protocol, p.FragId), out var first) || first.Deadline - now <= 0)
        {
            return false;
        }
        r.FlowId = first.FlowId;
        r.IsReply = first.IsReply;
        r.Verdict = first.Verdict;
        r.RuleId = first.RuleId;
        r.Reason = first.Reason;
        r.StatelessVerdict = first.StatelessVerdict;
        r.StatelessRuleId = first.StatelessRuleId;
        r.HopCount = first.HopCount;
        r.Hops = first.Hops;
        return true;
    }

    private void Prune(long now)
    {
        foreach (var (key, value) in _first)
        {
            if (value.Deadline - now <= 0)
            {
                _first.Remove(key);
            }
        }
        if (_first.Count >= options.MaxFragmentsRemembered)
        {
            _first.Clear(); // bounded memory wins over remembering: later fragments fall back to port-less rules
        }
    }

    private readonly record struct FragmentKey(IpAddr Src, IpAddr Dst, byte Protocol, uint Id);

    private struct FirstFragment
    {
        public long Deadline;
        public int FlowId;
        public bool IsReply;
        public Verdict Verdict;
        public int RuleId;
        public DenyReason Reason;
        public Verdict StatelessVerdict;
        public int StatelessRuleId;
        public int HopCount;
        public HopTraces Hops;
    }
}
