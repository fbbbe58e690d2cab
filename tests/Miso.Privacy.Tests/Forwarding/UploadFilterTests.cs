using System.Text;
using System.Text.Json;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.Tests.Forwarding.Uploads;

namespace Miso.Privacy.Tests.Forwarding;

public class UploadFilterTests
{
    [Fact]
    public void Filter_ForwardsTheSeedByteForByte_WhenNobodyIsSuppressed()
    {
        var body = Encoding.UTF8.GetBytes(Seed);
        var result = UploadFilter.Filter(body, Users("someone-else"));

        Assert.Null(result.Error);
        Assert.Equal(2, result.Received);
        Assert.True(result.NothingDropped);
        Assert.Equal([0, 1], result.KeptOriginalIndexes);
        Assert.Equal(body, ForwardedBytes(result));
    }

    [Fact]
    public void Filter_LeavesOnlyTheOtherRecordVerbatim_WhenAUserIsSuppressed()
    {
        var result = Filter(Seed, Users("5b09700"));

        Assert.Null(result.Error);
        Assert.Equal(2, result.Received);
        Assert.Equal(1, result.Dropped);
        Assert.Equal([0], result.KeptOriginalIndexes);
        var forwarded = Forwarded(result);
        Assert.Equal("{\"data\": [" + SearchRecord + "]}", forwarded);
        using var document = JsonDocument.Parse(forwarded);
        Assert.Equal(SearchRecord, document.RootElement.GetProperty("data")[0].GetRawText());
    }

    [Fact]
    public void Filter_DropsTheRecordOfASuppressedAnonymousId_WhateverItsUserId()
    {
        var result = Filter(Seed, Suppressing((SubjectKind.AnonymousId, "86D51273AD8BF84217E1567B6CBE7152D7034404")));
        Assert.Equal(1, result.Dropped);
        Assert.Equal([0], result.KeptOriginalIndexes);
    }

    [Fact]
    public void Filter_DropsNothing_WhenTheTextIsSuppressedUnderTheOtherKind()
    {
        var result = Filter(Seed, Suppressing((SubjectKind.UserId, "86D51273AD8BF84217E1567B6CBE7152D7034404"), (SubjectKind.AnonymousId, "f5df9ef")));
        Assert.True(result.NothingDropped);
    }

    [Fact]
    public void Filter_JudgesEscapedIds_ByTheirDecodedText()
    {
        var seen = new List<string>();
        var result = Filter("""{"data":[{"user_id":"\u0035b09700"},{"user_id":"f5df9ef"}]}""", (kind, value) =>
        {
            seen.Add(Encoding.UTF8.GetString(value));
            return value.SequenceEqual("5b09700"u8);
        });

        Assert.Equal(["5b09700", "f5df9ef"], seen);
        Assert.Equal(1, result.Dropped);
        Assert.Equal("""{"data":[{"user_id":"f5df9ef"}]}""", Forwarded(result));
    }

    [Fact]
    public void Filter_DecodesEscapedIds_LongerThanTheStackScratch()
    {
        var id = new string('x', 2_000) + "é";
        var escaped = string.Concat(id.Select(c => $"\\u{(int)c:x4}"));
        var result = Filter($$"""{"data":[{"user_id":"{{escaped}}"}]}""", Users(id));
        Assert.Equal(1, result.Dropped);
    }

    [Theory]
    [InlineData("""{"user\u005fid":"5b09700"}""")]
    [InlineData("""{"\u0075ser_id":"5b09700"}""")]
    [InlineData("""{"anonymous\u005Fid":"86D51273AD8BF84217E1567B6CBE7152D7034404"}""")]
    public void Filter_RecognisesEscapedPropertyNames(string record)
    {
        var predicate = Suppressing((SubjectKind.UserId, "5b09700"), (SubjectKind.AnonymousId, "86D51273AD8BF84217E1567B6CBE7152D7034404"));
        var result = Filter($$"""{"data":[{{record}}]}""", predicate);
        Assert.Equal(1, result.Dropped);
    }

