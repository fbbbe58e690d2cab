using System.Text.Json;
using System.Text.Json.Nodes;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Products;

/// <summary>Miso's Product / Content API: the catalog the engine routes search and recommend from.</summary>
static class ProductsApi
{
    const string SchemaErrorsMessage =
        "None of the records are inserted, because at least one of them contain schema errors. Please see `data` field for details.";

    const int MaxProductIdLength = 512;

    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/products", Upload).RequireSecretKey();
        app.MapGet("/v1/products/_ids", Ids).RequireSecretKey();
        app.MapPost("/v1/products/_delete", Delete).RequireSecretKey();
        app.MapGet("/v1/products/{product_id}", Read).RequireSecretKey();
        app.MapDelete("/v1/products/{product_id}", DeleteOne).RequireSecretKey();
        return app;
    }

    static IResult Upload(HttpContext context)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
            return MisoResults.MalformedJson(error);

        using (document)
        {
            if (BatchShape.ValidRecords(document.RootElement, "ProductRecord", "product", out var errors) is not { } records)
                return MisoResults.SchemaErrors(SchemaErrorsMessage, errors.Messages);

            foreach (var record in records)
                call.Environment.Products.Upsert(record);
            return MisoResults.TaskAccepted("success", context);
        }
    }

    static IResult Ids(HttpContext context) =>
        MisoResults.Data(new JsonObject
        {
            ["ids"] = new JsonArray([.. context.MisoCall().Environment.Products.All().Select(p => JsonValue.Create(p.Key))]),
        });

    static IResult Delete(HttpContext context)
    {
        var call = context.MisoCall();
        if (!FastApiBody.TryParse(call.Body, out var document, out var issues))
            return MisoResults.ValidationDetail(issues);

        using (document)
        {
            issues = FastApiBody.Validate(document.RootElement, "ProductBulkDeleteIn");
            if (issues.Count > 0)
                return MisoResults.ValidationDetail(issues);

            var productIds = document.RootElement.GetProperty("data").GetProperty("product_ids").EnumerateArray().Select(i => i.GetString()!);
            call.Environment.Products.Delete(productIds);
            return MisoResults.TaskAccepted("deleted", context);
        }
    }

    static IResult Read(HttpContext context)
    {
        var productId = RouteText.Decoded(context, "product_id")!;
        if (TooLong(productId) is { } invalid)
            return invalid;
        return context.MisoCall().Environment.Products.Find(productId) is { } record
            ? MisoResults.Data(JsonSerializer.SerializeToNode(record)!)
            : MisoResults.NotFound();
    }

    static IResult DeleteOne(HttpContext context)
    {
        var productId = RouteText.Decoded(context, "product_id")!;
        if (TooLong(productId) is { } invalid)
            return invalid;
        context.MisoCall().Environment.Products.Delete([productId]);
        return MisoResults.TaskAccepted("deleted", context);
    }

    static IResult? TooLong(string productId) => productId.EnumerateRunes().Count() > MaxProductIdLength
        ? MisoResults.ValidationDetail([new ValidationIssue(["path", "product_id"],
            $"ensure this value has at most {MaxProductIdLength} characters", "value_error.any_str.max_length")])
        : null;
}
