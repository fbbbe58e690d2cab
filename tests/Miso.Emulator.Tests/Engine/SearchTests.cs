using System.Net;
using System.Text.Json;
using Miso.Emulator.Examples;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

public sealed class SearchTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    async Task<JsonElement> DataAsync(string path, string body)
    {
        using var response = await Client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("success", json.GetProperty("message").GetString());
        return json.GetProperty("data");
    }

    static List<string?> Ids(JsonElement products) => products.EnumerateArray().Select(p => p.GetProperty("product_id").GetString()).ToList();

    [Fact]
    public async Task Search_ReturnsProductsContainingEveryWord_WithTotalAndSpellcheck()
    {
        await MisoExamples.SeedAsync(Client);

        var data = await DataAsync("v1/search/search", """{"q": "Cotton SHIRT", "fl": ["title", "brand"]}""");

        Assert.Equal(0, data.GetProperty("took").GetInt32());
        Assert.True(Guid.TryParse(data.GetProperty("miso_id").GetString(), out _));
        Assert.Equal("""[{"product_id":"shirt-1","title":"Blue cotton shirt","brand":"Bco"}]""", data.GetProperty("products").GetRawText());
        Assert.Equal(1, data.GetProperty("total").GetInt32());
        Assert.Equal(0, data.GetProperty("start").GetInt32());
        Assert.Equal("Cotton SHIRT", data.GetProperty("spellcheck").GetProperty("original_query").GetString());
        Assert.False(data.GetProperty("spellcheck").GetProperty("spelling_errors").GetBoolean());
    }

    [Fact]
    public async Task Search_PagesWithStartAndRows_AndCountsFacetsOverAllMatches()
    {
        await MisoExamples.SeedAsync(Client);

        var all = await DataAsync("v1/search/search", """{"rows": 10}""");
        var page = await DataAsync("v1/search/search", """{"start": 1, "rows": 1, "facets": ["brand", {"field": "tags", "alias": "t", "size": 1}]}""");

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(Ids(all.GetProperty("products"))[1..2], Ids(page.GetProperty("products")));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var facets = page.GetProperty("facet_counts").GetProperty("facet_fields");
        Assert.Equal("""[["Acme",2],["Bco",1]]""", facets.GetProperty("brand").GetRawText());
        Assert.Equal("""[["blue",1]]""", facets.GetProperty("t").GetRawText());
    }

    [Fact]
    public async Task Search_FindsNothing_WhenAWordMatchesNoProduct()
    {
        await MisoExamples.SeedAsync(Client);

        var data = await DataAsync("v1/search/search", """{"q": "shirt velvet"}""");

        Assert.Equal(0, data.GetProperty("products").GetArrayLength());
        Assert.Equal(0, data.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_AnswersProductExistence_WhenAsked()
    {
        await MisoExamples.SeedAsync(Client);

        var data = await DataAsync("v1/search/search", """{"q": "hat", "query_product_existence": {"product_ids": ["hat-1", "gone"]}}""");

        Assert.Equal("""{"hat-1":true,"gone":false}""", data.GetProperty("product_existence").GetRawText());
    }

    [Fact]
    public async Task Search_FindsProductsKnownOnlyFromInteractions_ByTheirId()
    {
        (await Client.UploadAsync("""{"data": [{"type": "click", "product_ids": ["sku-42"]}]}""")).EnsureSuccessStatusCode();

        var data = await DataAsync("v1/search/search", """{"q": "sku 42"}""");

        Assert.Equal(["sku-42"], Ids(data.GetProperty("products")));
    }

    [Fact]
    public async Task Autocomplete_CompletesTitlesAtAWordStart_MarkingWhatItAdded()
    {
        await MisoExamples.SeedAsync(Client);

        var data = await DataAsync("v1/search/autocomplete", """{"q": "cot"}""");

        var completion = Assert.Single(data.GetProperty("completions").GetProperty("title").EnumerateArray());
        Assert.Equal("Blue cotton shirt", completion.GetProperty("text").GetString());
        Assert.Equal("<mark>Blue </mark>cot<mark>ton shirt</mark>", completion.GetProperty("text_with_markups").GetString());
        Assert.Equal("Blue <mark>cot</mark>ton shirt", completion.GetProperty("text_with_inverted_markups").GetString());
        Assert.Equal("shirt-1", completion.GetProperty("product").GetProperty("product_id").GetString());
    }

    [Fact]
    public async Task Autocomplete_CompletesOtherFields_WithoutProducts_UpToRows()
    {
        await MisoExamples.SeedAsync(Client);

        var data = await DataAsync("v1/search/autocomplete", """{"q": "", "rows": 1, "completion_fields": ["brand"]}""");

        var completion = Assert.Single(data.GetProperty("completions").GetProperty("brand").EnumerateArray());
        Assert.False(completion.TryGetProperty("product", out _));
        Assert.StartsWith("<mark>", completion.GetProperty("text_with_markups").GetString());
    }

    [Fact]
    public async Task MultipleGet_ReturnsEveryAskedProductInOrder_MarkingTheMissing()
    {
        await MisoExamples.SeedAsync(Client);

        var all = await DataAsync("v1/search/mget", """{"product_ids": ["nope", "hat-1"]}""");
        var titles = await DataAsync("v1/search/mget", """{"product_ids": ["hat-1"], "fl": ["title"]}""");

        Assert.Equal("""[{"_found":false,"product_id":"nope"},{"_found":true,"product_id":"hat-1","title":"Green hat","categories":[["Hats"]],"brand":"Acme"}]""",
            all.GetProperty("products").GetRawText());
        Assert.Equal("""[{"_found":true,"product_id":"hat-1","title":"Green hat"}]""", titles.GetProperty("products").GetRawText());
    }
}
