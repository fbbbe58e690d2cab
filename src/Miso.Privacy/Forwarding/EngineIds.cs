using System.Text.Json;
using System.Text.Unicode;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>What <see cref="EngineIds.Scrub"/> found: nothing to remove, members to cut, or a body it cannot read.</summary>
public readonly record struct EngineScrub(bool Malformed, int Stripped, List<(int Start, int End)>? Cuts)
{
    public bool NothingStripped => Stripped == 0;
}

/// <summary>
/// Makes an engine request (search, recommendation, ask, Q&amp;A, experiment events, each inner request of a bulk
/// call) anonymous when it names a suppressed subject: in every request object that names a suppressed
/// <c>user_id</c> or <c>anonymous_id</c> at its top level, all of <c>user_id</c>, <c>anonymous_id</c> and
/// <c>user_hash</c> go. All three, because the other ids of the same request belong to the same person, and a
/// <c>user_hash</c> left without its id would be refused: an answer the caller could tell apart.
/// </summary>
/// <remarks>
/// The first pass only judges, allocating nothing: most requests name no one suppressed and go on as the bytes they
/// came as. Only when something must go does a second pass record where, so the rest is still forwarded untouched.
/// </remarks>
public static class EngineIds
{
    static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static EngineScrub Scrub(ReadOnlySpan<byte> body, SubjectPredicate isSuppressed, bool bulk)
    {
        ArgumentNullException.ThrowIfNull(isSuppressed);
        if (body.IsEmpty) return default;
        if (!Utf8.IsValid(body)) return new EngineScrub(true, 0, null);
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            var judged = Walk(ref reader, isSuppressed, bulk, null);
            if (judged == 0) return default;
            var cuts = new List<(int Start, int End)>();
            reader = new Utf8JsonReader(body, ReaderOptions);
            Walk(ref reader, isSuppressed, bulk, cuts);
            cuts.Sort((a, b) => a.Start.CompareTo(b.Start));
            return new EngineScrub(false, judged, cuts);
        }
        catch (JsonException)
        {
            return new EngineScrub(true, 0, null);
        }
    }

    /// <summary>Reads the whole body; returns how many request objects name someone suppressed, and with <paramref name="cuts"/> records what to cut.</summary>
    static int Walk(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, bool bulk, List<(int Start, int End)>? cuts)
    {
        reader.Read();
        var count = 0;
        if (reader.TokenType == JsonTokenType.StartObject)
            count = RequestObject(ref reader, isSuppressed, bulk, cuts);
        else
            reader.Skip();
        // Malformed JSON anywhere makes the body unreadable, to us as to Miso.
        while (reader.Read()) { }
        return count;
    }

    /// <summary>One request object, from its opening brace to its closing one; with <paramref name="bulk"/>, also each <c>requests[].body</c>.</summary>
    static int RequestObject(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, bool bulk, List<(int Start, int End)>? cuts)
    {
        var count = 0;
        var names = false;
        List<(int Start, int End, bool Id)>? members = cuts is null ? null : [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var subject = UploadFilter.SubjectOf(ref reader);
            var isId = subject is not null || reader.ValueTextEquals("user_hash"u8);
            var isRequests = bulk && subject is null && reader.ValueTextEquals("requests"u8);
            reader.Read();
            if (subject is { } kind && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                names |= Judge(ref reader, kind, isSuppressed);
            else if (isRequests && reader.TokenType == JsonTokenType.StartArray)
                count += InnerRequests(ref reader, isSuppressed, cuts);
            else
                reader.Skip();
            members?.Add((start, (int)reader.BytesConsumed, isId));
        }
        if (!names) return count;
        if (members is not null)
        {
            var edits = new ForwardEdits();
            for (var i = 0; i < members.Count; i++)
                edits.Element(i, members[i].Start, members[i].End, members[i].Id);
            edits.EndOfArray(members.Count);
            if (edits.Cuts is { } found) cuts!.AddRange(found);
        }
        return count + 1;
    }

    static int InnerRequests(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, List<(int Start, int End)>? cuts)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isBody = reader.ValueTextEquals("body"u8);
                reader.Read();
                if (isBody && reader.TokenType == JsonTokenType.StartObject)
                    count += RequestObject(ref reader, isSuppressed, bulk: false, cuts);
                else
                    reader.Skip();
            }
        }
        return count;
    }

    /// <summary>A number counts as its text: Miso's validation turns <c>42</c> into the id <c>"42"</c>.</summary>
    static bool Judge(ref Utf8JsonReader reader, SubjectKind kind, SubjectPredicate isSuppressed) =>
        reader.TokenType == JsonTokenType.Number ? isSuppressed(kind, reader.ValueSpan) : UploadFilter.IsSuppressed(ref reader, kind, isSuppressed);
}
