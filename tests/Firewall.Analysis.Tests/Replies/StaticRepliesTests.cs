using Firewall.Analysis.Reachability;
using Firewall.Analysis.Replies;
using Firewall.Analysis.Tests.Reachability;
using Firewall.Engine.Addressing;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Rulesets;
using Firewall.Rulesets.Import;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Analysis.Tests.Replies;

/// <summary>
/// <c>firewall replies</c> without a capture: its groups are the classes of the answer whose requests pass
/// and whose replies a NACL drops, and the rules it suggests, pasted into the ruleset, close those gaps.
/// </summary>
public sealed class StaticRepliesTests(ITestOutputHelper output)
{
    [Fact]
    public void Web_tier_drops_the_replies_to_clients_outside_the_linux_range_and_says_which_rule_opens_them()
    {
        var (ruleset, rules) = Shipped("web-tier.yaml");
        var report = StaticReplies.Analyze(rules, Set("* * -> *", ruleset));

        Assert.Equal(new PortRange(1024, 65535), report.ClientPorts);
        Assert.Equal(["nacl:public-nacl:outbound:*", "nacl:public-nacl:inbound:*"], report.Groups.Select(g => g.Rule.Reference));
        var outbound = report.Groups[0];
        Assert.Equal(9, outbound.Classes.Count);
        var v4 = outbound.Fixes.Single(f => f.Protocol == IpProtocol.Tcp && !f.IsV6);
        // The NACL passes replies to 32768-60999 only: every other port a client may pick is a gap.
        Assert.Equal(new PortRange(1024, 65535), v4.PortsSeen);
        Assert.Equal(1024 - 1024 + 32767 - 1024 + 1 + 65535 - 61000 + 1, v4.DistinctPorts);
        Assert.Equal(["- { rule: 140, protocol: tcp, ports: 1024-65535, destination: 0.0.0.0/0, action: allow }"], v4.Path!.Yaml);
        Assert.All(outbound.Classes, c =>
        {
            Assert.Equal("reply-denied", c.Outcome.Outcome);
            Assert.Equal("nacl:public-nacl:outbound:*", c.Outcome.ReplyRule);
            Assert.True(c.Packets.Example.SourcePort is < 32768 or > 60999, c.Packets.Example.ToString());
        });
        // Inbound: web-1's DNS questions (udp 53) get answers the NACL has no rule for.
        Assert.Contains(report.Groups[1].Classes, c => c.Packets.Protocol == "udp" && c.Packets.Ports!.SequenceEqual(["53"]));
    }

    [Fact]
    public void Without_source_ports_the_set_asks_about_the_ports_clients_pick_and_with_them_about_those()
    {
        var (ruleset, rules) = Shipped("dual-stack.yaml");
        var clients = StaticReplies.Analyze(rules, Set("* * -> *", ruleset));
        Assert.Empty(clients.Groups);
        Assert.All(clients.Answer.Classes.Where(c => c.Packets.SourcePorts is not null),
            c => Assert.True(c.Packets.Sets[Dim.SourcePort].Intervals.All(i => i.Lo >= 1024), c.Packets.Example.ToString()));

        // A client that picks a port below 1024 (as some NTP and DNS servers do) gets no reply through this NACL.
        var privileged = StaticReplies.Analyze(rules, Set("tcp *:1-1023 -> *:443", ruleset));
        Assert.Null(privileged.ClientPorts);
        Assert.NotEmpty(privileged.Groups);
        Assert.All(privileged.Groups.SelectMany(g => g.Fixes), f => Assert.Equal(new PortRange(1, 1023), f.PortsSeen));
    }

    /// <summary>On every shipped ruleset, pasting the narrowest rules (or the rules that open the reply paths) closes every gap within a few rounds: a fix at one hop lets replies reach the next.</summary>
    [Theory]
    [MemberData(nameof(ExactnessTests.ShippedRulesets), MemberType = typeof(ExactnessTests))]
    public void Pasting_the_fixes_closes_every_gap_of_a_shipped_ruleset(string name)
    {
        var (ruleset, _) = Shipped(name);
        foreach (var openPaths in new[] { false, true })
        {
            var rounds = CloseGaps(ruleset, "* * -> *", openPaths, out var first);
            output.WriteLine($"{name}: {first} classes with reply gaps, closed in {rounds} rounds ({(openPaths ? "reply paths" : "narrowest")})");
        }
    }

