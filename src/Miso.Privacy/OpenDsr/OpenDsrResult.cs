using System.Text.Json;

namespace Miso.Privacy.OpenDsr;

public sealed record OpenDsrErrorDetail(string Domain, string Reason, string Message);

public sealed record OpenDsrErrorBody(int Code, string Message, IReadOnlyList<OpenDsrErrorDetail> Errors);

/// <summary>OpenDSR §7.5–7.6: the error object. Its messages name fields, never a value a controller sent.</summary>
public sealed record OpenDsrError(OpenDsrErrorBody Error);

/// <summary>
/// Every OpenDSR answer: JSON written once to bytes, then signed over exactly those bytes (§7.4, §8.3), with
/// X-OpenDSR-Processor-Domain and X-OpenDSR-Signature, and their OpenGDPR names too (§10.1 keeps the old headers honoured).
/// Errors are signed as well, so a controller can check every answer it gets against the certificate.
/// </summary>
public sealed class OpenDsrResult(int status, object body) : IResult
{
    public const string DomainHeader = "X-OpenDSR-Processor-Domain";
    public const string SignatureHeader = "X-OpenDSR-Signature";
    public const string LegacyDomainHeader = "X-OpenGDPR-Processor-Domain";
    public const string LegacySignatureHeader = "X-OpenGDPR-Signature";

    public int StatusCode => status;

    public async Task ExecuteAsync(HttpContext http)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), OpenDsrJson.Options);
        var identity = http.RequestServices.GetRequiredService<ProcessorIdentity>();
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        if (identity.Enabled)
            foreach (var (header, value) in Headers(identity, bytes))
                response.Headers[header] = value;
        await response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    public static IEnumerable<(string Header, string Value)> Headers(ProcessorIdentity identity, ReadOnlySpan<byte> body)
    {
        var signature = identity.Sign(body);
        return [(DomainHeader, identity.Domain!), (SignatureHeader, signature), (LegacyDomainHeader, identity.Domain!), (LegacySignatureHeader, signature)];
    }

    public static OpenDsrResult Error(int status, string message, IEnumerable<OpenDsrErrorDetail> details) =>
        new(status, new OpenDsrError(new OpenDsrErrorBody(status, message, details.ToList())));

    public static OpenDsrResult Error(int status, string reason, string message) =>
        Error(status, message, [new OpenDsrErrorDetail(status == StatusCodes.Status400BadRequest ? "Validation" : "Request", reason, message)]);

    public static OpenDsrResult NotEnabled() => Error(StatusCodes.Status404NotFound, "NotEnabled",
        "This service does not act as an OpenDSR processor: OpenDsr:ProcessorDomain is not configured.");
}
