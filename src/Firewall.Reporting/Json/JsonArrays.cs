using System.Text.Json;

namespace Firewall.Reporting.Json;

/// <summary>Arrays every JSON writer of the project writes the same way.</summary>
internal static class JsonArrays
{
    /// <summary>A named array of strings, in the order given.</summary>
    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    /// <summary>A named array of strings, or null when there is none.</summary>
    public static void WriteStringsOrNull(Utf8JsonWriter w, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }
        WriteStrings(w, name, values);
    }
}
