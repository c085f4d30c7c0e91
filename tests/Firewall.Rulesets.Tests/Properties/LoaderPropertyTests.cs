using CsCheck;
using Firewall.Tests.Support;

namespace Firewall.Rulesets.Tests.Properties;

/// <summary>
/// Whatever the text, the loader answers with diagnostics (each positioned, in order) or a ruleset, and
/// never throws: random YAML-like text, and the shipped rulesets damaged in small ways.
/// </summary>
public class LoaderPropertyTests
{
    /// <summary>YAML's indicators, line breaks YAML 1.1 knows, a NUL, a BOM, a lone surrogate, and text.</summary>
    private const string Pool = "abcdefgklmnoprstuvwxyz0123456789_-./: []{},&*!|>'\"#%@`?\t\n\n\n\r\u0000\u0085\u2028\ufeff\ud800\u00e9~";

    private static readonly string[] Vocabulary =
    [
        "version", "1", "2", "name", "subnets", "interfaces", "security_groups", "network_acls", "prefix_lists", "vpc_cidr",
        "connection_tracking", "udp_timeout", "cidr", "ipv6_cidr", "network_acl", "addresses", "subnet", "max_tracked",
        "inbound", "outbound", "rule", "protocol", "ports", "icmp_type", "icmp_code", "source", "destination", "action",
        "id", "description", "allow", "deny", "tcp", "udp", "icmp", "icmpv6", "all", "-1", "6", "300", "22", "1024-65535",
        "70000", "10.0.0.0/16", "10.0.1.5/24", "10.0.1.10", "::/0", "2001:db8::/32", "0.0.0.0/0", "sg:web", "pl:office",
        "web", "office", "default", "-", "[", "]", "{", "}", ",", "&a", "*a", "!!str", "|", ">", "'x'", "\"y\"", "#", "~", "---", "...",
    ];

    private static readonly string[] Shipped = Repository.ShippedRulesets().Select(File.ReadAllText).ToArray();

    internal static void AssertOnlyDiagnostics(string text)
    {
        var result = RulesetLoader.LoadText(text, "p.yaml");
        Assert.Equal(result.Ruleset is null, result.Diagnostics.Count > 0);
        var previous = (Line: 0, Column: 0);
        foreach (var d in result.Diagnostics)
        {
            Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString());
            Assert.Equal("p.yaml", d.File);
            Assert.False(string.IsNullOrWhiteSpace(d.Message), d.ToString());
            Assert.True((d.Line, d.Column).CompareTo(previous) >= 0, "diagnostics out of order at " + d);
            previous = (d.Line, d.Column);
        }
    }

    [Fact]
    public void RandomCharacters() =>
        Gen.Char[Pool].Array[0, 400].Select(chars => new string(chars))
            .Sample(AssertOnlyDiagnostics, iter: 20_000);

    [Fact]
    public void RandomYamlLikeLines()
    {
        var line = Gen.Select(
            Gen.Int[0, 8],
            Gen.OneOf(Vocabulary),
            Gen.OneOf(": ", ":", " ", ": [", ": {", ", ", "- ", ""),
            Gen.OneOf(Vocabulary),
            (indent, key, separator, value) => new string(' ', indent) + key + separator + value);
        line.Array[0, 40].Select(lines => "version: 1\n" + string.Join("\n", lines))
            .Sample(AssertOnlyDiagnostics, iter: 20_000);
    }

    /// <summary>One damage to a text: a flipped bit, a deletion, an insertion, two lines swapped, a line repeated.</summary>
    private readonly record struct Mutation(int Kind, int Position, int Other, char Char, int Length)
    {
        public string Apply(string text)
        {
            if (text.Length == 0)
            {
                return Char.ToString();
            }
            var at = Position % text.Length;
            switch (Kind)
            {
                case 0:
                    return string.Concat(text.AsSpan(0, at), ((char)(text[at] ^ (1 << (Other % 8)))).ToString(), text.AsSpan(at + 1));
                case 1:
                    return text.Remove(at, Math.Min(Length, text.Length - at));
                case 2:
                    return text.Insert(at, new string(Char, 1 + (Length % 3)));
                case 3:
                {
                    var lines = text.Split('\n');
                    var (a, b) = (Position % lines.Length, Other % lines.Length);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    return string.Join('\n', lines);
                }
                default:
                {
                    var lines = text.Split('\n').ToList();
                    var a = Position % lines.Count;
                    lines.Insert(a, lines[a]);
                    return string.Join('\n', lines);
                }
            }
        }
    }

    [Fact]
    public void MutatedShippedRulesets()
    {
        Assert.NotEmpty(Shipped);
        var mutation = Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Char[Pool], Gen.Int[1, 40],
            (kind, position, other, c, length) => new Mutation(kind, position, other, c, length));
        Gen.Select(Gen.Int[0, Shipped.Length - 1], mutation.Array[1, 6])
            .Select((file, mutations) => mutations.Aggregate(Shipped[file], (text, m) => m.Apply(text)))
            .Sample(AssertOnlyDiagnostics, iter: 5_000);
    }

    [Fact]
    public void EveryPrefixOfAShippedRuleset()
    {
        // A file cut anywhere (a partial write, a truncated download): only diagnostics, never a throw.
        var text = Shipped.OrderByDescending(t => t.Length).First();
        for (var length = 0; length <= text.Length; length += 7)
        {
            AssertOnlyDiagnostics(text[..length]);
        }
    }
}
