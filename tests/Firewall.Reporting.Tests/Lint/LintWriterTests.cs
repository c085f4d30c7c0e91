using System.Text.Json;
using Firewall.Analysis.Lint;
using Firewall.Reporting.Lint;
using Firewall.Rulesets;

namespace Firewall.Reporting.Tests.Lint;

/// <summary>Lint findings as SARIF, the format code-scanning tools read.</summary>
public class LintWriterTests
{
    [Fact]
    public void SarifIsVersion210WithOneResultPerFinding()
    {
        var loaded = RulesetLoader.LoadText("""
            version: 1
            network_acls:
              n:
                inbound:
                  - { rule: 100, protocol: all, source: 0.0.0.0/0, action: allow }
                  - { rule: 110, protocol: tcp, source: 0.0.0.0/0, action: deny }
            """, "lint.yaml");
        Assert.Empty(loaded.Diagnostics);
        var findings = RulesetLinter.Lint(loaded.Ruleset!);
        var stream = new MemoryStream();
        LintWriter.Write(stream, LintFormat.Sarif, "lint.yaml", findings);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var run = root.GetProperty("runs")[0];
        Assert.Equal("firewall", run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        Assert.Equal("nacl-shadowed", result.GetProperty("ruleId").GetString());
        Assert.Equal("warning", result.GetProperty("level").GetString());
        var region = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("lint.yaml", region.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(6, region.GetProperty("region").GetProperty("startLine").GetInt32());
        var ruleIndex = result.GetProperty("ruleIndex").GetInt32();
        Assert.Equal("nacl-shadowed", run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[ruleIndex].GetProperty("id").GetString());
    }
}
