using CsCheck;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Model;
using Firewall.Engine.Tests.Support;

namespace Firewall.Engine.Tests.Compilation;

/// <summary>
/// The compiled matcher against the naive reference matcher, on random rulesets and packets: the same
/// deciding NACL rule, and the same allow/deny (and first allowing rule) for security groups.
/// </summary>
public class DifferentialMatcherTests
{
    [Fact]
    public void Compiled_and_reference_matchers_agree()
    {
        var cases = 0;
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var model = RandomCases.Ruleset(rng);
            var compiled = RulesetCompiler.Compile(model);
            var v6 = rng.Next(3) == 0;
            var inSubnet = v6 ? "2001:db8:1::77" : "10.0.1.77";
            var sgHost = v6 ? "2001:db8:9::5" : "10.9.0.5";
            var externals = RandomCases.Externals.Where(e => e.Contains(':') == v6).ToArray();
            var external = externals[rng.Next(externals.Length)];
            var shape = rng.Next(4);
            var (src, dst) = shape switch
            {
                0 => (external, inSubnet),
                1 => (inSubnet, external),
                2 => (external, sgHost),
                _ => (sgHost, external),
            };
            var packet = RandomCases.Packet(rng, src, dst, 1, 0);
            var evaluator = new Evaluator(compiled);
            var result = default(PacketResult);
            evaluator.Evaluate(in packet, ref result);
            var got = compiled.Rules.Reference(result.Hops[0].RuleId);
            switch (shape)
            {
                case 0:
                case 1:
                    var direction = shape == 0 ? Direction.Inbound : Direction.Outbound;
                    Assert.Equal(ReferenceMatcher.Nacl(model, model.NetworkAcls[0], direction, packet), got);
                    break;
                default:
                    var nic = model.Interfaces[2];
                    var sgDirection = shape == 2 ? Direction.Inbound : Direction.Outbound;
                    var expected = ReferenceMatcher.SecurityGroups(model, nic, sgDirection, packet);
                    Assert.Equal(expected is not null, result.Hops[0].Allowed);
                    Assert.Equal(expected ?? $"sg:c:{DirectionText.Name(sgDirection)}:none", got);
                    break;
            }
            Interlocked.Increment(ref cases);
        }, iter: 10_000, threads: 1);
        Assert.True(cases >= 10_000);
    }
}
