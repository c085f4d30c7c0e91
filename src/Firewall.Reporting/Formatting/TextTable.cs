namespace Firewall.Reporting.Formatting;

/// <summary>
/// Aligned columns for text reports: each column as wide as its widest cell, numbers right-aligned,
/// text left-aligned, two spaces between columns, the last column never padded. Widths count visible
/// characters: a cell painted by <see cref="TextPalette"/> lines up with the same cell unpainted.
/// </summary>
public sealed class TextTable
{
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <param name="rightAligned">One entry per column: true for numeric columns.</param>
    public TextTable(params bool[] rightAligned) => _rightAligned = rightAligned;

    public int Count => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != _rightAligned.Length)
        {
            throw new ArgumentException($"expected {_rightAligned.Length} cells, got {cells.Length}", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer, string indent)
    {
        var widths = new int[_rightAligned.Length];
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], TextPalette.VisibleLength(row[i]));
            }
        }
        var last = widths.Length - 1;
        while (last > 0 && widths[last] == 0)
        {
            last--;
        }
        foreach (var row in _rows)
        {
            var line = new System.Text.StringBuilder(indent);
            for (var i = 0; i <= last; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }
                var cell = row[i];
                var padding = widths[i] - TextPalette.VisibleLength(cell);
                if (_rightAligned[i])
                {
                    line.Append(' ', padding).Append(cell);
                }
                else
                {
                    line.Append(cell);
                    if (i != last)
                    {
                        line.Append(' ', padding);
                    }
                }
            }
            writer.Write(line.ToString().TrimEnd());
            writer.Write('\n');
        }
    }
}
