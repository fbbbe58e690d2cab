using System.Text;
using System.Text.Json;

namespace Miso.Emulator.Pipeline;

/// <summary>The people a call named, as the call log keeps them.</summary>
sealed record CallIdentifiers(IReadOnlyList<string> UserIds, IReadOnlyList<string> AnonymousIds, IReadOnlyList<string> UserHashes)
{
    /// <summary>
    /// Every <c>user_id</c>, <c>anonymous_id</c> and <c>user_hash</c> anywhere in the body (top level, records,
    /// <c>additional_interactions</c>, the inner requests of <c>/v1/bulk</c>), the items of <c>user_ids</c> and
    /// <c>anonymous_ids</c> lists, and the <c>user_id</c> of the route or the <c>userId</c> query parameter.
    /// </summary>
    /// <remarks>
    /// The scan does not know Miso's schemas, so nothing a schema may carry is missed; it reads up to the first
    /// JSON error, so a malformed body still shows what it named before it. Numbers and booleans are kept as
    /// their JSON text: pydantic would turn them into the string Miso stores.
    /// </remarks>
    public static CallIdentifiers Read(ReadOnlySpan<byte> body, HttpContext context)
    {
        var found = new Collector();
        if (RouteText.Decoded(context, "user_id") is { } fromRoute)
            found.Add(Field.UserId, fromRoute);
        foreach (var fromQuery in context.Request.Query["userId"])
            if (fromQuery is not null) found.Add(Field.UserId, fromQuery);
        Scan(body, found);
        return found.ToIdentifiers();
    }

    static void Scan(ReadOnlySpan<byte> body, Collector found)
    {
        var reader = new Utf8JsonReader(body);
        var named = Field.None;
        var lists = new Stack<(int Depth, Field Field)>();
        try
        {
            while (reader.Read())
            {
                var field = named;
                named = Field.None;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        named = FieldOf(ref reader);
                        break;
                    case JsonTokenType.StartArray when field != Field.None:
                        lists.Push((reader.CurrentDepth + 1, field));
                        break;
                    case JsonTokenType.EndArray when lists.TryPeek(out var list) && list.Depth == reader.CurrentDepth + 1:
                        lists.Pop();
                        break;
                    case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                        if (field != Field.None)
                            found.Add(field, Text(ref reader));
                        else if (lists.TryPeek(out var inList) && inList.Depth == reader.CurrentDepth)
                            found.Add(inList.Field, Text(ref reader));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // What the body named before it broke is already collected.
        }
    }

    static Field FieldOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user_id"u8) || reader.ValueTextEquals("user_ids"u8) ? Field.UserId
        : reader.ValueTextEquals("anonymous_id"u8) || reader.ValueTextEquals("anonymous_ids"u8) ? Field.AnonymousId
        : reader.ValueTextEquals("user_hash"u8) ? Field.UserHash
        : Field.None;

    static string Text(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : Encoding.UTF8.GetString(reader.ValueSpan);

    enum Field { None, UserId, AnonymousId, UserHash }

    sealed class Collector
    {
        List<string>? _userIds;
        List<string>? _anonymousIds;
        List<string>? _userHashes;

        public void Add(Field field, string value) =>
            (field switch
            {
                Field.UserId => _userIds ??= [],
                Field.AnonymousId => _anonymousIds ??= [],
                _ => _userHashes ??= [],
            }).Add(value);

        // Most calls name nobody: one shared empty list keeps the call log small.
        public CallIdentifiers ToIdentifiers() => new(OrNone(_userIds), OrNone(_anonymousIds), OrNone(_userHashes));

        static IReadOnlyList<string> OrNone(List<string>? values) => values is null ? Array.Empty<string>() : values;
    }
}
