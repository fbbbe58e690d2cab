using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.OpenDsr;

/// <summary>A create body that passed OpenDSR's own rules (§7.1); the subjects still go through the erasure rules.</summary>
public sealed record OpenDsrCreate(
    string Regulation, Guid SubjectRequestId, DateTimeOffset SubmittedTime, List<string?> UserIds, List<string?> AnonymousIds,
    List<string> StatusCallbackUrls);

/// <summary>
/// Reads a create body (§7.1) strictly, as the rest of the API does: unknown or repeated fields refused, each field's
/// problem named. Identities we cannot act on are a 400 that says so (§7.5), and no message ever quotes an identity value.
/// </summary>
public static partial class OpenDsrRequestReader
{
    public const string ControllerCustomerId = "controller_customer_id";
    public const string Raw = "raw";
    public const int MaxCallbackUrls = 10;

    /// <summary>§5.1 and §5.2: every type and format the spec defines, so a known but unsupported one is told apart from a typo.</summary>
    static readonly string[] IdentityTypes = [ControllerCustomerId, "android_advertising_id", "android_id", "email", "fire_advertising_id",
        "ios_advertising_id", "ios_vendor_id", "microsoft_advertising_id", "microsoft_publisher_id", "roku_publisher_id", "roku_advertising_id"];

    static readonly string[] IdentityFormats = [Raw, "sha1", "md5", "sha256"];
    static readonly string[] RequestTypes = ["erasure", "access", "portability"];
    static readonly string[] Fields = ["regulation", "subject_request_id", "subject_request_type", "subject_identities", "submitted_time",
        "api_version", "status_callback_urls", "extensions"];

