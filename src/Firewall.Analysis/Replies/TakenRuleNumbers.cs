using Firewall.Analysis.Summaries;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>
/// Rule numbers already taken, per ACL and direction, grown as fixes claim numbers: one set for the
/// narrowest fixes and one for the path fixes, since a person pastes one kind or the other.
/// </summary>
internal sealed class TakenRuleNumbers
{
    private readonly Dictionary<(string, Direction, bool), HashSet<int>> _taken = new();

    public HashSet<int> For(NaclPosition position, bool path)
    {
        var key = (position.Acl.Name, position.Direction, path);
        if (!_taken.TryGetValue(key, out var numbers))
        {
            _taken[key] = numbers = position.Acl.Rules(position.Direction).Select(r => r.Number).ToHashSet();
        }
        return numbers;
    }
}
