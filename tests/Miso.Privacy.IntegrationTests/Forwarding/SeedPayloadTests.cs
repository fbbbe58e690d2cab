using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Forwarding;

public sealed class SeedPayloadTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    const string SearchRecord =
        """{"user_id":"f5df9ef","type":"search","search":{"keywords":"chips"},"timestamp":"2023-01-24T14:15:21Z"}""";

    const string PageViewRecord =
        """{"type":"product_detail_page_view","duration":61.5,"product_ids":["123ABC-BLACK"],"product_group_ids":["123ABC"],"user_id":"5b09700","anonymous_id":"86D51273AD8BF84217E1567B6CBE7152D7034404","timestamp":"2023-01-24T14:15:22Z","miso_id":"123e4567-e89b-12d3-a456-426614174000","context":{"campaign":{"name":"spring_sale","source":"Google","medium":"cpc","term":"running+shoes","content":"textlink"},"truncated_ip":"1.1.1.0","locale":"en-US","region":"US East","page":{"url":"https://example.com/miso-tshirt-123ABC","referrer":"https://example.com/","title":"My Product Page"},"user_agent":"Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0","custom_context":{"session_variable_1":["value_1","value_2"]}}}""";

    const string Seed = "{\"data\": [" + SearchRecord + "," + PageViewRecord + "]}";

    [Fact]
    public async Task SeedPayload_ArrivesByteForByte_AndAfterErasingItsUser_OnlyTheOtherRecordIsForwarded()
    {
        Assert.Equal(0, await app.UploadOkAsync(Seed));
        var stored = (await app.Inspector.GetInteractionsAsync("production")).Select(r => r.GetRawText()).ToList();
        Assert.Equal([SearchRecord, PageViewRecord], stored);

        await Erasures.CreateAsync(app.Management, ["5b09700"]);
        Assert.Equal(1, await app.UploadOkAsync(Seed));

        Assert.Equal([SearchRecord, SearchRecord], await app.StoredForUserAsync("f5df9ef"));
        Assert.Equal([PageViewRecord], await app.StoredForUserAsync("5b09700"));
        var last = (await app.Inspector.GetCallsAsync("production")).Last();
        Assert.Equal(["f5df9ef"], last.UserIds);
        Assert.Equal(SearchRecord.Length + "{\"data\": []}".Length, last.BodySize);
    }
}
