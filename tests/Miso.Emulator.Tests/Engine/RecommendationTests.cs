using System.Net;
using System.Text.Json;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Engine;

public sealed class RecommendationTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    const string Catalog = """
        {"data": [
          {"product_id": "a", "type": "book", "categories": [["Books", "Crime"]], "tags": ["dark"], "custom_attributes": {"author": "X"}},
          {"product_id": "b", "type": "book", "categories": [["Books", "Poetry"]], "custom_attributes": {"author": "Y"}},
          {"product_id": "c", "type": "film", "categories": [["Films"]], "tags": ["dark"], "custom_attributes": {"author": "X"}},
          {"product_id": "d", "type": "book", "categories": [["Books", "Crime"]], "custom_attributes": {"author": "Z"}},
          {"product_id": "e", "type": "film", "categories": [["Films"]]}
        ]}
        """;

    async Task SeedAsync()
    {
        (await Client.PostAsync("v1/products", Catalog)).EnsureSuccessStatusCode();
        (await Client.UploadAsync("""
            {"data": [
              {"type": "click", "anonymous_id": "x", "product_ids": ["c"]},
              {"type": "click", "anonymous_id": "x", "product_ids": ["c", "d"]},
              {"type": "click", "anonymous_id": "y", "product_ids": ["c", "d"]},
              {"type": "click", "user_id": "reader", "product_ids": ["e"]},
              {"type": "click", "user_id": "reader", "product_ids": ["b"]}
            ]}
            """)).EnsureSuccessStatusCode();
    }

    async Task<JsonElement> DataAsync(string route, string body)
    {
        using var response = await Client.PostAsync($"v1/recommendation/{route}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("data");
    }

    async Task<List<string?>> ProductsAsync(string route, string body) =>
        (await DataAsync(route, body)).GetProperty("products").EnumerateArray().Select(p => p.GetProperty("product_id").GetString()).ToList();

    [Fact]
    public async Task UserToProducts_RanksTheMostInteractedWithFirst_WhenNoOneIsNamed()
    {
        await SeedAsync();

        Assert.Equal(["c", "d", "b", "e", "a"], await ProductsAsync("user_to_products", """{"rows": 10}"""));
        Assert.Equal(["c", "d"], await ProductsAsync("user_to_products", """{"rows": 2}"""));
        Assert.Equal(["d", "b", "e", "a"], await ProductsAsync("user_to_products", """{"start": 1}"""));
    }

    [Fact]
    public async Task UserToProducts_PutsAUsersOwnProductsFirst_MostRecentFirst()
    {
        await SeedAsync();

        var ranked = await ProductsAsync("user_to_products", """{"user_id": "reader"}""");

        Assert.Equal(["b", "e"], ranked[..2]);
        Assert.Equal(5, ranked.Distinct().Count());
    }

    [Fact]
    public async Task UserToProducts_DiffersBetweenPeople_AndIsTheSameForEveryAnonymousRequest()
    {
        await SeedAsync();

        var orders = new HashSet<string>();
        for (var i = 0; i < 10; i++)
            orders.Add(string.Join(",", await ProductsAsync("user_to_products", $$"""{"anonymous_id": "visitor-{{i}}"}""")));
        var anonymous = await ProductsAsync("user_to_products", """{}""");
        var alsoAnonymous = await ProductsAsync("user_to_products", """{"rows": 5, "fl": []}""");
        var again = await ProductsAsync("user_to_products", """{"anonymous_id": "visitor-3"}""");

        Assert.True(orders.Count > 1, "ten people all got the same order");
        Assert.Equal(anonymous, alsoAnonymous);
        Assert.Contains(string.Join(",", again), orders);
    }

    [Fact]
    public async Task UserToProducts_LeavesOutExcludedProductsAndOtherTypes_AndProjectsFl()
    {
        await SeedAsync();

        var data = await DataAsync("user_to_products", """{"type": "book", "exclude": ["d"], "fl": ["type"]}""");

        Assert.Equal("""[{"product_id":"b","type":"book"},{"product_id":"a","type":"book"}]""", data.GetProperty("products").GetRawText());
    }

    [Fact]
    public async Task UserToTrending_LeavesOutWhatTheUserInteractedWith()
    {
        await SeedAsync();

        var trending = await ProductsAsync("user_to_trending", """{"user_id": "reader"}""");

        Assert.Equal(3, trending.Count);
        Assert.DoesNotContain("b", trending);
        Assert.DoesNotContain("e", trending);
    }

    [Fact]
    public async Task ProductToProducts_PutsRelatedProductsFirst_AndNeverTheAnchor()
    {
        await SeedAsync();

        var related = await ProductsAsync("product_to_products", """{"product_id": "a", "rows": 10}""");

        Assert.Equal(["c", "d", "b", "e"], related);
    }

    [Fact]
    public async Task UserToCategories_GroupsProductsByCategory_UnderTheRootCategory()
    {
        await SeedAsync();

        var all = await DataAsync("user_to_categories", """{"rows": 10, "products_per_category": 1}""");
        var books = await DataAsync("user_to_categories", """{"root_category": ["Books"], "rows": 1}""");

        Assert.Equal("""[{"category":["Films"],"total":2,"recommended_products":[{"product_id":"c"}]},{"category":["Books","Crime"],"total":2,"recommended_products":[{"product_id":"d"}]},{"category":["Books","Poetry"],"total":1,"recommended_products":[{"product_id":"b"}]}]""",
            all.GetProperty("categories").GetRawText());
        Assert.Equal("""[{"category":["Books","Crime"],"total":2,"recommended_products":[{"product_id":"d"},{"product_id":"a"}]}]""",
            books.GetProperty("categories").GetRawText());
    }

    [Fact]
    public async Task UserToAttributes_ListsValuesOfTheField_BoostedFirst_ExcludedLeftOut()
    {
        await SeedAsync();

        var data = await DataAsync("user_to_attributes", """{"field": "custom_attributes.author", "boost_attributes": ["Z"], "exclude_attributes": ["Y"], "products_per_attribute": 1}""");

        Assert.Equal("""[{"value":"Z","total":1,"recommended_products":[{"product_id":"d"}]},{"value":"X","total":2,"recommended_products":[{"product_id":"c"}]}]""",
            data.GetProperty("attributes").GetRawText());
    }

    [Fact]
    public async Task Recommendations_AreEmpty_WhenTheEnvironmentHoldsNothing()
    {
        (await Client.PostAsync("v1/products", Catalog, Development.SecretKey)).EnsureSuccessStatusCode();

        Assert.Empty(await ProductsAsync("user_to_products", """{"user_id": "reader"}"""));
        Assert.Equal(0, (await DataAsync("user_to_categories", "{}")).GetProperty("categories").GetArrayLength());
    }

    [Fact]
    public async Task DeletingAUsersInteractions_TakesThemOutOfTheRanking()
    {
        await SeedAsync();
        (await Client.UploadAsync("""{"data": [{"type": "click", "user_id": "fan", "product_ids": ["a", "a", "a"]}, {"type": "click", "user_id": "fan", "product_ids": ["a"]}]}""")).EnsureSuccessStatusCode();
        Assert.Equal("a", (await ProductsAsync("user_to_products", "{}"))[0]);

        (await Client.DeleteInteractionsAsync(["fan"])).EnsureSuccessStatusCode();

        Assert.Equal(["c", "d", "b", "e", "a"], await ProductsAsync("user_to_products", """{"rows": 10}"""));
    }
}
