using System.Text;
using System.Text.Json;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.Tests.Forwarding.Uploads;

namespace Miso.Privacy.Tests.Forwarding;

/// <summary>What is cut from a body when records are dropped, and what is left exactly as sent.</summary>
public class ForwardBodyTests
{
    const string A = """{"user_id":"a"}""";
    const string B = """{"user_id":"b","n":[1,2]}""";
    const string C = """{"anonymous_id":"c"}""";

    static string Body(string separator) => "{\"data\":[" + A + separator + B + separator + C + "]}";

    [Theory]
    [InlineData(new[] { "a" }, """{"data":[{"user_id":"b","n":[1,2]}, {"anonymous_id":"c"}]}""", new[] { 1, 2 })]
    [InlineData(new[] { "b" }, """{"data":[{"user_id":"a"}, {"anonymous_id":"c"}]}""", new[] { 0, 2 })]
    [InlineData(new[] { "c" }, """{"data":[{"user_id":"a"}, {"user_id":"b","n":[1,2]}]}""", new[] { 0, 1 })]
    [InlineData(new[] { "a", "b" }, """{"data":[{"anonymous_id":"c"}]}""", new[] { 2 })]
    [InlineData(new[] { "a", "c" }, """{"data":[{"user_id":"b","n":[1,2]}]}""", new[] { 1 })]
    [InlineData(new[] { "b", "c" }, """{"data":[{"user_id":"a"}]}""", new[] { 0 })]
    [InlineData(new[] { "a", "b", "c" }, """{"data":[]}""", new int[0])]
    public void WriteForwardBody_CutsDroppedRecords_WithTheirSeparators(string[] suppressed, string expected, int[] kept)
    {
        var predicate = Suppressing([.. suppressed.SelectMany(id => new[] { (SubjectKind.UserId, id), (SubjectKind.AnonymousId, id) })]);
        var result = Filter(Body(", "), predicate);

        Assert.Equal(3, result.Received);
        Assert.Equal(suppressed.Length, result.Dropped);
        Assert.Equal(kept, result.KeptOriginalIndexes);
        Assert.Equal(expected, Forwarded(result));
    }

    [Fact]
    public void WriteForwardBody_PreservesWhitespace_AroundKeptRecordsAndTheEnvelope()
    {
        var body = "\n{ \"data\" :\t[\n  " + A + " ,\n  " + B + "\r\n ,  " + C + "\n ]\n}\n";
        var result = Filter(body, Users("b"));

        Assert.Equal("\n{ \"data\" :\t[\n  " + A + "\r\n ,  " + C + "\n ]\n}\n", Forwarded(result));
    }

    [Theory]
    [InlineData("[ ", " ]")]
    [InlineData("[\n", "\n]")]
    [InlineData("[", "]")]
    public void WriteForwardBody_LeavesAnEmptyList_WhenEverythingIsDropped(string open, string close)
    {
        var body = "{\"data\":" + open + A + " , " + B + close + "}";
        var result = Filter(body, (_, _) => true);

        Assert.Equal(2, result.Dropped);
        Assert.Equal(result.Received, result.Dropped);
        var forwarded = Forwarded(result);
        Assert.Equal("{\"data\":" + open + close + "}", forwarded);
        using var document = JsonDocument.Parse(forwarded);
        Assert.Equal(0, document.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void WriteForwardBody_KeepsOtherTopLevelProperties_AsSent()
    {
        var body = """{"meta":{"user_id":"b","data":[1]},"data":[{"user_id":"a"},{"user_id":"b"}],"trailer":"x\u0041"}""";
        var result = Filter(body, Users("b"));

        Assert.Equal("""{"meta":{"user_id":"b","data":[1]},"data":[{"user_id":"a"}],"trailer":"x\u0041"}""", Forwarded(result));
    }

    [Fact]
    public void WriteForwardBody_ForwardsExactlyTheKeptRecordsVerbatim_ForRandomUploads()
    {
        var random = new Random(2024);
        for (var round = 0; round < 50; round++)
        {
            var count = random.Next(0, 40);
            var shapes = Enumerable.Range(0, count).Select(_ => random.Next(4)).ToArray();
            var records = shapes.Select((shape, i) => shape switch
            {
                0 => $$$"""{"user_id":"u{{{i}}}","type":"search","search":{"keywords":"k{{{i}}}"}}""",
                1 => $$$"""{ "type" : "add_to_cart", "anonymous_id" : "a{{{i}}}", "context": {"user_id": "z{{{i}}}"} }""",
                2 => $$$"""{"type":"search","context":{"user_id":"u{{{i}}}","anonymous_id":"a{{{i}}}"}}""",
                _ => i.ToString(),
            }).ToArray();
            var separators = records.Select(_ => random.Next(3) switch { 0 => ",", 1 => " , ", _ => ",\n  " }).ToArray();
            var body = "{ \"before\": 1, \"data\": [ " + string.Concat(records.Select((r, i) => (i == 0 ? "" : separators[i]) + r)) + " ], \"after\": [] }";
            var suppressed = Enumerable.Range(0, count).Where(_ => random.Next(4) == 0).ToHashSet();
            var predicate = new SubjectPredicate((kind, value) =>
            {
                var text = Encoding.UTF8.GetString(value);
                var expectedPrefix = kind == SubjectKind.UserId ? 'u' : 'a';
                return text[0] == expectedPrefix && suppressed.Contains(int.Parse(text.AsSpan(1)));
            });

            var result = Filter(body, predicate);

            var expectedKept = Enumerable.Range(0, count).Where(i => !(suppressed.Contains(i) && shapes[i] <= 1)).ToArray();
            Assert.Equal(count, result.Received);
            Assert.Equal(expectedKept, result.KeptOriginalIndexes);

            using var document = JsonDocument.Parse(Forwarded(result));
            var data = document.RootElement.GetProperty("data");
            Assert.Equal(expectedKept.Length, data.GetArrayLength());
            for (var k = 0; k < expectedKept.Length; k++)
                Assert.Equal(records[expectedKept[k]], data[k].GetRawText());
            Assert.Equal(1, document.RootElement.GetProperty("before").GetInt32());
            Assert.Equal(0, document.RootElement.GetProperty("after").GetArrayLength());
        }
    }
}