    public static (OpenDsrCreate? Request, List<OpenDsrErrorDetail> Errors) Read(ReadOnlyMemory<byte> body, string domain, bool allowPrivateNetworks)
    {
        var errors = new List<OpenDsrErrorDetail>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            errors.Add(Invalid("body", "MalformedJson", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
            return (null, errors);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Invalid("body", "InvalidValue", "must be a JSON object."));
                return (null, errors);
            }
            var fields = Properties(root, "", Fields, errors);
            var regulation = Text(fields, "regulation", errors) is { } r && r is "gdpr" or "ccpa" ? r : null;
            if (regulation is null && !errors.Any(e => e.Message.StartsWith("regulation", StringComparison.Ordinal)))
                errors.Add(Invalid("regulation", "InvalidValue", "must be gdpr or ccpa."));
            var subjectRequestId = SubjectRequestId(Text(fields, "subject_request_id", errors), errors);
            RequestType(Text(fields, "subject_request_type", errors), errors);
            var submitted = SubmittedTime(Text(fields, "submitted_time", errors), errors);
            if (fields.TryGetValue("api_version", out var version) && (version.ValueKind != JsonValueKind.String || !SupportedVersion(version.GetString()!)))
                errors.Add(new("Validation", "UnsupportedApiVersion", "api_version: this processor speaks OpenDSR 2.x; leave it out or send 2.0."));
            var userIds = Identities(fields, errors);
            var anonymousIds = Extension(fields, domain, errors);
            var callbacks = CallbackUrls(fields, allowPrivateNetworks, errors);
            if (userIds.Count + anonymousIds.Count == 0 && !errors.Any(e => e.Message.StartsWith("subject_identities", StringComparison.Ordinal)))
                errors.Add(Invalid("subject_identities", "RequiredField",
                    $"name at least one {ControllerCustomerId} (format raw), or anonymous_ids in extensions.{domain}."));
            return errors.Count > 0 ? (null, errors)
                : (new OpenDsrCreate(regulation!, subjectRequestId!.Value, submitted!.Value, userIds, anonymousIds, callbacks), errors);
        }
    }

    static Dictionary<string, JsonElement> Properties(JsonElement element, string at, string[] known, List<OpenDsrErrorDetail> errors)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            // The unknown name is not quoted: a controller's mistake could put an identity there.
            if (!known.Contains(property.Name))
                errors.Add(Invalid(at.Length == 0 ? "body" : at.TrimEnd('.'), "UnknownField",
                    $"has a field this processor does not know here; the fields are {string.Join(", ", known)}."));
            else if (!found.TryAdd(property.Name, property.Value))
                errors.Add(Invalid(at + property.Name, "DuplicateField", "appears more than once."));
        }
        return found;
    }

    static string? Text(Dictionary<string, JsonElement> fields, string name, List<OpenDsrErrorDetail> errors)
    {
        if (!fields.TryGetValue(name, out var value))
        {
            errors.Add(Invalid(name, "RequiredField", "is required."));
            return null;
        }
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        errors.Add(Invalid(name, "InvalidValue", "must be a string."));
        return null;
    }

    /// <summary>§1.1: GUIDs are lower-case and version 4.</summary>
    static Guid? SubjectRequestId(string? text, List<OpenDsrErrorDetail> errors)
    {
        if (text is null)
            return null;
        if (Guid.TryParseExact(text, "D", out var id) && text == id.ToString("D") && text[14] == '4' && text[19] is '8' or '9' or 'a' or 'b')
            return id;
        errors.Add(Invalid("subject_request_id", "InvalidValue", "must be a lower-case UUID v4, like a7551968-d5d6-44b2-9831-815ac9017798."));
        return null;
    }

    static void RequestType(string? text, List<OpenDsrErrorDetail> errors)
    {
        if (text is null or "erasure")
            return;
        errors.Add(RequestTypes.Contains(text)
            ? new("Validation", "UnsupportedRequestType", "subject_request_type: this processor fulfils erasure requests only (see discovery).")
            : Invalid("subject_request_type", "InvalidValue", "must be erasure."));
    }

    static DateTimeOffset? SubmittedTime(string? text, List<OpenDsrErrorDetail> errors)
    {
        if (text is null)
            return null;
        if (Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time.ToUniversalTime();
        errors.Add(Invalid("submitted_time", "InvalidValue", "must be an RFC 3339 date-time, like 2018-10-02T15:00:00Z."));
        return null;
    }

    static bool SupportedVersion(string version) => version == "2" || version.StartsWith("2.", StringComparison.Ordinal);

    static List<string?> Identities(Dictionary<string, JsonElement> fields, List<OpenDsrErrorDetail> errors)
    {
        var ids = new List<string?>();
        if (!fields.TryGetValue("subject_identities", out var identities))
            return ids;
        if (identities.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Invalid("subject_identities", "InvalidValue", "must be an array of identity objects."));
            return ids;
        }
        var i = 0;
        foreach (var identity in identities.EnumerateArray())
        {
            var at = $"subject_identities[{i++}]";
            if (errors.Count >= 20)
                break;
            if (identity.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Invalid(at, "InvalidValue", "must be an identity object."));
                continue;
            }
            var parts = Properties(identity, at + ".", ["identity_type", "identity_value", "identity_format"], errors);
            var type = Part(parts, at, "identity_type", errors);
            var format = Part(parts, at, "identity_format", errors);
            var value = Part(parts, at, "identity_value", errors);
            if (type is not null && type != ControllerCustomerId)
                errors.Add(IdentityTypes.Contains(type)
                    ? new("Validation", "UnsupportedIdentityType", $"{at}.identity_type: this processor supports {ControllerCustomerId} only (see discovery).")
                    : Invalid($"{at}.identity_type", "InvalidValue", "is not an OpenDSR identity type."));
            if (format is not null && format != Raw)
                errors.Add(IdentityFormats.Contains(format)
                    ? new("Validation", "UnsupportedIdentityFormat", $"{at}.identity_format: this processor supports raw only: Miso deletes by the id itself.")
                    : Invalid($"{at}.identity_format", "InvalidValue", "is not an OpenDSR identity format."));
            ids.Add(value);
        }
        return ids;
    }

    static string? Part(Dictionary<string, JsonElement> parts, string at, string name, List<OpenDsrErrorDetail> errors)
    {
        if (!parts.TryGetValue(name, out var value))
            errors.Add(Invalid($"{at}.{name}", "RequiredField", "is required."));
        else if (value.ValueKind != JsonValueKind.String)
            errors.Add(Invalid($"{at}.{name}", "InvalidValue", "must be a string."));
        else
            return value.GetString();
        return null;
    }

    /// <summary>Our extension (§7.1.2): <c>anonymous_ids</c>, Miso's other identity, which OpenDSR has no type for. Other processors' extensions are theirs.</summary>
    static List<string?> Extension(Dictionary<string, JsonElement> fields, string domain, List<OpenDsrErrorDetail> errors)
    {
        var ids = new List<string?>();
        if (!fields.TryGetValue("extensions", out var extensions))
            return ids;
        if (extensions.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Invalid("extensions", "InvalidValue", "must be an object keyed by processor domain."));
            return ids;
        }
        var ours = extensions.EnumerateObject().Where(p => string.Equals(p.Name, domain, StringComparison.OrdinalIgnoreCase)).ToList();
        if (ours.Count == 0)
            return ids;
        var at = $"extensions.{domain}";
        if (ours.Count > 1 || ours[0].Value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Invalid(at, "InvalidValue", "must be one object."));
            return ids;
        }
        var parts = Properties(ours[0].Value, at + ".", ["anonymous_ids"], errors);
        if (!parts.TryGetValue("anonymous_ids", out var anonymous))
            return ids;
        if (anonymous.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Invalid($"{at}.anonymous_ids", "InvalidValue", "must be an array of strings."));
            return ids;
        }
        var i = 0;
        foreach (var value in anonymous.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.String)
                errors.Add(Invalid($"{at}.anonymous_ids[{i}]", "InvalidValue", "must be a string."));
            else
                ids.Add(value.GetString());
            i++;
        }
        return ids;
    }

    static List<string> CallbackUrls(Dictionary<string, JsonElement> fields, bool allowPrivateNetworks, List<OpenDsrErrorDetail> errors)
    {
        var urls = new List<string>();
        if (!fields.TryGetValue("status_callback_urls", out var list))
            return urls;
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxCallbackUrls)
        {
            errors.Add(Invalid("status_callback_urls", "InvalidValue", $"must be an array of at most {MaxCallbackUrls} URLs."));
            return urls;
        }
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"status_callback_urls[{i++}]";
            var url = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (Destinations.Problem(url, allowPrivateNetworks) is { } problem)
                errors.Add(Invalid(at, "InvalidValue", problem));
            else if (urls.Contains(url!))
                errors.Add(Invalid(at, "DuplicateValue", "is listed more than once."));
            else
                urls.Add(url!);
        }
        return urls;
    }

    static OpenDsrErrorDetail Invalid(string field, string reason, string message) =>
        new("Validation", reason, $"{field}: {char.ToLowerInvariant(message[0])}{message[1..]}");

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339();
}
