using System.Net;
using System.Text.Json;
using Miso.Emulator.Examples;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.OpenApi;

/// <summary>Every path and method of Miso's OpenAPI document (the repository's copy), called on the emulator.</summary>
public sealed class OpenApiWalkTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    public static TheoryData<string> Operations => MisoDocument.OperationNames();

    [Fact]
    public void Samples_CoverEveryOperationOfTheDocument_AndNothingElse()
    {
        var documented = MisoDocument.Operations().Select(o => o.ToString()).Order().ToList();

        Assert.Equal(23, MisoDocument.Operations().Select(o => o.Path).Distinct().Count());
        Assert.Equal(documented, MisoExamples.Requests.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_Answers200_WithABodyOfItsDocumentedSchema(string name)
    {
        var operation = MisoDocument.Operation(name);
        var questionId = await MisoExamples.SeedAsync(Client);

        using var response = await Client.SendAsync(MisoExamples.Request(name, questionId, Production.SecretKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var schema = Assert.IsType<string>(operation.ResponseSchemas["200"]);
        Assert.Empty(MisoDocument.Check(schema, await response.JsonAsync()));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_AnswersByteForByteTheSame_WhenTheSameCallMeetsTheSameState(string name)
    {
        var first = await CallOnFreshStateAsync(name);
        var second = await CallOnFreshStateAsync(name);

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_AnswersADocumented422_WhenTheBodyIsNotAnObject(string name)
    {
        if (MisoExamples.Requests[name].Body is null)
            return;
        var operation = MisoDocument.Operation(name);
        var path = MisoExamples.Requests[name].Path;

        using var response = await Client.CallAsync(new HttpMethod(operation.Method), path, "[1]");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("422", operation.ResponseSchemas.Keys);
        if (operation.ResponseSchemas["422"] is { } schema)
            Assert.Empty(MisoDocument.Check(schema, await response.JsonAsync()));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_Answers401_WhenTheKeyIsUnknown_AndChangesNothing(string name)
    {
        var questionId = await MisoExamples.SeedAsync(Client);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(MisoExamples.Request(name, questionId, "not-a-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(JsonValueKind.String, (await response.JsonAsync()).GetProperty("message").ValueKind);
        Assert.Equal(before, await SnapshotAsync());
    }

    async Task<string> CallOnFreshStateAsync(string name)
    {
        await Inspector.ResetAsync();
        var questionId = await MisoExamples.SeedAsync(Client);
        using var response = await Client.SendAsync(MisoExamples.Request(name, questionId, Production.SecretKey));
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    async Task<string> SnapshotAsync() => string.Join("\n",
        JsonSerializer.Serialize(await Inspector.GetProductsAsync()),
        JsonSerializer.Serialize(await Inspector.GetUsersAsync()),
        JsonSerializer.Serialize(await Inspector.GetInteractionsAsync()),
        JsonSerializer.Serialize(await Inspector.GetStatsAsync()));
}
