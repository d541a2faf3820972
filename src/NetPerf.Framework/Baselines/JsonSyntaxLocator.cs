using System.Text;
using System.Text.Json;

namespace NetPerf.Baselines;

/// <summary>Finds the JSON path of the last value read before a syntax error, which a parse exception does not give.</summary>
internal static class JsonSyntaxLocator
{
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Name { get; set; }
    }

    /// <summary>The path of the last value that was read in full or begun, <c>$</c> when the error is at the top.</summary>
    public static string PathBeforeError(string json)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Name = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The frames now describe where reading stopped.
        }

        var path = "$";
        foreach (var frame in frames)
        {
            if (frame.IsArray && frame.Index >= 0)
                path += $"[{frame.Index}]";
            else if (!frame.IsArray && frame.Name is not null)
                path = JsonCursor.Child(path, frame.Name);
            else
                break;
        }
        return path;
    }

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
            frames[^1].Index++;
    }
}
