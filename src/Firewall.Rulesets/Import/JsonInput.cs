using System.Globalization;
using System.Text.Json;

namespace Firewall.Rulesets.Import;

/// <summary>
/// Reading JSON whose shape is someone else's (AWS CLI, Terraform): every accessor takes the path of the
/// object for messages, and a value of the wrong kind is one error note, never an exception.
/// </summary>
internal static class JsonInput
{
    public const int MaxChars = Aws.ImportFile.MaxChars;

    public static JsonDocument? Parse(string text, string file, ImportNotes notes)
    {
        if (text.Length > MaxChars)
        {
            notes.Error(file, $"the file is larger than {MaxChars / (1024 * 1024)} MiB; not read");
            return null;
        }
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"{file}:{line + 1}:{(ex.BytePositionInLine ?? 0) + 1}" : file;
            notes.Error(where, $"not valid JSON: {FirstSentence(ex.Message)}");
            return null;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }

    /// <summary>The elements of the array property <paramref name="name"/>, each with its path; none when absent or null.</summary>
    public static IEnumerable<(JsonElement Item, string Path)> Array(JsonElement obj, string name, string path, ImportNotes notes)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            notes.Error(path.EndsWith(':') ? $"{path} {name}" : $"{path}.{name}", $"expected an array, found {Kind(value)}");
            yield break;
        }
        // A path ending in ':' is a file name: "FILE: Name[0]", else "Outer[2].Name[0]".
        var prefix = path.EndsWith(':') ? $"{path} {name}" : $"{path}.{name}";
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            yield return (item, $"{prefix}[{i++}]");
        }
    }

    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static JsonElement? Object(JsonElement obj, string name, string path, ImportNotes notes)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            notes.Error($"{path}.{name}", $"expected an object, found {Kind(value)}");
            return null;
        }
        return value;
    }

    public static string? String(JsonElement obj, string name, string path, ImportNotes notes)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                notes.Error($"{path}.{name}", $"expected a string, found {Kind(value)}");
                return null;
        }
    }

    /// <summary>A whole number written as a JSON number or as a numeric string (the API does both).</summary>
    public static long? Long(JsonElement obj, string name, string path, ImportNotes notes)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            return n;
        }
        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        notes.Error($"{path}.{name}", $"expected a whole number, found {Kind(value)} {Shorten(value.GetRawText())}");
        return null;
    }

    public static bool? Bool(JsonElement obj, string name, string path, ImportNotes notes)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        notes.Error($"{path}.{name}", $"expected true or false, found {Kind(value)}");
        return null;
    }

    /// <summary>The value of the tag with key <paramref name="key"/> in an AWS tag list (<c>[{Key, Value}]</c>).</summary>
    public static string? Tag(JsonElement obj, string listName, string key, string path, ImportNotes notes)
    {
        foreach (var (tag, tagPath) in Array(obj, listName, path, notes))
        {
            if (String(tag, "Key", tagPath, notes) == key)
            {
                return String(tag, "Value", tagPath, notes);
            }
        }
        return null;
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
