using System.Text;

namespace NetPerf.Reports;

/// <summary>Escapes text for GitHub-flavoured markdown tables and paragraphs.</summary>
/// <remarks>
/// Text from results (scenario, cell, axis and metric names, messages) can hold any character. A <c>|</c> would end
/// a table cell and <c>&lt;</c> would open raw HTML (GitHub renders HTML in step summaries), so both are escaped,
/// as are the characters that start links, emphasis and code. Line breaks become spaces so a row stays one line.
/// </remarks>
internal static class MarkdownText
{
    /// <summary>Escapes <paramref name="text"/> for use inside a table cell or a paragraph.</summary>
    /// <param name="text">Any text.</param>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\' or '|' or '`' or '*' or '[' or ']' or '#':
                    sb.Append('\\').Append(c);
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '\r':
                    break;
                case '\n' or '\t' or '\u2028' or '\u2029':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes a table row: <c>| a | b |</c>, each cell escaped.</summary>
    /// <param name="cells">The cells' text, unescaped.</param>
    public static string Row(IEnumerable<string?> cells) => "| " + string.Join(" | ", cells.Select(Escape)) + " |";

    /// <summary>Writes a table's header and its separator line.</summary>
    /// <param name="headers">The column headers.</param>
    /// <param name="rightAligned">Indexes of the columns to align right (numbers).</param>
    public static string Header(IReadOnlyList<string> headers, params int[] rightAligned) =>
        Row(headers) + "\n|" + string.Concat(headers.Select((_, i) => rightAligned.Contains(i) ? " ---: |" : " --- |"));
}
