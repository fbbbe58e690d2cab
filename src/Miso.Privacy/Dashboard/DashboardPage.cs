using System.Security.Cryptography;
using System.Text;
using Miso.Privacy.Dashboard.Assets;

namespace Miso.Privacy.Dashboard;

/// <summary>
/// The page and its scripts are compiled into the assembly, so /dashboard works wherever the service
/// runs from. The page itself holds no data: it asks for an API key and calls the API with it.
/// </summary>
public static class DashboardPage
{
    sealed record Asset(string ContentType, byte[] Body, string ETag);

    static readonly Dictionary<string, Asset> Assets = new()
    {
        ["/dashboard"] = Make("text/html; charset=utf-8", PageHtml.Text),
        ["/dashboard/app.js"] = Make("text/javascript; charset=utf-8", AppScript.Text),
        ["/dashboard/views.js"] = Make("text/javascript; charset=utf-8", ViewsScript.Text),
        ["/dashboard/charts.js"] = Make("text/javascript; charset=utf-8", ChartsScript.Text),
        ["/dashboard/style.css"] = Make("text/css; charset=utf-8", PageStyles.Text),
    };

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        foreach (var (path, asset) in Assets)
            app.MapGet(path, (HttpContext http) => Serve(http, asset)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    static IResult Serve(HttpContext http, Asset asset)
    {
        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Body, asset.ContentType);
    }

    static Asset Make(string contentType, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        return new Asset(contentType, body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"");
    }
}
