using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;

namespace Firewall.Engine.Tests.Compilation;

public class PortIndexTests
{
    private static CompiledSgRule Rule(int id, ushort from, ushort to) =>
        new(IpProtocol.Tcp, new PortRange(from, to), IcmpMatch.Any, 0, 0, id, peerIsAll: false);

    [Fact]
    public void Candidates_are_exactly_the_rules_covering_the_port_in_order()
    {
        var rng = new Random(5);
        for (var round = 0; round < 200; round++)
        {
            var rules = Enumerable.Range(0, rng.Next(8, 60)).Select(i =>
            {
                if (rng.Next(6) == 0)
                {
                    return Rule(i, 0, 65535);
                }
                var from = (ushort)rng.Next(0, 65536);
                var to = (ushort)Math.Min(65535, from + (rng.Next(3) == 0 ? rng.Next(0, 5000) : 0));
                return Rule(i, from, to);
            }).ToArray();
            var bucket = Enumerable.Range(0, rules.Length).ToArray();
            var index = PortIndex.Build(rules, bucket);
            Assert.NotNull(index);
            var probes = rules.SelectMany(r => new[] { r.Ports.From, r.Ports.To, (int)r.Ports.From - 1, r.Ports.To + 1 })
                .Concat(Enumerable.Range(0, 50).Select(_ => rng.Next(0, 65536)))
                .Where(p => p is >= 0 and <= 65535);
            foreach (var port in probes)
            {
                var expected = bucket.Where(i => rules[i].Ports.Contains((ushort)port)).ToArray();
                Assert.Equal(expected, index.Candidates((ushort)port).ToArray());
            }
        }
    }

    [Fact]
    public void Small_buckets_are_scanned_whole()
    {
        var rules = Enumerable.Range(0, PortIndex.MinimumRules - 1).Select(i => Rule(i, (ushort)i, (ushort)i)).ToArray();
        Assert.Null(PortIndex.Build(rules, Enumerable.Range(0, rules.Length).ToArray()));
    }

    [Fact]
    public void Overlapping_ranges_that_would_need_huge_lists_are_not_indexed()
    {
        // Nested ranges [i, 65535-i]: every segment holds up to all rules, quadratic in the rule count.
        var rules = Enumerable.Range(0, 300).Select(i => Rule(i, (ushort)i, (ushort)(65535 - i))).ToArray();
        Assert.Null(PortIndex.Build(rules, Enumerable.Range(0, rules.Length).ToArray()));
    }
}
