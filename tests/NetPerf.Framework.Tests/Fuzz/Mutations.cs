using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace NetPerf.Tests.Fuzz;

/// <summary>CsCheck generators that damage a real tool output or baseline file the ways a broken run or a bad edit would.</summary>
/// <remarks>
/// One mutant is one to three edits of the original: a truncation, a replaced character, a deleted, duplicated or swapped
/// line, a number replaced by an out-of-range or malformed one (NaN, -1, 1e308, empty, ...), a JSON object or array
/// replaced by a value of another type, inserted garbage, or the
/// whole text replaced by garbage.
/// </remarks>
internal static partial class Mutations
{
    /// <summary>What a number in the text is replaced with: out of range, not finite, malformed, or gone.</summary>
    private static readonly string[] HostileNumbers =
    [
        "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "-1", "-0", "0", "1e308", "-1e308", "1e400", "",
        "99999999999999999999999999999999999999", "9223372036854775807", "9223372036854775808", "4611686018427387904", "2147483648", "99999999999999999", "1.2.3", ".", "0x10", "1,5", "\"7\"",
        "true", "null", "[]", "{}",
    ];

    /// <summary>Characters a flipped byte becomes: structure, quotes, separators, controls, digits and letters.</summary>
    private const string HostileCharacters = "{}[]\":,.-+eE0123456789 \t\r\n\0\\/%=aZ_\u00e9\u2028\ufffd";

    private static readonly Gen<string> Garbage =
        Gen.Char[HostileCharacters].Array[0, 40].Select(chars => new string(chars));

    /// <summary>One mutant of <paramref name="original"/>.</summary>
    public static Gen<string> Of(string original) =>
        Gen.Frequency(
                (20, Edit(original)),
                (10, Edit(original).SelectMany(Edit)),
                (5, Edit(original).SelectMany(Edit).SelectMany(Edit)),
                (1, Gen.Char.Array[0, 300].Select(chars => new string(chars))));

    /// <summary>One edit of <paramref name="text"/>.</summary>
    public static Gen<string> Edit(string text) =>
        Gen.Frequency(
            (3, Truncate(text)),
            (3, FlipCharacter(text)),
            (2, DeleteLine(text)),
            (2, DuplicateLine(text)),
            (1, SwapLines(text)),
            (6, ReplaceNumber(text)),
            (2, ReplaceStructure(text)),
            (2, InsertGarbage(text)));

    private static Gen<string> Truncate(string text) =>
        Gen.Int[0, text.Length].Select(n => text[..n]);

    private static Gen<string> FlipCharacter(string text) =>
        text.Length == 0
            ? Garbage
            : Gen.Select(Gen.Int[0, text.Length - 1], Gen.Char[HostileCharacters], (at, c) => text[..at] + c + text[(at + 1)..]);

    private static Gen<string> DeleteLine(string text) =>
        Lines(text, (lines, i) => lines.RemoveAt(i));

    private static Gen<string> DuplicateLine(string text) =>
        Lines(text, (lines, i) => lines.Insert(i, lines[i]));

    private static Gen<string> SwapLines(string text)
    {
        var count = text.Split('\n').Length;
        return Gen.Int[0, count - 1].SelectMany(other => Lines(text, (lines, i) => (lines[i], lines[other]) = (lines[other], lines[i])));
    }

    private static Gen<string> Lines(string text, Action<List<string>, int> edit)
    {
        var count = text.Split('\n').Length;
        return Gen.Int[0, count - 1].Select(i =>
        {
            var lines = text.Split('\n').ToList();
            edit(lines, i);
            return string.Join('\n', lines);
        });
    }

    private static Gen<string> ReplaceNumber(string text)
    {
        var numbers = NumberToken().Matches(text);
        if (numbers.Count == 0)
            return FlipCharacter(text);
        return Gen.Select(Gen.Int[0, numbers.Count - 1], Gen.Int[0, HostileNumbers.Length - 1].Select(k => HostileNumbers[k]), (i, replacement) =>
        {
            var m = numbers[i];
            return new StringBuilder(text).Remove(m.Index, m.Length).Insert(m.Index, replacement).ToString();
        });
    }

    /// <summary>Replaces an object or array (from a <c>{</c> or <c>[</c> to its match) by a scalar, so a section has the wrong type.</summary>
    private static Gen<string> ReplaceStructure(string text)
    {
        var openers = Enumerable.Range(0, text.Length).Where(i => text[i] is '{' or '[').ToArray();
        if (openers.Length == 0)
            return FlipCharacter(text);
        return Gen.Select(Gen.Int[0, openers.Length - 1], Gen.Int[0, HostileNumbers.Length - 1], (k, r) =>
        {
            int start = openers[k], end = MatchingClose(text, start);
            return end < 0 ? text : text[..start] + HostileNumbers[r] + text[(end + 1)..];
        });
    }

    /// <summary>The index of the bracket that closes the one at <paramref name="open"/>, or -1 (brackets inside strings are skipped).</summary>
    private static int MatchingClose(string text, int open)
    {
        int depth = 0;
        bool inString = false;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    inString = false;
            }
            else if (c == '"')
                inString = true;
            else if (c is '{' or '[')
                depth++;
            else if (c is '}' or ']' && --depth == 0)
                return i;
        }
        return -1;
    }

    private static Gen<string> InsertGarbage(string text) =>
        Gen.Select(Gen.Int[0, text.Length], Garbage, (at, garbage) => text[..at] + garbage + text[at..]);

    [GeneratedRegex(@"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")]
    private static partial Regex NumberToken();
}
