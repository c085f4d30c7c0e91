using System.Text;
using System.Text.Json;
using Firewall.Analysis.Lint;
using Firewall.Reporting.Json;

namespace Firewall.Reporting.Lint;

public enum LintFormat
{
    Text,
    Json,
    Sarif,
}

/// <summary>Writes lint findings as text for people, JSON for tools, or SARIF 2.1.0 for code-review tools.</summary>
public static class LintWriter
{
    public static void Write(Stream output, LintFormat format, string rulesetPath, IReadOnlyList<LintFinding> findings)
    {
        switch (format)
        {
            case LintFormat.Text:
                var bytes = Encoding.UTF8.GetBytes(Text(rulesetPath, findings));
                output.Write(bytes);
                break;
            case LintFormat.Json:
                WriteJson(output, rulesetPath, findings);
                break;
            default:
                WriteSarif(output, findings);
                break;
        }
        output.Flush();
    }

    private static string Where(string rulesetPath, LintFinding f) =>
        f.Location.Line > 0 ? f.Location.ToString() : (f.Location.File.Length > 0 ? f.Location.File : rulesetPath);

    /// <summary>One line per finding in the compiler form editors link (<c>file:line:col: severity: message [kind]</c>), then a count.</summary>
    public static string Text(string rulesetPath, IReadOnlyList<LintFinding> findings)
    {
        var b = new StringBuilder();
        foreach (var f in findings)
        {
            b.Append(Where(rulesetPath, f)).Append(": ").Append(LintFinding.Name(f.Severity)).Append(": ")
                .Append(f.Message).Append(" [").Append(f.Kind).Append("]\n");
        }
        b.Append(Summary(rulesetPath, findings)).Append('\n');
        return b.ToString();
    }

    public static string Summary(string rulesetPath, IReadOnlyList<LintFinding> findings)
    {
        if (findings.Count == 0)
        {
            return $"{rulesetPath}: no findings";
        }
        int Count(LintSeverity s) => findings.Count(f => f.Severity == s);
        return $"{rulesetPath}: {findings.Count} finding{(findings.Count == 1 ? "" : "s")}: {Count(LintSeverity.Error)} errors, {Count(LintSeverity.Warning)} warnings, {Count(LintSeverity.Note)} notes";
    }

    private static Utf8JsonWriter JsonWriter(Stream output) => new(output, new JsonWriterOptions
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static void WriteJson(Stream output, string rulesetPath, IReadOnlyList<LintFinding> findings)
    {
        using var w = JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("ruleset", rulesetPath);
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("severity", LintFinding.Name(f.Severity));
            w.WriteString("message", f.Message);
            JsonArrays.WriteStrings(w, "rules", f.Rules);
            w.WriteString("file", f.Location.File.Length > 0 ? f.Location.File : rulesetPath);
            if (f.Location.Line > 0)
            {
                w.WriteNumber("line", f.Location.Line);
                w.WriteNumber("column", f.Location.Column);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("summary");
        w.WriteNumber("errors", findings.Count(f => f.Severity == LintSeverity.Error));
        w.WriteNumber("warnings", findings.Count(f => f.Severity == LintSeverity.Warning));
        w.WriteNumber("notes", findings.Count(f => f.Severity == LintSeverity.Note));
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// SARIF 2.1.0 (OASIS "Static Analysis Results Interchange Format"): one run, the finding kinds as the
    /// tool's rules, each finding a result with its level and, where known, a physical location.
    /// </summary>
    private static void WriteSarif(Stream output, IReadOnlyList<LintFinding> findings)
    {
        using var w = JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        WriteDriver(w);
        w.WriteStartArray("results");
        var index = LintKinds.All.Select((k, i) => (k.Id, i)).ToDictionary(x => x.Id, x => x.i);
        foreach (var f in findings)
        {
            WriteResult(w, f, index[f.Kind]);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>The tool: its name, and the finding kinds as its rules, in the order <c>ruleIndex</c> counts.</summary>
    private static void WriteDriver(Utf8JsonWriter w)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "firewall");
        w.WriteString("informationUri", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html");
        w.WriteStartArray("rules");
        foreach (var (id, description) in LintKinds.All)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", description);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>One finding: its kind, level and message, its location where known, and the references it names.</summary>
    private static void WriteResult(Utf8JsonWriter w, LintFinding f, int ruleIndex)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.Kind);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", LintFinding.Name(f.Severity));
        w.WriteStartObject("message");
        w.WriteString("text", f.Message);
        w.WriteEndObject();
        if (f.Location.File.Length > 0)
        {
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", f.Location.File.Replace('\\', '/'));
            w.WriteEndObject();
            if (f.Location.Line > 0)
            {
                w.WriteStartObject("region");
                w.WriteNumber("startLine", f.Location.Line);
                w.WriteNumber("startColumn", f.Location.Column);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteStartObject("properties");
        JsonArrays.WriteStrings(w, "rules", f.Rules);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
