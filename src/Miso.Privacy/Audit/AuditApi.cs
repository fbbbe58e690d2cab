using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Audit;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Scopes.ReportsRead);
        audit.MapGet("/verify", Verify);
        return app;
    }

    static async Task<Ok<ChainVerification>> Verify(PrivacyDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await AuditChainVerifier.VerifyAsync(db, ct));
}
