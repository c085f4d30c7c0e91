using System.Text.Json;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary><c>firewall lint</c>: formats and the --fail-on exit code.</summary>
public class LintCommandTests
{
    private const string Ruleset = """
        version: 1
        network_acls:
          n:
            inbound:
              - { rule: 100, protocol: all, source: 0.0.0.0/0, action: allow }
              - { rule: 110, protocol: tcp, ports: 22, source: 0.0.0.0/0, action: deny }
        """;

    [Fact]
    public void TextFindingsAreCompilerStyleAndWarningsPassByDefault()
    {
        using var dir = new TempDir();
        var path = dir.File("r.yaml");
        File.WriteAllText(path, Ruleset);
        var r = InProcessCli.Run("lint", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            $"{path}:6:9: warning: rule 110 of network ACL 'n' (inbound) is never reached: rule 100 matches everything it matches, and decide differently from its 'deny' [nacl-shadowed]\n"
            + $"{path}: 1 finding: 0 errors, 1 warnings, 0 notes\n",
            r.Out);
        Assert.Equal(1, InProcessCli.Run("lint", path, "--fail-on", "warning").ExitCode);
    }

    [Fact]
    public void JsonAndSarifParse()
    {
        using var dir = new TempDir();
        var path = dir.File("r.yaml");
        File.WriteAllText(path, Ruleset);
        using var json = JsonDocument.Parse(InProcessCli.Run("lint", path, "--format", "json").Out);
        Assert.Equal("nacl:n:inbound:110", json.RootElement.GetProperty("findings")[0].GetProperty("rules")[0].GetString());
        using var sarif = JsonDocument.Parse(InProcessCli.Run("lint", path, "--format", "sarif").Out);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void ABadRulesetExitsTwo()
    {
        var r = InProcessCli.Run("lint", "/no/such/ruleset.yaml");
        Assert.Equal(2, r.ExitCode);
    }
}
