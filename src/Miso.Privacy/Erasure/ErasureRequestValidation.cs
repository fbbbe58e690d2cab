using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.Erasure;

public static class ErasureRequestValidation
{
    public const int MaxSubjects = 10_000;

    public static (NewErasureRequest? Request, Dictionary<string, string[]>? Errors) Validate(
        CreateErasureRequestBody body, DateTimeOffset now, EnvironmentNames configured)
    {
        var errors = new Dictionary<string, string[]>();
        var userIds = Ids(body.UserIds, "user_ids", SubjectLimits.MaxUserIdLength, errors);
        var anonymousIds = Ids(body.AnonymousIds, "anonymous_ids", SubjectLimits.MaxAnonymousIdLength, errors);
        var total = userIds.Count + anonymousIds.Count;
        if (total == 0 && !errors.ContainsKey("user_ids") && !errors.ContainsKey("anonymous_ids"))
            errors["user_ids"] = ["Name at least one subject in user_ids or anonymous_ids."];
        if (total > MaxSubjects)
            errors["user_ids"] = [$"At most {MaxSubjects} subjects per request; this one has {total}."];

        var regulation = Regulation.Gdpr;
        if (body.Regulation is not null && !SnakeCaseEnumConverter<Regulation>.TryFromText(body.Regulation, out regulation))
            errors["regulation"] = [$"Must be one of {SnakeCaseEnumConverter<Regulation>.Choices}."];

        var type = RequestType.Erase;
        if (body.Type is not null && !SnakeCaseEnumConverter<RequestType>.TryFromText(body.Type, out type))
            errors["type"] = [$"Must be one of {SnakeCaseEnumConverter<RequestType>.Choices}."];
        else if (type == RequestType.Delete && anonymousIds.Count > 0)
            errors.TryAdd("anonymous_ids", ["A delete request cannot name anonymous ids: Miso deletes by user id only, and a delete request suppresses nothing, so they would be left untouched. Use erase or suppress."]);

        Text(body.RequestedBy, "requested_by", 200, required: true, errors);
        Text(body.Reason, "reason", 2000, required: false, errors);
        Text(body.Ticket, "ticket", 200, required: false, errors);
        if (body.SubmittedAt > now)
            errors["submitted_at"] = ["Must not be in the future: it is when the person asked."];
        if (body.SubmittedAt < now.AddYears(-10))
            errors["submitted_at"] = ["Must be within the last ten years."];
        // Its shape here; which addresses it may reach, and the key's callback secret, where the options and database are.
        if (body.CallbackUrl is not null && Destinations.Problem(body.CallbackUrl, allowPrivateNetworks: true) is { } callbackProblem)
            errors["callback_url"] = [callbackProblem];
        var (environments, problems) = configured.Parse(body.Environments);
        if (problems is not null)
            errors["environments"] = problems;

        return errors.Count > 0
            ? (null, errors)
            : (new NewErasureRequest(userIds, anonymousIds, regulation, body.RequestedBy!, body.Reason, body.Ticket,
                body.SubmittedAt?.ToUniversalTime(), environments) { Type = type, CallbackUrl = body.CallbackUrl }, null);
    }

    static List<string> Ids(List<string?>? values, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        if (values is null)
            return [];
        var problems = new List<string>();
        var distinct = new List<string>(values.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (string.IsNullOrWhiteSpace(value))
                problems.Add($"[{i}] must be a non-empty string.");
            else if (value.Length > maxLength)
                problems.Add($"[{i}] is longer than {maxLength} characters.");
            else if (!TextRules.IsStorable(value))
                problems.Add($"[{i}] contains a NUL character or invalid UTF-16.");
            else if (seen.Add(value))
                distinct.Add(value);
            if (problems.Count == 10)
                break;
        }
        if (problems.Count > 0)
            errors[field] = [.. problems];
        return distinct;
    }

    static void Text(string? value, string field, int maxLength, bool required, Dictionary<string, string[]> errors)
    {
        if (value is null || value.Length == 0)
        {
            if (required)
                errors[field] = ["Required."];
            return;
        }
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = ["Must not be only whitespace."];
        else if (value.Length > maxLength)
            errors[field] = [$"At most {maxLength} characters."];
        else if (!TextRules.IsStorable(value))
            errors[field] = ["Contains a NUL character or invalid UTF-16."];
    }
}
