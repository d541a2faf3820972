using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetPerf.Testbeds.Engine;

/// <summary>Reads the engine's message out of an error response body.</summary>
internal static class EngineErrorBody
{
    /// <summary>Longest raw (non-JSON) body quoted in a message, in characters.</summary>
    private const int MaxRawLength = 2000;

    /// <summary>
    /// Returns <c>message</c> from a body like <c>{"message":"No such image: x"}</c>; any other body is
    /// returned trimmed (shortened when long), and an empty body gets a placeholder naming the status.
    /// </summary>
    public static string Parse(string? body, int statusCode)
    {
        string text = (body ?? "").Trim();
        if (text.Length == 0)
        {
            return $"the engine sent HTTP {statusCode} with an empty body";
        }

        if (text.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject obj
                    && obj["message"] is JsonValue value
                    && value.TryGetValue(out string? message)
                    && !string.IsNullOrWhiteSpace(message))
                {
                    return message.Trim();
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through and quote the raw text.
            }
        }

        return text.Length <= MaxRawLength ? text : text[..MaxRawLength] + "...";
    }
}
