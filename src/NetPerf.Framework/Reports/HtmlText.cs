using System.Text;

namespace NetPerf.Reports;

/// <summary>Escapes text for HTML and for JSON embedded in a <c>&lt;script&gt;</c> element.</summary>
internal static class HtmlText
{
    /// <summary>Escapes <c>&amp; &lt; &gt; " '</c> so the text is inert in element content and in quoted attributes; U+2028 and U+2029 become character references too, so the page holds them nowhere raw.</summary>
    /// <param name="text">Any text.</param>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\u2028' => "&#x2028;",
                '\u2029' => "&#x2029;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>Makes JSON text safe inside a <c>&lt;script&gt;</c> element.</summary>
    /// <remarks>
    /// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> become <c>\u003C</c>, <c>\u003E</c> and <c>\u0026</c>, so neither
    /// <c>&lt;/script&gt;</c> nor <c>&lt;!--</c> can appear and end or confuse the element; U+2028 and U+2029 become
    /// <c>\u2028</c> and <c>\u2029</c>, which older JavaScript parsers read as line ends. These characters can occur in
    /// JSON only inside strings, where the escapes mean the same characters, so the JSON's value is unchanged.
    /// </remarks>
    /// <param name="json">Valid JSON text.</param>
    public static string EscapeScriptJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var sb = new StringBuilder(json.Length + 16);
        foreach (char c in json)
        {
            switch (c)
            {
                case '<': sb.Append("\\u003C"); break;
                case '>': sb.Append("\\u003E"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
