namespace Miso.Privacy.Webhooks;

public sealed record CreateWebhookBody(string? Url, List<string?>? Events)
{
    public const int MaxLiveWebhooks = 100;

    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["url"] = "an absolute http or https URL",
        ["events"] = "an array of event types",
    };

    /// <summary>The event types in the order <see cref="WebhookEvents.All"/> lists them, or what is wrong with them.</summary>
    public (string[]? Events, string[]? Problems) ValidEvents()
    {
        if (Events is null or { Count: 0 })
            return (null, [$"Name at least one of {string.Join(", ", WebhookEvents.All)}."]);
        var problems = new List<string>();
        for (var i = 0; i < Events.Count && problems.Count < 10; i++)
        {
            if (Events[i] is not { } type || !WebhookEvents.All.Contains(type))
                problems.Add($"[{i}] is not an event type; choose from {string.Join(", ", WebhookEvents.All)}.");
            else if (Events.IndexOf(type) != i)
                problems.Add($"[{i}] is listed more than once.");
        }
        return problems.Count > 0 ? (null, [.. problems]) : ([.. WebhookEvents.All.Where(Events.Contains)], null);
    }
}
