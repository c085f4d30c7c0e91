using Firewall.Analysis.Reachability;
using Firewall.Engine.Compilation;
using Firewall.Engine.Model;
using Firewall.Rulesets;

namespace Firewall.Analysis.Tests.Reachability;

/// <summary>Cases the property tests reach rarely: named protocols kept apart, and rules that only move.</summary>
public sealed class AnswerShapeTests
{
    private static (Ruleset Model, CompiledRuleset Compiled) Load(string yaml)
    {
        var loaded = RulesetLoader.LoadText(yaml, "case.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return (loaded.Ruleset!, RulesetCompiler.Compile(loaded.Ruleset!));
    }

    private const string OpenToAll = """
        version: 1
        name: open
        interfaces:
          web-1: { addresses: [10.9.0.10], security_groups: [g] }
        security_groups:
          g:
            inbound:
              - { protocol: all, source: 0.0.0.0/0 }
            outbound:
              - { protocol: all, destination: 0.0.0.0/0 }
        """;

    [Fact]
    public void Tcp_and_udp_are_never_one_class_even_when_every_rule_treats_them_alike()
    {
        var (model, compiled) = Load(OpenToAll);
        var answer = Answers.Query(compiled, PacketSetParser.Parse("* 198.51.100.7 -> web-1:1000-2000", model, out _)!);
        Assert.Equal(["tcp", "udp"], answer.Classes.Select(c => c.Packets.Protocol).Distinct().Order());
        // Protocols without names that get the same answer are one class, named by their numbers.
        var others = Answers.Query(compiled, PacketSetParser.Parse("* 198.51.100.7 -> web-1", model, out _)!);
        Assert.Contains(others.Classes, c => c.Packets.Protocol.Contains(',') && !c.Packets.Protocol.Split(',', '-').Contains("6") && !c.Packets.Protocol.Split(',', '-').Contains("17"));
    }

    [Fact]
    public void A_static_diff_sees_two_rules_with_ids_that_swap_places()
    {
        const string Before = """
            version: 1
            name: order
            interfaces:
              web-1: { addresses: [10.9.0.10], security_groups: [g] }
            security_groups:
              g:
                inbound:
                  - { id: wide, protocol: tcp, ports: 443, source: 10.0.0.0/8 }
                  - { id: narrow, protocol: tcp, ports: 443, source: 10.1.0.0/16 }
                outbound: []
            """;
        var after = Before.Replace("  - { id: wide, protocol: tcp, ports: 443, source: 10.0.0.0/8 }\n      - { id: narrow, protocol: tcp, ports: 443, source: 10.1.0.0/16 }",
            "  - { id: narrow, protocol: tcp, ports: 443, source: 10.1.0.0/16 }\n      - { id: wide, protocol: tcp, ports: 443, source: 10.0.0.0/8 }");
        Assert.NotEqual(Before, after);
        var (oldModel, old) = Load(Before);
        var (_, @new) = Load(after);
        var diff = Answers.Diff(old, @new, PacketSetParser.Parse("tcp 10.0.0.0/8 -> web-1:443", oldModel, out _)!);
        // Only where both rules match (10.1.0.0/16) does the first match change: the same outcome, another rule.
        var changed = Assert.Single(diff.Classes);
        Assert.Equal(["10.1.0.0/16"], changed.Packets.Sources);
        Assert.Equal("sg:g:inbound:wide", changed.Old.RequestRule);
        Assert.Equal("sg:g:inbound:narrow", changed.New.RequestRule);
    }
}
