using System.Text.Json.Nodes;
using Miso.Emulator.Examples;
using Miso.Emulator.Faults;
using Miso.Emulator.Inspection;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Inspection;

/// <summary>The call log names every user_id, anonymous_id and user_hash a call carried: how tests prove what Miso saw.</summary>
public sealed class CallIdentifierTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    public static TheoryData<string> Operations => MisoDocument.OperationNames();

    async Task<EmulatorCall> OnlyCallAsync() => Assert.Single(await Inspector.GetCallsAsync());

    static void AssertNamed(EmulatorCall call, string[] userIds, string[] anonymousIds, string[] userHashes)
    {
        Assert.Equal(userIds, call.UserIds);
        Assert.Equal(anonymousIds, call.AnonymousIds);
        Assert.Equal(userHashes, call.UserHashes);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_LogsTheIdsItsBodyAndPathNamed(string name)
    {
        var questionId = await MisoExamples.SeedAsync(Client);
        await Inspector.ResetAsync();
        var (path, body) = MisoExamples.Requests[name];

        (await Client.SendAsync(MisoExamples.Request(name, questionId, Production.SecretKey))).Dispose();

        var call = await OnlyCallAsync();
        var node = body is null ? null : JsonNode.Parse(body);
        var fromPath = path.StartsWith("v1/users/", StringComparison.Ordinal) && !path.EndsWith("_delete", StringComparison.Ordinal) ? [path["v1/users/".Length..]] : Array.Empty<string>();
        Assert.Equal(fromPath.Concat(Find(node, "user_id", "user_ids")), call.UserIds);
        Assert.Equal(Find(node, "anonymous_id"), call.AnonymousIds);
        Assert.Equal(Find(node, "user_hash"), call.UserHashes);
    }

    [Fact]
    public async Task EngineRequest_LogsTopLevelIds_AndThoseOfAdditionalInteractions()
    {
        (await Client.PostAsync("v1/search/search", """
            {"q": "x", "user_id": "u1", "anonymous_id": "a1", "user_hash": "h1",
             "additional_interactions": [{"type": "click", "user_id": "u2", "anonymous_id": "a2"}, {"type": "search", "anonymous_id": "a3"}]}
            """)).Dispose();

        AssertNamed(await OnlyCallAsync(), ["u1", "u2"], ["a1", "a2", "a3"], ["h1"]);
    }

    [Fact]
    public async Task Bulk_LogsTheIdsOfEveryInnerRequest()
    {
        (await Client.PostAsync("v1/bulk", """
            {"requests": [
              {"api_name": "search/search", "body": {"q": "x", "user_id": "u1", "user_hash": "h1"}},
              {"api_name": "recommendation/user_to_products", "body": {"anonymous_id": "a1", "additional_interactions": [{"type": "click", "user_id": "u2"}]}},
              {"api_name": "no/such", "body": {"user_id": "u3"}}
            ]}
            """)).Dispose();

        AssertNamed(await OnlyCallAsync(), ["u1", "u2", "u3"], ["a1"], ["h1"]);
    }

    [Fact]
    public async Task Upload_LogsTheIdsOfEveryRecord_InOrder_WithRepeats()
    {
        (await Client.UploadAsync("""
            {"data": [
              {"type": "click", "user_id": "u1", "anonymous_id": "a1"},
              {"type": "click", "anonymous_id": "a2"},
              {"type": "click", "user_id": "u1"}
            ]}
            """)).Dispose();

        AssertNamed(await OnlyCallAsync(), ["u1", "u1"], ["a1", "a2"], []);
    }

    [Fact]
    public async Task UserRoutes_LogTheUserOfThePath_AndOfTheUserIdQuery()
    {
        (await Client.CallAsync(HttpMethod.Get, "v1/users/u%2F1?userId=u2", null)).Dispose();
        (await Client.CallAsync(HttpMethod.Delete, "v1/users/u3", null)).Dispose();

        var calls = await Inspector.GetCallsAsync();
        Assert.Equal(["u/1", "u2"], calls[0].UserIds);
        Assert.Equal(["u3"], calls[1].UserIds);
    }

    [Theory]
    [InlineData("""{"user_id": 42, "anonymous_id": true, "user_hash": 1.5e3}""", new[] { "42" }, new[] { "true" }, new[] { "1.5e3" })]
    [InlineData("""{"user\u005fid": "\u0075\u0031"}""", new[] { "u1" }, new string[0], new string[0])]
    [InlineData("""{"user_id": ["u1", "u2"], "anonymous_ids": ["a1"], "user_hash": null}""", new[] { "u1", "u2" }, new[] { "a1" }, new string[0])]
    [InlineData("""{"custom_context": {"deep": [{"user_id": "u1"}]}}""", new[] { "u1" }, new string[0], new string[0])]
    [InlineData("""{"user_id": "u1", "anonymous_id": "a1", "q": """, new[] { "u1" }, new[] { "a1" }, new string[0])]
    [InlineData("""not json at all""", new string[0], new string[0], new string[0])]
    public async Task OddBodies_AreLoggedAsMisoWouldReadThem(string body, string[] userIds, string[] anonymousIds, string[] userHashes)
    {
        (await Client.PostAsync("v1/recommendation/user_to_products", body)).Dispose();

        AssertNamed(await OnlyCallAsync(), userIds, anonymousIds, userHashes);
    }

    [Fact]
    public async Task RefusedCalls_AreLoggedWithTheirIds_TooForUnknownKeysForbiddenKeysAndFaults()
    {
        const string body = """{"user_id": "u1", "anonymous_id": "a1", "user_hash": "h1"}""";
        (await Client.PostAsync("v1/recommendation/user_to_products", body, "wrong-key")).Dispose();
        (await Client.PostAsync("v1/recommendation/user_to_products", body, Production.PublishableKey)).Dispose();
        (await Client.CallAsync(HttpMethod.Delete, "v1/users/u1", null, Production.PublishableKey)).Dispose();
        await Inspector.SetFaultsAsync(new FaultSettings { OutageSeconds = 60 });
        (await Client.PostAsync("v1/recommendation/user_to_products", body)).Dispose();

        var calls = await Inspector.GetCallsAsync();
        Assert.Equal([401, 403, 403, 503], calls.Select(c => c.Status));
        Assert.All(calls, c => Assert.Equal(["u1"], c.UserIds));
        Assert.Equal([["a1"], ["a1"], [], ["a1"]], calls.Select(c => c.AnonymousIds));
    }

    [Fact]
    public async Task Names_TellsWhetherACallNamedAnId()
    {
        (await Client.PostAsync("v1/search/search", """{"q": "x", "anonymous_id": "a1", "user_hash": "h1"}""")).Dispose();

        var call = await OnlyCallAsync();
        Assert.True(call.Names("a1"));
        Assert.False(call.Names("h1"));
        Assert.False(call.Names("x"));
    }

    /// <summary>String values of the named properties anywhere in the body, list items included, in document order.</summary>
    static List<string> Find(JsonNode? node, params string[] names)
    {
        var found = new List<string>();
        void Walk(JsonNode? current, bool named)
        {
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                        Walk(value, names.Contains(key));
                    break;
                case JsonArray array:
                    foreach (var item in array)
                        Walk(item, named && item is JsonValue);
                    break;
                case JsonValue value when named:
                    found.Add(value.ToString());
                    break;
            }
        }
        Walk(node, false);
        return found;
    }
}