    /// <summary>
    /// On random rulesets: every class whose request passes and whose reply a NACL drops is in exactly one
    /// group, the group of its reply rule; and the narrowest rules close every gap.
    /// </summary>
    [Fact]
    public void On_random_rulesets_the_groups_are_the_gaps_and_the_fixes_close_them()
    {
        var rng = new Random(20);
        var withGaps = 0;
        var allProtocols = 0;
        for (var n = 0; n < 30; n++)
        {
            var ruleset = RandomRulesets.Ruleset(rng);
            var rules = RulesetCompiler.Compile(ruleset);
            var report = StaticReplies.Analyze(rules, Set("* * -> *", ruleset));
            var gaps = report.Answer.Classes.Where(c => c.Outcome is { Outcome: "reply-denied", RequestRule: not null, ReplyRule: { } r } && r.StartsWith("nacl:", StringComparison.Ordinal)).ToList();
            Assert.Equal(gaps.Count, report.NaclReplyDenied);
            foreach (var c in gaps)
            {
                Assert.Equal(c.Outcome.ReplyRule, Assert.Single(report.Groups, g => g.Classes.Contains(c)).Rule.Reference);
            }
            allProtocols += report.Groups.SelectMany(g => g.Fixes).Count(f => f.AnyProtocol);
            if (gaps.Count > 0)
            {
                withGaps++;
                CloseGaps(ruleset, "* * -> *", openPaths: false, out _);
            }
        }
        output.WriteLine($"{withGaps} of 30 random rulesets had reply gaps; {allProtocols} fixes for classes of several protocols");
        Assert.True(withGaps >= 10, $"only {withGaps} random rulesets had reply gaps: the test would prove little");
    }

    /// <summary>Pastes the fixes until no gap is left; returns the rounds it took (at most four: each reply crosses two NACLs).</summary>
    private static int CloseGaps(Ruleset ruleset, string setText, bool openPaths, out int firstGaps)
    {
        var rules = RulesetCompiler.Compile(ruleset);
        var report = StaticReplies.Analyze(rules, Set(setText, ruleset));
        firstGaps = report.NaclReplyDenied;
        var before = report.Groups.SelectMany(g => g.Classes.Select(c => (g.Rule.Reference, c.Packets.Example))).ToList();
        var rounds = 0;
        while (report.Groups.Count > 0)
        {
            Assert.True(++rounds <= 4, $"{ruleset.Name}: gaps left after {rounds - 1} rounds: {string.Join(", ", report.Groups.Select(g => g.Rule.Reference))}");
            var yaml = RulesetYamlWriter.Write(ruleset);
            foreach (var g in report.Groups)
            {
                foreach (var fix in g.Fixes)
                {
                    yaml = Paste(yaml, fix.Acl, fix.Direction, openPaths && fix.Path is { } path ? path.Yaml : fix.Yaml);
                }
            }
            var loaded = RulesetLoader.LoadText(yaml, "fixed.yaml");
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics) + "\n" + yaml);
            ruleset = loaded.Ruleset!;
            rules = RulesetCompiler.Compile(ruleset);
            report = StaticReplies.Analyze(rules, Set(setText, ruleset));
        }
        foreach (var (rule, example) in before)
        {
            Assert.NotEqual(rule, Answers.Of(rules, example).ReplyRule);
        }
        return rounds;
    }

    /// <summary>The ruleset text with <paramref name="lines"/> added to an ACL's direction (the numbers place them).</summary>
    private static string Paste(string yaml, string acl, Direction direction, IEnumerable<string> lines)
    {
        var text = yaml.Split('\n').ToList();
        var aclLine = text.FindIndex(text.FindIndex(l => l == "network_acls:"), l => l == $"  {acl}:" || l == $"  {RulesetYamlWriter.Quote(acl)}:");
        Assert.True(aclLine > 0, $"no ACL {acl} in\n{yaml}");
        var name = direction == Direction.Inbound ? "inbound" : "outbound";
        var at = text.FindIndex(aclLine, l => l.StartsWith($"    {name}:", StringComparison.Ordinal));
        text[at] = $"    {name}:";
        text.InsertRange(at + 1, lines.Select(l => "      " + l));
        return string.Join("\n", text);
    }

    private static PacketSet Set(string text, Ruleset ruleset) =>
        PacketSetParser.Parse(text, ruleset, out var error) ?? throw new InvalidOperationException(error.ToString());

    private static (Ruleset, CompiledRuleset) Shipped(string name)
    {
        var loaded = RulesetLoader.LoadFile(Path.Combine(Repository.Root, "rulesets", name));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return (loaded.Ruleset!, RulesetCompiler.Compile(loaded.Ruleset!));
    }
}
