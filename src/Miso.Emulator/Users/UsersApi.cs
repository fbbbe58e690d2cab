using System.Runtime.InteropServices;
using System.Text.Json;
using Miso.Emulator.Interactions;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Users;

/// <summary>A minimal User API: stores user records by user_id and deletes them.</summary>
internal static class UsersApi
{
    private const string SchemaErrorsMessage =
        "None of the records are inserted, because at least one of them contain schema errors. Please see `data` field for details.";

    private static readonly HashSet<string> UserFields =
    [
        "user_id", "age", "city", "country", "created_at", "custom_attributes", "description",
        "gender", "group_id", "name", "profile_image", "state", "updated_at",
    ];

    private static readonly Rule UserId = Rules.String(maxLength: 512);

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/users", Upload).RequireSecretKey();
        app.MapPost("/v1/users/_delete", Delete).RequireSecretKey();
        return app;
    }

    private static IResult Upload(HttpContext context)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
            return MisoResults.MalformedJson(error);

        using (document)
        {
            var errors = new SchemaErrors();
            if (!BatchShape.TryGetDataArray(document.RootElement, errors, out var data))
                return MisoResults.SchemaErrors(SchemaErrorsMessage, errors.Messages);

            var index = 0;
            foreach (var record in data.EnumerateArray())
                Validate(record, $"data.{index++}", errors);
            if (errors.Any)
                return MisoResults.SchemaErrors(SchemaErrorsMessage, errors.Messages);

            var ids = new List<string>();
            foreach (var record in data.EnumerateArray())
            {
                var userId = record.GetProperty("user_id").GetString()!;
                ids.Add(userId);
                call.Environment.Users.Upsert(userId, JsonMarshal.GetRawUtf8Value(record).ToArray());
            }
            call.UserIds = ids;
            return TaskAccepted("success");
        }
    }

    private static IResult Delete(HttpContext context)
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

            call.UserIds = userIds;
            call.Environment.Users.Delete(userIds.Distinct(StringComparer.Ordinal));
            call.Environment.CountUserDelete();
            return TaskAccepted("deleted");
        }
    }

    private static void Validate(JsonElement record, string path, SchemaErrors errors)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            errors.Type(path, record, false, "object");
            return;
        }
        if (!record.TryGetProperty("user_id", out var userId))
            errors.Required($"{path}.user_id");
        else
            UserId(userId, $"{path}.user_id", errors, false);
        foreach (var property in record.EnumerateObject().Where(p => !UserFields.Contains(p.Name)))
            errors.Add($"{path}.{property.Name}", "The attribute is not allowed for user records.");
    }

    private static IResult TaskAccepted(string message) =>
        Results.Json(new { message, data = new { task_id = Guid.NewGuid().ToString("N") } });
}
