using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Products;

public sealed class ProductsApiTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task Upload_StoresProductsPerEnvironment_ReplacingByProductId()
    {
        using var response = await Client.PostAsync("v1/products", """{"data": [{"product_id": "a", "title": "One"}, {"product_id": "b"}, {"product_id": "a", "title": "Two"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("success", json.GetProperty("message").GetString());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("data").GetProperty("task_id").GetString());
        var products = await Inspector.GetProductsAsync("production");
        Assert.Equal(["a", "b"], products.Select(p => p.GetProperty("product_id").GetString()));
        Assert.Equal("Two", products[0].GetProperty("title").GetString());
        Assert.Empty(await Inspector.GetProductsAsync("development"));
    }

    [Fact]
    public async Task Upload_Returns422InMisosRecordShape_AndStoresNothing_WhenOneRecordBreaksTheSchema()
    {
        using var response = await Client.PostAsync("v1/products", """
            {"data": [
              {"product_id": "ok"},
              {"product_id": ["x"], "created_at": "yesterday", "condition": "BROKEN", "rating": "5", "unknown": 1},
              {"title": "no id"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.True(json.GetProperty("errors").GetBoolean());
        Assert.Equal(
        [
            "data.1.product_id is invalid. The attribute was expected to be of type ''string'' but type 'array' was given.",
            "data.1.created_at is invalid. The attribute should match the 'date-time' format.",
            "data.1.condition is invalid. The attribute should be one of 'NEW', 'USED', 'REFURBISHED'.",
            "data.1.rating is invalid. The attribute was expected to be of type ''number', 'null'' but type 'string' was given.",
            "data.1.unknown is invalid. The attribute is not allowed for product records.",
            "data.2.product_id is invalid. The attribute is required.",
        ], json.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(await Inspector.GetProductsAsync());
    }

    [Theory]
    [InlineData("{", HttpStatusCode.BadRequest)]
    [InlineData("""{"data": {}}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"data": [{"product_id": ""}]}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"data": [{"product_id": "a", "url": "not a url"}]}""", HttpStatusCode.UnprocessableEntity)]
    public async Task Upload_RefusesMalformedBodies(string body, HttpStatusCode status)
    {
        using var response = await Client.PostAsync("v1/products", body);

        Assert.Equal(status, response.StatusCode);
        Assert.Empty(await Inspector.GetProductsAsync());
    }

    [Fact]
    public async Task Read_ReturnsTheRecordAsUploaded_Or404()
    {
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "a b/c", "title": "T", "custom_attributes": {"n": 1.5}}]}""")).Dispose();

        using var found = await Client.CallAsync(HttpMethod.Get, "v1/products/a%20b%2Fc", null);
        using var missing = await Client.CallAsync(HttpMethod.Get, "v1/products/zzz", null);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("""{"message":"success","data":{"product_id":"a b/c","title":"T","custom_attributes":{"n":1.5}}}""", await found.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"message":"not found"}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ids_ListsEveryProductId_InOrder()
    {
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "b"}, {"product_id": "a"}]}""")).Dispose();

        using var response = await Client.CallAsync(HttpMethod.Get, "v1/products/_ids", null);

        Assert.Equal("""{"message":"success","data":{"ids":["a","b"]}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delete_RemovesOneProduct_OrTheListedOnes_AnsweringDeletedWithTaskId()
    {
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "a"}, {"product_id": "b"}, {"product_id": "c"}, {"product_id": "d"}]}""")).Dispose();

        using var one = await Client.CallAsync(HttpMethod.Delete, "v1/products/a", null);
        using var many = await Client.PostAsync("v1/products/_delete", """{"data": {"product_ids": ["b", "c", "nope"]}}""");

        foreach (var response in new[] { one, many })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await response.JsonAsync();
            Assert.Equal("deleted", json.GetProperty("message").GetString());
            Assert.Equal(JsonValueKind.String, json.GetProperty("data").GetProperty("task_id").ValueKind);
        }
        Assert.Equal(["d"], (await Inspector.GetProductsAsync()).Select(p => p.GetProperty("product_id").GetString()));
    }

    [Theory]
    [InlineData("""{"product_ids": ["a"]}""", "data", "value_error.missing")]
    [InlineData("""{"data": {"product_ids": "a"}}""", "data.product_ids", "type_error.list")]
    [InlineData("""{"data": {"product_ids": ["a", 1]}}""", "data.product_ids.1", "type_error.str")]
    [InlineData("""{"data": {"product_ids": [null]}}""", "data.product_ids.0", "type_error.none.not_allowed")]
    public async Task BulkDelete_Returns422InFastApisShape_AndDeletesNothing(string body, string loc, string type)
    {
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "a"}]}""")).Dispose();

        using var response = await Client.PostAsync("v1/products/_delete", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single((await response.JsonAsync()).GetProperty("detail").EnumerateArray());
        Assert.Equal("body." + loc, string.Join(".", issue.GetProperty("loc").EnumerateArray().Select(l => l.ToString())));
        Assert.Equal(type, issue.GetProperty("type").GetString());
        Assert.Single(await Inspector.GetProductsAsync());
    }

    [Fact]
    public async Task ReadAndDelete_Return422_WhenProductIdIsLongerThan512Characters()
    {
        var id = new string('x', 513);

        using var read = await Client.CallAsync(HttpMethod.Get, $"v1/products/{id}", null);
        using var delete = await Client.CallAsync(HttpMethod.Delete, $"v1/products/{id}", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, read.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, delete.StatusCode);
        Assert.Equal("value_error.any_str.max_length", (await read.JsonAsync()).GetProperty("detail")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Reset_ClearsProducts()
    {
        (await Client.PostAsync("v1/products", """{"data": [{"product_id": "a"}]}""")).Dispose();

        await Inspector.ResetAsync();

        Assert.Empty(await Inspector.GetProductsAsync());
    }
}
