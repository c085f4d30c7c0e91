namespace Firewall.Rulesets.Tests;

internal static class LoaderAssert
{
    public const string File = "t.yaml";

    /// <summary>The diagnostics of a text as "line:col: message", in the loader's order.</summary>
    public static string[] Errors(string yaml) =>
        RulesetLoader.LoadText(yaml, File).Diagnostics.Select(d => $"{d.Line}:{d.Column}: {d.Message}").ToArray();

    /// <summary>Exactly one diagnostic, at this position, with this message; and no ruleset.</summary>
    public static void Single(string yaml, string expected)
    {
        var result = RulesetLoader.LoadText(yaml, File);
        Assert.Null(result.Ruleset);
        Assert.Equal([expected], result.Diagnostics.Select(d => $"{d.Line}:{d.Column}: {d.Message}"));
    }

    public static Engine.Model.Ruleset Loads(string yaml)
    {
        var result = RulesetLoader.LoadText(yaml, File);
        Assert.Empty(result.Diagnostics.Select(d => d.ToString()));
        return result.Ruleset!;
    }
}
