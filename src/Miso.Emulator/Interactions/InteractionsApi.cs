using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Interactions;

static class InteractionsApi
{
    const string SchemaErrorsMessage =
        "None of the records were inserted because at least one of them contained schema errors. Please see the `data` field for details.";

    public static IEndpointRouteBuilder MapInteractions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/interactions", Upload);
        app.MapDelete("/v1/interactions", Delete).RequireSecretKey();
        return app;
    }

    static IResult Upload(HttpContext context, ILoggerFactory loggers)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
        {
            call.Environment.CountRejected();
            return MisoResults.MalformedJson(error);
        }

        using (document)
        {
            var records = InteractionValidator.Validate(document.RootElement, out var errors);
            if (records is null)
            {
                call.Environment.CountRejected();
                return MisoResults.SchemaErrors(SchemaErrorsMessage, errors.Messages);
            }

            call.Environment.Interactions.Add(records);
            call.Environment.CountUpload();
            Logger(loggers).LogDebug("Stored {Count} interactions in {Environment}", records.Count, call.Environment.Name);
            return MisoResults.Success();
        }
    }

    static IResult Delete(HttpContext context, ILoggerFactory loggers)
    {
        var call = context.MisoCall();
        if (!JsonBody.TryParse(call.Body, out var document, out var error))
            return MisoResults.MalformedJson(error);

        using (document)
        {
            var issues = new List<ValidationIssue>();
            var userIds = JsonBody.ReadUserIds(document.RootElement, ["body", "user_ids"], issues);
            if (userIds is null)
                return MisoResults.ValidationDetail(issues);

            var distinct = userIds.Distinct(StringComparer.Ordinal).ToList();
            var removed = call.Environment.Interactions.DeleteUsers(distinct);
            call.Environment.CountDelete(distinct.Count);
            Logger(loggers).LogDebug("Deleted {Removed} interactions of {Users} users in {Environment}",
                removed, distinct.Count, call.Environment.Name);
            return MisoResults.Success();
        }
    }

    static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger("Miso.Emulator.Interactions");
}