    [Theory]
    [InlineData("""{"user_id":"f5df9ef","user_id":"5b09700"}""")]
    [InlineData("""{"user_id":"5b09700","user_id":"f5df9ef"}""")]
    [InlineData("""{"user_id":"f5df9ef","type":"search","user\u005fid":"5b09700"}""")]
    public void Filter_JudgesEveryValue_OfARepeatedIdKey(string record)
    {
        var result = Filter($$"""{"data":[{{record}}]}""", Users("5b09700"));
        Assert.Equal(1, result.Dropped);
    }

    [Fact]
    public void Filter_IgnoresIds_NestedBelowTheTopLevelOfARecord()
    {
        var calls = 0;
        var body = """{"data":[{"type":"search","context":{"user_id":"5b09700","custom_context":{"user_id":"5b09700"}},"list":[{"anonymous_id":"x"}],"user_ids":["5b09700"]}]}""";
        var result = Filter(body, (_, _) => { calls++; return true; });

        Assert.Equal(0, calls);
        Assert.True(result.NothingDropped);
        Assert.Equal(body, Forwarded(result));
    }

    [Theory]
    [InlineData("""{"user_id":5}""")]
    [InlineData("""{"user_id":null}""")]
    [InlineData("""{"user_id":true}""")]
    [InlineData("""{"user_id":{"id":"5b09700"}}""")]
    [InlineData("""{"anonymous_id":["5b09700"]}""")]
    public void Filter_IgnoresIds_ThatAreNotStrings(string record)
    {
        var result = Filter($$"""{"data":[{{record}}]}""", (_, _) => true);
        Assert.True(result.NothingDropped);
        Assert.Equal(1, result.Received);
    }

    [Fact]
    public void Filter_KeepsElementsThatAreNotObjects_ForMisoToJudge()
    {
        var result = Filter("""{"data":[1, "5b09700", null, ["user_id", "5b09700"], {"user_id":"5b09700"}, true]}""", (_, _) => true);

        Assert.Null(result.Error);
        Assert.Equal(6, result.Received);
        Assert.Equal(1, result.Dropped);
        Assert.Equal([0, 1, 2, 3, 5], result.KeptOriginalIndexes);
        Assert.Equal("""{"data":[1, "5b09700", null, ["user_id", "5b09700"], true]}""", Forwarded(result));
    }

