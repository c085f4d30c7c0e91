using System.Text;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests.Support;

/// <summary>
/// Golden-file comparison: the expected output lives in tests/Firewall.Cli.Tests/Golden/NAME. Set
/// FIREWALL_UPDATE_GOLDEN=1 to rewrite the files from the current output (then review the git diff).
/// A mismatch fails with the first differing lines side by side.
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "FIREWALL_UPDATE_GOLDEN";

    public static void Check(string name, string actual, params (string Text, string Placeholder)[] replacements)
    {
        foreach (var (text, placeholder) in replacements.OrderByDescending(r => r.Text.Length))
        {
            actual = actual.Replace(text, placeholder);
        }
        actual = actual.Replace(Repository.Root, "$REPO");
        var path = Path.Combine(Repository.Root, "tests", "Firewall.Cli.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        Assert.True(File.Exists(path), $"golden file {name} is missing: run the tests with {UpdateVariable}=1 to create it, then review it");
        var expected = File.ReadAllText(path);
        if (expected == actual)
        {
            return;
        }
        Assert.Fail(Describe(name, expected, actual));
    }

    private static string Describe(string name, string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var message = new StringBuilder($"output differs from Golden/{name} ({UpdateVariable}=1 rewrites it):\n");
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < 12; i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of output>";
            if (el != al)
            {
                message.Append($"  line {i + 1}\n    expected: {el}\n    actual:   {al}\n");
                shown++;
            }
        }
        return message.ToString();
    }
}
