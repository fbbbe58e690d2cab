using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// The page, its scripts and its styles are the files in Assets/, embedded in the assembly, so /dashboard works
/// wherever the service runs from. The page itself holds no data: it asks for an API key and calls the API with it.
/// Each file's ETag is the hash of its bytes, taken once at start: a browser revalidates (no-cache) and gets a 304
/// until the service runs with a changed file.
/// </summary>
public static class DashboardPage
{
    const string Policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    sealed record Asset(string ContentType, byte[] Body, EntityTagHeaderValue ETag);

    static readonly Dictionary<string, Asset> Assets = new()
    {
        ["/dashboard"] = Load("index.html", "text/html; charset=utf-8"),
        ["/dashboard/app.js"] = Load("app.js", "text/javascript; charset=utf-8"),
        ["/dashboard/views.js"] = Load("views.js", "text/javascript; charset=utf-8"),
        ["/dashboard/charts.js"] = Load("charts.js", "text/javascript; charset=utf-8"),
        ["/dashboard/style.css"] = Load("style.css", "text/css; charset=utf-8"),
    };

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        foreach (var (path, asset) in Assets)
            app.MapGet(path, (HttpContext http) => Serve(http, asset)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    // The file result answers If-None-Match itself (weak comparison, lists and *, RFC 9110 §13.1.2) with a 304.
    static FileContentHttpResult Serve(HttpContext http, Asset asset)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = Policy;
        return TypedResults.Bytes(asset.Body, asset.ContentType, entityTag: asset.ETag);
    }

    static Asset Load(string name, string contentType)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"The dashboard file {name} is not embedded (see Miso.Privacy.csproj).");
        var body = new byte[stream.Length];
        stream.ReadExactly(body);
        return new Asset(contentType, body, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\""));
    }
}
