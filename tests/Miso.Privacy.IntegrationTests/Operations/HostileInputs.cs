using System.Text;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>Bodies no client should send: malformed, truncated, deep, huge, mistyped, duplicated, strange unicode, out-of-range numbers.</summary>
public static class HostileInputs
{
    const string Valid = """{"user_ids": ["hostile-u"], "anonymous_ids": ["hostile-a"], "regulation": "gdpr", "requested_by": "t", "reason": "r", "ticket": "T-1"}""";

    public static IEnumerable<(string Name, byte[] Body)> Bodies()
    {
        // Every truncation of a valid body is malformed JSON.
        for (var cut = 0; cut < Valid.Length - 1; cut += 4)
            yield return ($"truncated at {cut}", Encoding.UTF8.GetBytes(Valid[..cut]));
        yield return ("nested 1000 deep", Encoding.UTF8.GetBytes(new string('[', 1000) + new string(']', 1000)));
        yield return ("object nested 200 deep", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)));
        yield return ("ids nested", Utf8("""{"user_ids": [["a"]], "requested_by": "t"}"""));
        yield return ("huge id", Utf8($$"""{"user_ids": ["{{new string('x', 1_000_000)}}"], "requested_by": "t"}"""));
        yield return ("huge field name", Utf8($$"""{"{{new string('k', 100_000)}}": 1}"""));
        yield return ("many empty ids", Utf8($$"""{"user_ids": [{{string.Join(",", Enumerable.Repeat("\"\"", 20_000))}}], "requested_by": "t"}"""));
        foreach (var (field, value) in WrongTypes())
            yield return ($"{field} as {value}", Utf8($$"""{"user_ids": ["x"], "requested_by": "t", "{{field}}": {{value}}}""".Replace($"\"{field}\": [\"x\"], ", "")));
        foreach (var number in new[] { "1e309", "-1e309", "1e-400", "99999999999999999999999999", "-0", "NaN", "Infinity", "0x10", "01" })
            yield return ($"number {number}", Utf8($$"""{"user_ids": ["x"], "requested_by": "t", "regulation": {{number}}}"""));
        foreach (var (name, text) in Unicode())
            yield return ($"unicode {name}", Utf8($$"""{"user_ids": ["{{text}}"], "requested_by": "{{text}}", "ticket": "{{text}}", "regulation": "nope"}"""));
        yield return ("duplicate requested_by", Utf8("""{"user_ids": ["x"], "requested_by": "a", "requested_by": "b"}"""));
        yield return ("duplicate regulation", Utf8("""{"user_ids": ["x"], "requested_by": "a", "regulation": "gdpr", "regulation": "ccpa"}"""));
        yield return ("escaped duplicate", Utf8("""{"user_ids": ["x"], "requested_by": "a", "requested\u005fby": "b"}"""));
        yield return ("BOM", [0xEF, 0xBB, 0xBF, .. Utf8(Valid.Replace("\"gdpr\"", "\"hipaa\""))]);
        yield return ("invalid UTF-8 bytes", [.. Open, 0xC3, 0x28, .. Close]);
        yield return ("overlong UTF-8", [.. Open, 0xC0, 0xAF, .. Close]);
        yield return ("NUL byte raw", [.. Open, (byte)'a', 0x00, .. Close]);
        yield return ("trailing garbage", Utf8(Valid + "garbage"));
        yield return ("two documents", Utf8(Valid + Valid));
        yield return ("comment", Utf8("/* hi */" + Valid));
        yield return ("single quotes", Utf8(Valid.Replace('"', '\'')));
        yield return ("trailing comma", Utf8("""{"user_ids": ["x",], "requested_by": "t",}"""));
        yield return ("array root", Utf8("[" + Valid + "]"));
        yield return ("string root", Utf8("\"" + new string('s', 1000) + "\""));
        yield return ("whitespace only", Utf8("   \n\t  "));
        yield return ("null root", Utf8("null"));
    }

    static IEnumerable<(string Field, string Value)> WrongTypes()
    {
        string[] fields = ["user_ids", "anonymous_ids", "regulation", "requested_by", "reason", "ticket", "submitted_at", "type"];
        string[] values = ["{}", "[1]", "true", "12", "\"\"", "[null]", "{\"$ref\": \"x\"}"];
        foreach (var field in fields)
            foreach (var value in values.Where(v => !(v == "\"\"" && field is "reason" or "ticket")))
                yield return (field, value);
    }

    static IEnumerable<(string Name, string Text)> Unicode()
    {
        yield return ("lone high surrogate", "\\ud800");
        yield return ("lone low surrogate", "\\udc00");
        yield return ("reversed pair", "\\udc00\\ud800");
        yield return ("escaped NUL", "a\\u0000b");
        yield return ("RTL override", "\u202Eevil");
        yield return ("zero width", "a\u200Bb");
        yield return ("emoji", "\U0001F600");
        yield return ("noncharacter", "\uFFFF");
        yield return ("combining flood", "e" + string.Concat(Enumerable.Repeat("\u0301", 5000)));
        yield return ("control chars", "\\u0001\\u001f");
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    static readonly byte[] Open = Utf8("{\"user_ids\": [\"");
    static readonly byte[] Close = Utf8("\"], \"requested_by\": \"t\"}");
}
