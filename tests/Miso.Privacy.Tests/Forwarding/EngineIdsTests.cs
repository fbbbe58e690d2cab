using System.Buffers;
using System.Text;
using System.Text.Json;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.Tests.Forwarding.Uploads;

namespace Miso.Privacy.Tests.Forwarding;

public class EngineIdsTests
{
    [Theory]
    [InlineData("""{"q": "shoe", "user_id": "alice", "user_hash": "h"}""")]
    [InlineData("""{"q": "shoe"}""")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("""{"requests": [{"api_name": "search/search", "body": {"user_id": "alice"}}]}""")]
    public void ARequestNamingNoOneSuppressed_IsLeftAlone(string body)
    {
        var scrub = EngineIds.Scrub(Encoding.UTF8.GetBytes(body), Users("erased"), bulk: true);

        Assert.False(scrub.Malformed);
        Assert.True(scrub.NothingStripped);
        Assert.Null(scrub.Edits);
    }

    [Theory]
    [InlineData("""{"q": "shoe", "user_id": "erased", "anonymous_id": "a1", "user_hash": "h", "rows": 2}""", """{"q": "shoe", "rows": 2}""")]
    [InlineData("""{"user_hash": "h", "user_id": "erased"}""", """{}""")]
    [InlineData("""{ "user_id" : "erased" , "q": "x" }""", """{ "q": "x" }""")]
    [InlineData("""{"q": "x", "user\u005fid": "er\u0061sed"}""", """{"q": "x"}""")]
    [InlineData("""{"user_id": "bob", "q": "x", "user_id": "erased"}""", """{"q": "x"}""")]
    [InlineData("""{"anonymous_id": "gone", "q": "x", "custom_context": {"user_id": "erased"}}""", """{"q": "x", "custom_context": {"user_id": "erased"}}""")]
    [InlineData("""{"user_id": 42, "q": "x"}""", """{"q": "x"}""")]
    public void ARequestNamingASuppressedId_LosesEveryIdOfItsTopLevel_AndKeepsEveryOtherByte(string body, string expected)
    {
        var predicate = Suppressing((SubjectKind.UserId, "erased"), (SubjectKind.AnonymousId, "gone"), (SubjectKind.UserId, "42"));

        Assert.Equal(expected, Scrubbed(body, predicate, bulk: false));
    }

    [Fact]
    public void InABulkCall_OnlyTheInnerBodiesNamingSomeoneSuppressed_AreCut()
    {
        const string body = """
            {"requests": [
              {"api_name": "search/search", "body": {"q": "shoe", "user_id": "erased", "user_hash": "h1"}},
              {"api_name": "recommendation/user_to_products", "body": {"user_id": "bob", "user_hash": "h2"}},
              {"body": {"anonymous_id": "gone"}, "api_name": "search/autocomplete"}
            ]}
            """;

        var scrub = EngineIds.Scrub(Encoding.UTF8.GetBytes(body), Suppressing((SubjectKind.UserId, "erased"), (SubjectKind.AnonymousId, "gone")), bulk: true);

        Assert.Equal(2, scrub.Stripped);
        var forwarded = Scrubbed(body, Suppressing((SubjectKind.UserId, "erased"), (SubjectKind.AnonymousId, "gone")), bulk: true);
        using var document = JsonDocument.Parse(forwarded);
        var requests = document.RootElement.GetProperty("requests");
        Assert.Equal("""{"q": "shoe"}""", requests[0].GetProperty("body").GetRawText());
        Assert.Equal("""{"user_id": "bob", "user_hash": "h2"}""", requests[1].GetProperty("body").GetRawText());
        Assert.Equal("{}", requests[2].GetProperty("body").GetRawText());
    }

    [Fact]
    public void OutsideABulkCall_RequestsIsJustAField()
    {
        const string body = """{"requests": [{"body": {"user_id": "erased"}}]}""";

        Assert.True(EngineIds.Scrub(Encoding.UTF8.GetBytes(body), Users("erased"), bulk: false).NothingStripped);
    }

    [Theory]
    [InlineData("""{"user_id": "erased" """)]
    [InlineData("""{"user_id": NaN}""")]
    [InlineData("""{"q": 1} {"user_id": "erased"}""")]
    [InlineData("""{"user_id": "\ud800"}""")]
    public void ABodyThatIsNotJson_IsMalformed(string body)
    {
        Assert.True(EngineIds.Scrub(Encoding.UTF8.GetBytes(body), Users("erased"), bulk: false).Malformed);
    }

    [Fact]
    public void InvalidUtf8_IsMalformed()
    {
        byte[] body = [.. """{"user_id": "a"""u8, 0xC3, .. "\"}"u8];

        Assert.True(EngineIds.Scrub(body, Nobody, bulk: false).Malformed);
    }

    [Theory]
    [InlineData("""{"q": "x", "user_id": "erased"}""", """{"q": "x", "user_id": "anonymised"}""")]
    [InlineData("""{"user_id": "erased", "anonymous_id": "a", "user_hash": "wrong"}""",
        """{"user_id": "anonymised", "anonymous_id": "anonymised", "user_hash": "0000000000000000000000000000000000000000000000000000000000000000"}""")]
    [InlineData("""{"anonymous_id": "gone", "user_hash": "wrong"}""",
        """{"anonymous_id": "anonymised", "user_hash": "0000000000000000000000000000000000000000000000000000000000000000"}""")]
    [InlineData("""{"q": "x", "user_id": "erased", "user_hash": "proof-of-erased"}""", """{"q": "x"}""")]
    [InlineData("""{"q": "x", "anonymous_id": "gone"}""", """{"q": "x"}""")]
    public void WithMisosHashRule_ARequestMisoWouldRefuse_KeepsItsShapeWithoutTheIds(string body, string expected)
    {
        HashProof proof = (id, hash) => hash == "proof-of-" + id;

        Assert.Equal(expected, Scrubbed(body, Suppressing((SubjectKind.UserId, "erased"), (SubjectKind.AnonymousId, "gone")), bulk: false, proof));
    }

    static string Scrubbed(string body, SubjectPredicate predicate, bool bulk, HashProof? proof = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var scrub = EngineIds.Scrub(bytes, predicate, bulk, proof);
        Assert.False(scrub.Malformed);
        var output = new ArrayBufferWriter<byte>();
        scrub.Apply(bytes, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
