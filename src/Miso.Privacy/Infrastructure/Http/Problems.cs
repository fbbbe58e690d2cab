using Microsoft.AspNetCore.Http.HttpResults;

namespace Miso.Privacy.Infrastructure.Http;

/// <summary>Every 4xx is problem+json with an <c>errors</c> object naming the field at fault.</summary>
public static class Problems
{
    public static ProblemHttpResult Field(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        Fields(new Dictionary<string, string[]> { [field] = [message] }, status);

    public static ProblemHttpResult Fields(IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status, Title = TitleFor(status) });

    static string TitleFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "A valid API key is required.",
        StatusCodes.Status403Forbidden => "The API key lacks the scope this operation needs.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status408RequestTimeout => "The request took too long to arrive.",
        StatusCodes.Status409Conflict => "Conflict.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
        StatusCodes.Status503ServiceUnavailable => "The service is unavailable.",
        _ => "One or more validation errors occurred.",
    };
}
