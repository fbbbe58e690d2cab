using System.Collections.Frozen;
using Microsoft.AspNetCore.Mvc;
using Miso.Emulator.Pipeline;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's Engine APIs (search, recommendation, ask, Q&amp;A, bulk) and its experiment events. Publishable keys may
/// call them all, as a browser does, except the question bank upload.
/// </summary>
static class EngineApi
{
    /// <summary>The engine routes by name, which is also their <c>api_name</c> in <c>/v1/bulk</c>.</summary>
    public static readonly FrozenDictionary<string, EngineRoute> Routes =
        SearchEngine.Routes.Concat(Recommendations.Routes).Concat(Ask.Routes).Concat(QuestionAnswering.Routes)
            .ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    static readonly EngineRoute QuestionBank = new("qa/questions", "PostQuestionRequest", QuestionAnswering.ReplaceBank);

    public static IEndpointRouteBuilder MapEngine(this IEndpointRouteBuilder app)
    {
        foreach (var route in Routes.Values)
            app.MapPost(route.Path, (HttpContext context) => Answer(route, context));
        app.MapPost(QuestionBank.Path, (HttpContext context) => Answer(QuestionBank, context)).RequireSecretKey();
        app.MapGet("/v1/ask/questions/{question_id}/answer", AskAnswer);
        app.MapPost("/v1/bulk", (HttpContext context) => Bulk.Answer(context.MisoCall(), Routes).ToResult());
        app.MapPost("/v1/experiments/{experiment_id_or_slug}/events", ExperimentEvent)
            .WithMetadata(new InvalidKeyMessage(Experiments.InvalidApiKey));
        return app;
    }

    static IResult Answer(EngineRoute route, HttpContext context)
    {
        var call = context.MisoCall();
        if (!FastApiBody.TryParse(call.Body, out var document, out var issues))
            return MisoResults.ValidationDetail(issues);
        using (document)
            return route.Answer(call.Environment, call.IsSecret, document.RootElement).ToResult();
    }

    static IResult AskAnswer(HttpContext context, [FromRoute(Name = "question_id")] string questionId) =>
        Ask.Answer(context.MisoCall().Environment, questionId).ToResult();

    static IResult ExperimentEvent(HttpContext context, [FromRoute(Name = "experiment_id_or_slug")] string experiment)
    {
        var call = context.MisoCall();
        return Experiments.Event(call.Environment, experiment, call.Body).ToResult();
    }
}