    [Theory]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{ "data" : [ ] }""")]
    public void Filter_ForwardsEmptyDataAsIs(string body)
    {
        var result = Filter(body, (_, _) => true);
        Assert.Null(result.Error);
        Assert.Equal(0, result.Received);
        Assert.Empty(result.KeptOriginalIndexes);
        Assert.Equal(body, Forwarded(result));
    }

    [Theory]
    [InlineData("{}", "data is invalid. The attribute is required.")]
    [InlineData("""{"Data":[]}""", "data is invalid. The attribute is required.")]
    [InlineData("""{"context":{"data":[]}}""", "data is invalid. The attribute is required.")]
    [InlineData("""{"data":{}}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'object' was given.")]
    [InlineData("""{"data":"x"}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'string' was given.")]
    [InlineData("""{"data":1}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'integer' was given.")]
    [InlineData("""{"data":1.5}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'number' was given.")]
    [InlineData("""{"data":null}""", "data is invalid. The attribute was expected to be of type ''array'' but type 'null' was given.")]
    [InlineData("""[{"user_id":"x"}]""", "data is invalid. The request body should be an object with a 'data' list but type 'array' was given.")]
    [InlineData("\"data\"", "data is invalid. The request body should be an object with a 'data' list but type 'string' was given.")]
    [InlineData("""{"data":[],"data":[]}""", "data is invalid. The attribute is given more than once.")]
    [InlineData("""{"data":[],"d\u0061ta":[{"user_id":"x"}]}""", "data is invalid. The attribute is given more than once.")]
    public void Filter_Returns422_ForBodiesThatAreNotAnUpload(string body, string message)
    {
        var result = Filter(body, Nobody);
        Assert.Equal(new UploadFilterError(422, message), result.Error);
        Assert.Equal(0, result.Received);
        Assert.Throws<InvalidOperationException>(() => ForwardedBytes(result));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"data":[{"user_id":"5b09700"}""")]
    [InlineData("""{"data":[{"user_id":"5b09""")]
    [InlineData("""{"data":[]} x""")]
    [InlineData("""{"data":[]}{}""")]
    [InlineData("""{"data":[1,]}""")]
    [InlineData("""{"data":[] /* comment */}""")]
    [InlineData("""{data:[]}""")]
    [InlineData("""{"data":[{"user_id":'x'}]}""")]
    [InlineData("""{"data":[{"user_id":"\ud800"}]}""")]
    [InlineData("""{"data":{}""")]
    [InlineData("""[1,""")]
    public void Filter_Returns400_ForMalformedJson(string body)
    {
        var result = Filter(body, Nobody);
        Assert.NotNull(result.Error);
        Assert.Equal(400, result.Error.StatusCode);
        Assert.StartsWith("Request body is not valid JSON. ", result.Error.Message);
    }

    [Fact]
    public void Filter_Returns400_WhenMalformedJsonAlsoHasTheWrongShape()
    {
        Assert.Equal(400, Filter("""{"data":5""", Nobody).Error?.StatusCode);
        Assert.Equal(400, Filter("""{"other":1}}""", Nobody).Error?.StatusCode);
    }

    [Fact]
    public void Filter_AcceptsALoneSurrogate_OutsideAnId()
    {
        var result = Filter("""{"data":[{"user_id":"a","title":"\ud83d"}]}""", Nobody);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Filter_Returns400_ForInvalidUtf8WhereverItIs(byte[] bad)
    {
        foreach (var (before, after) in new[] { ("""{"data":[{"user_id":"5b""", "\"}]}"), ("""{"data":[{"title":"x""", "\"}]}"), ("{\"a\":\"", "\",\"data\":[]}") })
        {
            var body = Encoding.UTF8.GetBytes(before).Concat(bad).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
            var result = UploadFilter.Filter(body, Nobody);
            Assert.Equal(400, result.Error?.StatusCode);
        }
    }

    [Fact]
    public void Filter_Returns400_ForNestingBeyond64Levels()
    {
        static string Nested(int depth) => "{\"data\":[" + new string('[', depth - 2) + new string(']', depth - 2) + "]}";

        var deepest = Filter(Nested(64), Nobody);
        Assert.Null(deepest.Error);
        Assert.Equal(1, deepest.Received);

        var tooDeep = Filter(Nested(65), Nobody);
        Assert.Equal(400, tooDeep.Error?.StatusCode);
        Assert.Contains("depth", tooDeep.Error?.Message);

        var record = Filter("{\"data\":[{\"context\":" + new string('[', 70) + new string(']', 70) + "}]}", (_, _) => true);
        Assert.Equal(400, record.Error?.StatusCode);
    }

    [Fact]
    public void Filter_LetsAThrowingPredicateThrow_InsteadOfCallingTheBodyBad()
    {
        Assert.Throws<ObjectDisposedException>(() => Filter(Seed, (_, _) => throw new ObjectDisposedException("hasher")));
    }

    [Fact]
    public void Filter_AllocatesNothing_PerRecord()
    {
        var records = Enumerable.Range(0, 1_000).Select(i => i % 2 == 0 ? SearchRecord : PageViewRecord.Replace("5b09700", "\\u0035b09700"));
        var body = Encoding.UTF8.GetBytes("{\"data\": [" + string.Join(",", records) + "]}");
        var output = new System.Buffers.ArrayBufferWriter<byte>(body.Length);
        SubjectPredicate predicate = (_, value) => value.Length == 0;

        void Run()
        {
            output.ResetWrittenCount();
            UploadFilter.Filter(body, predicate).WriteForwardBody(output);
        }
        // The least of several runs: a per-record allocation shows in every run, while the runtime's own
        // one-off costs (tier-up, a pool refilling its thread cache) land in one of them at random.
        var allocated = long.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Run();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(body, output.WrittenSpan.ToArray());
        Assert.True(allocated < 1_000, $"{allocated} bytes for 1,000 records");
    }
}
