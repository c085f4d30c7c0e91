namespace Firewall.Reporting.Decode;

public enum DecodeFormat
{
    /// <summary>Comma-separated, with a header line; an empty field where a column does not apply.</summary>
    Csv,

    /// <summary>One JSON object per line; null where a column does not apply.</summary>
    Jsonl,
}
