using Microsoft.AspNetCore.Http.HttpResults;

namespace Miso.Privacy.Forwarding;

public sealed record MisoMessage(string Message);

public sealed record MisoError(bool Errors, string Message);

public sealed record MisoSchemaErrors(bool Errors, string Message, IReadOnlyList<string> Data);

/// <summary>Answers worded and shaped as Miso's own, so a client cannot tell the service from Miso except by the header it adds.</summary>
public static class MisoAnswers
{
    public const string InvalidApiKey = "invalid api key.";

    public const string SecretKeyRequired =
        "Request is denied due to bot blocking. Please only access this API from a real browser or use Secret API Key instead.";

    const string SchemaErrorsMessage =
        "None of the records were inserted because at least one of them contained schema errors. Please see the `data` field for details.";

    public static JsonHttpResult<MisoMessage> Success() => Message("success", StatusCodes.Status200OK);

    public static JsonHttpResult<MisoMessage> Message(string message, int status) =>
        TypedResults.Json(new MisoMessage(message), statusCode: status);

    public const string InvalidExperimentsApiKey = "api_key is invalid. Please check your api_key in Dojo.";

    public static JsonHttpResult<MisoMessage> UnknownKey(bool experimentEvents = false) =>
        Message(experimentEvents ? InvalidExperimentsApiKey : InvalidApiKey, StatusCodes.Status401Unauthorized);

    public static JsonHttpResult<MisoError> Malformed(string message) =>
        TypedResults.Json(new MisoError(true, message), statusCode: StatusCodes.Status400BadRequest);

    public static JsonHttpResult<MisoSchemaErrors> SchemaErrors(string error) =>
        TypedResults.Json(new MisoSchemaErrors(true, SchemaErrorsMessage, [error]), statusCode: StatusCodes.Status422UnprocessableEntity);

    public static JsonHttpResult<MisoMessage> TooLarge(int limit) =>
        Message($"Request body is larger than the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
}
