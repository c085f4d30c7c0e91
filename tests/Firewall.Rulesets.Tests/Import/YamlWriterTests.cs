using Firewall.Rulesets.Import;

namespace Firewall.Rulesets.Tests.Import;

/// <summary><see cref="RulesetYamlWriter"/> writes what was loaded, fields AWS ignores included, so that a re-export changes nothing.</summary>
public class YamlWriterTests
{
    [Fact]
    public void FieldsAwsIgnoresAreWrittenBackAsLoaded()
    {
        const string yaml = """
            version: 1
            name: "ignored"

            security_groups:
              g:
                inbound:
                  - { protocol: all, ports: 22, source: "10.0.0.0/8" }
                  - { protocol: 47, icmp_code: 4, source: "10.0.0.0/8" }
                outbound: []

            network_acls:
              acl:
                inbound:
                  - { rule: 100, action: allow, protocol: icmpv6, icmp_type: 128, icmp_code: 0, source: "0.0.0.0/0" }
                  - { rule: 110, action: deny, protocol: all, ports: 1024-2048, icmp_type: 3, source: "10.0.0.0/8" }
                outbound: []

            """;
        var loaded = RulesetLoader.LoadText(yaml, "ignored.yaml");
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal(yaml, RulesetYamlWriter.Write(loaded.Ruleset!));
    }
}
