using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Tests.Yaml;

using static LoaderAssert;

public class YamlTreeReaderTests
{
    [Fact]
    public void NodesKeepTheirPositions()
    {
        var bag = new DiagnosticBag("t.yaml");
        var root = (MappingNode)YamlTreeReader.Read("a: 1\nb:\n  - x\n  - { c: d }\n", bag)!;
        Assert.False(bag.HasErrors);
        var b = root.Find("b")!.Value;
        Assert.Equal((2, 1), (b.Key.Line, b.Key.Column));
        var items = ((SequenceNode)b.Value).Items;
        Assert.Equal((3, 5), (items[0].Line, items[0].Column));
        Assert.Equal((4, 5), (items[1].Line, items[1].Column));
        var c = ((MappingNode)items[1]).Find("c")!.Value;
        Assert.Equal((4, 7), (c.Key.Line, c.Key.Column));
        Assert.Equal((4, 10), (c.Value.Line, c.Value.Column));
    }

    [Fact]
    public void SyntaxErrorStopsAtItsPosition() => Single(
        "version: 1\nsubnets: [a, b\n",
        "3:1: YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'.");

    [Fact]
    public void BadIndentationIsASyntaxError() => Single(
        "version: 1\nsubnets:\n  a:\n    cidr: 10.0.0.0/24\n   network_acl: x\n",
        "5:4: YAML syntax error: While parsing a block mapping, did not find expected key.");

    [Fact]
    public void AliasesStopTheRead() => Assert.Equal(
        ["2:7: anchors (&n) are not supported: write each value out in full", "3:14: aliases (*n) are not supported: write the value out in full"],
        Errors("version: 1\nname: &n web\ndescription: *n\nbad_key_never_reached: 1\n"));

    [Fact]
    public void AnchorsAreRefusedWithoutStoppingTheRead()
    {
        Assert.Equal(
            ["1:7: anchors (&n) are not supported: write each value out in full", "2:10: version: expected 1 (the only format version this loader reads), found '3'"],
            Errors("name: &n web\nversion: 3\n"));
    }

    [Fact]
    public void ExplicitTagsAreRefused() => Single(
        "version: !!int 1\n",
        "1:10: explicit tags (tag:yaml.org,2002:int) are not supported: write the plain value");

    [Fact]
    public void ASecondDocumentIsRefused() => Single(
        "version: 1\n---\nversion: 1\n",
        "2:1: expected one YAML document, found a second one");

    [Fact]
    public void KeysMustBeScalars() => Single(
        "version: 1\n? [a, b]\n: c\n",
        "2:3: expected a plain key, found a list used as a key");

    [Fact]
    public void NestingIsBounded()
    {
        var text = "version: 1\nname: " + new string('[', 100) + new string(']', 100) + "\n";
        // The root mapping is level 1 and the k-th '[' (column 6 + k) level k + 1, so the 64th '[' is refused.
        Single(text, "2:70: nesting is deeper than 64 levels, the limit for this format");
    }

    [Fact]
    public void LongLinesAreRefusedBeforeParsing()
    {
        var text = "version: 1\ndescription: " + new string('x', 70_000) + "\n";
        Single(text, "2:65537: line 2 is longer than 65536 characters, the limit for any line or value in this format");
    }

    [Fact]
    public void LongMultiLineScalarsAreRefused()
    {
        var text = "version: 1\ndescription: |\n" + string.Concat(Enumerable.Repeat("  " + new string('x', 1000) + "\n", 70));
        Single(text, "2:14: a value of 70070 characters is longer than 65536, the limit for any value in this format");
    }

    [Fact]
    public void DocumentSizeIsBounded()
    {
        var limits = new YamlLimits { MaxDocumentChars = 100 };
        var text = "version: 1\n" + string.Concat(Enumerable.Repeat("# comment line\n", 10));
        var result = RulesetLoader.LoadText(text, File, limits);
        Assert.Equal(["t.yaml:7:15: the document is longer than 100 characters, the limit for this format"], result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void MissingFileIsOneFileLevelDiagnostic()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "r.yaml");
        var result = RulesetLoader.LoadFile(path);
        Assert.Null(result.Ruleset);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((path, 0, 0), (d.File, d.Line, d.Column));
        Assert.Equal($"{path}:0:0: cannot read the ruleset: no such file", d.ToString());
    }

    [Fact]
    public void DirectoryInsteadOfFileIsOneFileLevelDiagnostic()
    {
        var result = RulesetLoader.LoadFile(Path.GetTempPath());
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(0, d.Line);
    }
}
