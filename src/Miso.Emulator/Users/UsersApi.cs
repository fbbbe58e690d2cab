using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Users;

/// <summary>Miso's User API: user records stored by user_id, read and deleted one by one or in bulk.</summary>
static class UsersApi
{
    const string SchemaErrorsMessage =
        "None of the records are inserted, because at least one of them contain schema errors. Please see `data` field for details.";

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/users", Upload).RequireSecretKey();
        app.MapPost("/v1/users/_delete", Delete).RequireSecretKey();
        // Miso's document also lists a required `userId` query parameter here; its own examples do without it.
        app.MapGet("/v1/users/{user_id}", Read).RequireSecretKey();
        app.MapDelete("/v1/users/{user_id}", DeleteOne).RequireSecretKey();
        return app;
    }

    static IResult Upload(HttpContext context)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
            return MisoResults.MalformedJson(error);

        using (document)
        {
            if (BatchShape.ValidRecords(document.RootElement, "UserRecord", "user", out var errors) is not { } records)
                return MisoResults.SchemaErrors(SchemaErrorsMessage, errors.Messages);

            foreach (var record in records)
                call.Environment.Users.Upsert(record.GetProperty("user_id").GetString()!, JsonMarshal.GetRawUtf8Value(record).ToArray());
            return MisoResults.TaskAccepted("success", context);
        }
    }

    static IResult Delete(HttpContext context)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
            return MisoResults.MalformedJson(error);

        using (document)
        {
            var issues = new List<ValidationIssue>();
            var userIds = JsonBody.ReadUserIds(document.RootElement, ["body", "data", "user_ids"], issues);
            if (userIds is null)
                return MisoResults.ValidationDetail(issues);

            call.Environment.Users.Delete(userIds.Distinct(StringComparer.Ordinal));
            call.Environment.CountUserDelete();
            return MisoResults.TaskAccepted("deleted", context);
        }
    }

    static IResult Read(HttpContext context) =>
        context.MisoCall().Environment.Users.Find(RouteText.Decoded(context, "user_id")!) is { } json
            ? MisoResults.Data(JsonNode.Parse(json)!)
            : MisoResults.NotFound();

    static IResult DeleteOne(HttpContext context)
    {
        var call = context.MisoCall();
        call.Environment.Users.Delete([RouteText.Decoded(context, "user_id")!]);
        call.Environment.CountUserDelete();
        return MisoResults.TaskAccepted("deleted", context);
    }
}
