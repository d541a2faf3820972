using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetPerf.Baselines;

/// <summary>A position in a parsed JSON document that knows its JSON path, so every error can say where it is.</summary>
internal sealed partial class JsonCursor(JsonElement element, string path, string filePath)
{
    public JsonElement Element { get; } = element;

    public string Path { get; } = path;

    public BaselineFormatException Error(string problem) => new(filePath, Path, problem);

    public JsonCursor Property(string name)
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        if (!obj.Element.TryGetProperty(name, out var child))
            throw new BaselineFormatException(filePath, ChildPath(name), "the required property is missing.");
        return new JsonCursor(child, ChildPath(name), filePath);
    }

    /// <summary>The property <paramref name="name"/>, or <see langword="null"/> when the object does not have it (a field added in a later version of the format).</summary>
    public JsonCursor? OptionalProperty(string name)
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        return obj.Element.TryGetProperty(name, out var child) ? new JsonCursor(child, ChildPath(name), filePath) : null;
    }

    public IEnumerable<(string Name, JsonCursor Value)> Properties()
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.Element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                throw new BaselineFormatException(filePath, ChildPath(property.Name), "the property appears twice.");
            yield return (property.Name, new JsonCursor(property.Value, ChildPath(property.Name), filePath));
        }
    }

    public IEnumerable<JsonCursor> Items()
    {
        var array = Expect(JsonValueKind.Array, "an array");
        int index = 0;
        foreach (var item in array.Element.EnumerateArray())
            yield return new JsonCursor(item, $"{Path}[{index++}]", filePath);
    }

    /// <summary>Rejects properties this version does not know, which are usually typos in hand edits.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var (name, value) in Properties())
        {
            if (Array.IndexOf(known, name) < 0)
                throw value.Error($"unknown property; expected only {string.Join(", ", known.Select(k => $"'{k}'"))}.");
        }
    }

    public bool IsNull => Element.ValueKind == JsonValueKind.Null;

    public string String()
    {
        var value = Expect(JsonValueKind.String, "a string").Element.GetString()!;
        return string.IsNullOrWhiteSpace(value) ? throw Error("expected a non-empty string, found an empty one.") : value;
    }

    public string? NullableString() => IsNull ? null : String();

    public double Number()
    {
        var value = Expect(JsonValueKind.Number, "a number").Element;
        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
            throw Error($"the number '{value.GetRawText()}' is out of range.");
        return number;
    }

    public double? NullableNumber() => IsNull ? null : Number();

    public int Int32()
    {
        var value = Expect(JsonValueKind.Number, "an integer").Element;
        return value.TryGetInt32(out var number) ? number : throw Error($"expected an integer, found '{value.GetRawText()}'.");
    }

    private JsonCursor Expect(JsonValueKind kind, string description) =>
        Element.ValueKind == kind ? this : throw Error($"expected {description}, found {Describe(Element)}.");

    private string ChildPath(string name) => Child(Path, name);

    /// <summary>The path of property <paramref name="name"/> under <paramref name="path"/>: dotted for identifiers, bracketed otherwise.</summary>
    public static string Child(string path, string name) =>
        Identifier().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {element.GetRawText()}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
