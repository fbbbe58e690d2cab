using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.Json;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Audit;

public static class AuditApi
{
    // A signature's '+' would otherwise come out as \u002B, which a shell recipe (sed, base64) cannot read back.
    static readonly JsonSerializerOptions Plain = new(ApiJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Scopes.ReportsRead);
        audit.MapGet("/verify", Verify);
        audit.MapGet("/checkpoint", GetCheckpoint);
        return app;
    }

    static async Task<Results<Ok<ChainVerification>, ProblemHttpResult>> Verify(HttpRequest http, PrivacyDbContext db, CancellationToken ct)
    {
        if (QueryRules.Unknown(http.Query, ["checkpoint"]) is { } unknown)
            return unknown;
        ChainHead? checkpoint = null;
        if (QueryRules.Text(http.Query, "checkpoint") is { } text && (checkpoint = Checkpoint.Parse(text)) is null)
            return Problems.Field("checkpoint",
                "Must be seq:hash as a checkpoint or manifest gives them: a whole number, a colon and 64 hex digits (seq 0 only with 64 zeros).");
        return TypedResults.Ok(await AuditChainVerifier.VerifyAsync(db, ct, checkpoint));
    }

    static async Task<JsonHttpResult<Checkpoint>> GetCheckpoint(PrivacyDbContext db, SigningKeys keys, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Json(Checkpoint.Sign(await Checkpoint.HeadAsync(db, ct), clock.GetUtcNow(), keys.Current), Plain);
}
