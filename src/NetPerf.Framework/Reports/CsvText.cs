using System.Text;

namespace NetPerf.Reports;

/// <summary>Writes CSV fields and records as RFC 4180 describes them.</summary>
internal static class CsvText
{
    /// <summary>Quotes <paramref name="field"/> when it holds a comma, a double quote, CR or LF (doubling each quote); otherwise returns it unchanged.</summary>
    /// <param name="field">The field's text; null is written as an empty field.</param>
    public static string Field(string? field)
    {
        if (string.IsNullOrEmpty(field))
            return "";
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Writes one record ending with CRLF, as RFC 4180 asks.</summary>
    /// <param name="builder">Where to write.</param>
    /// <param name="fields">The fields, unquoted.</param>
    public static void AppendRecord(StringBuilder builder, IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fields);
        builder.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }
}
