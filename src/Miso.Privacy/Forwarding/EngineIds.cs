using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>What <see cref="EngineIds.Scrub"/> found: nothing to change, edits to make (in order), or a body it cannot read.</summary>
public readonly record struct EngineScrub(bool Malformed, int Stripped, List<EngineEdit>? Edits)
{
    public bool NothingStripped => Stripped == 0;

    /// <summary>Writes <paramref name="body"/> with the edits made.</summary>
    public void Apply(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var position = 0;
        foreach (var edit in Edits ?? [])
        {
            output.Write(body[position..edit.Start]);
            if (edit.Insert is { } insert) output.Write(insert);
            position = edit.End;
        }
        output.Write(body[position..]);
    }
}

/// <summary>Bytes [Start, End) replaced by <see cref="Insert"/>, or cut when it is null.</summary>
public readonly record struct EngineEdit(int Start, int End, byte[]? Insert);

/// <summary>Whether <paramref name="hash"/> is the <c>user_hash</c> that proves <paramref name="id"/> (Miso's rule for publishable keys).</summary>
public delegate bool HashProof(string id, string hash);

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

    /// <summary>A non-personal id and a hash that proves nothing, for a request Miso is going to refuse anyway.</summary>
    static readonly byte[] PlaceholderId = "\"anonymised\""u8.ToArray();
    static readonly byte[] PlaceholderHash = Encoding.UTF8.GetBytes("\"" + new string('0', 64) + "\"");

    /// <param name="proof">
    /// For a publishable key, Miso's <c>user_hash</c> rule. A request that names a suppressed person without proving
    /// them would be refused by Miso (403) had the ids stayed, and answered had they gone: a difference anyone
    /// holding the public key could read. So such a request keeps its shape, its ids replaced by a placeholder and
    /// its hash by one that proves nothing, and Miso gives it the refusal it would have given.
    /// </param>
    public static EngineScrub Scrub(ReadOnlySpan<byte> body, SubjectPredicate isSuppressed, bool bulk, HashProof? proof = null)
    {
        ArgumentNullException.ThrowIfNull(isSuppressed);
        if (body.IsEmpty) return default;
        if (!Utf8.IsValid(body)) return new EngineScrub(true, 0, null);
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            var judged = Walk(ref reader, isSuppressed, bulk, null);
            if (judged == 0) return default;
            var edits = new Edits(proof);
            reader = new Utf8JsonReader(body, ReaderOptions);
            Walk(ref reader, isSuppressed, bulk, edits);
            edits.List.Sort((a, b) => a.Start.CompareTo(b.Start));
            return new EngineScrub(false, judged, edits.List);
        }
        catch (JsonException)
        {
            return new EngineScrub(true, 0, null);
        }
    }

    /// <summary>Reads the whole body; returns how many request objects name someone suppressed, and with <paramref name="cuts"/> records what to cut.</summary>
    static int Walk(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, bool bulk, Edits? cuts)
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
    static int RequestObject(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, bool bulk, Edits? cuts)
    {
        var count = 0;
        var names = false;
        List<Member>? members = cuts is null ? null : [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var subject = UploadFilter.SubjectOf(ref reader);
            var isHash = subject is null && reader.ValueTextEquals("user_hash"u8);
            var isRequests = bulk && subject is null && reader.ValueTextEquals("requests"u8);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            string? text = null;
            if (subject is { } kind && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                names |= Judge(ref reader, kind, isSuppressed);
                if (members is not null && reader.TokenType == JsonTokenType.String) text = reader.GetString();
            }
            else if (isRequests && reader.TokenType == JsonTokenType.StartArray)
                count += InnerRequests(ref reader, isSuppressed, cuts);
            else
            {
                if (isHash && members is not null && reader.TokenType == JsonTokenType.String) text = reader.GetString();
                reader.Skip();
            }
            members?.Add(new Member(start, valueStart, (int)reader.BytesConsumed, subject, isHash, text));
        }
        if (!names) return count;
        if (members is not null) cuts!.Anonymise(members);
        return count + 1;
    }

    static int InnerRequests(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, Edits? cuts)
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

    readonly record struct Member(int Start, int ValueStart, int End, SubjectKind? Subject, bool IsHash, string? Text)
    {
        public bool IsId => Subject is not null || IsHash;
    }

    sealed class Edits(HashProof? proof)
    {
        public List<EngineEdit> List { get; } = [];

        /// <summary>One request object that names someone suppressed: its ids cut, or replaced when Miso would refuse it anyway.</summary>
        public void Anonymise(List<Member> members)
        {
            if (proof is not null && WouldBeRefused(members, proof))
            {
                foreach (var member in members.Where(m => m.IsId))
                    List.Add(new EngineEdit(member.ValueStart, member.End, member.IsHash ? PlaceholderHash : PlaceholderId));
                return;
            }
            var cuts = new ForwardEdits();
            for (var i = 0; i < members.Count; i++)
                cuts.Element(i, members[i].Start, members[i].End, members[i].IsId);
            cuts.EndOfArray(members.Count);
            foreach (var (start, end) in cuts.Cuts ?? [])
                List.Add(new EngineEdit(start, end, null));
        }

        /// <summary>Miso's rule, as the emulator holds it: a user_id needs a hash of it; a hash alone must prove the anonymous_id.</summary>
        static bool WouldBeRefused(List<Member> members, HashProof proof)
        {
            var userId = members.FirstOrDefault(m => m.Subject == SubjectKind.UserId && m.Text is not null).Text;
            var hash = members.FirstOrDefault(m => m.IsHash && m.Text is not null).Text;
            if (hash is null) return userId is not null;
            var subject = userId ?? members.FirstOrDefault(m => m.Subject == SubjectKind.AnonymousId && m.Text is not null).Text;
            return subject is null || !proof(subject, hash);
        }
    }

    /// <summary>A number counts as its text: Miso's validation turns <c>42</c> into the id <c>"42"</c>.</summary>
    static bool Judge(ref Utf8JsonReader reader, SubjectKind kind, SubjectPredicate isSuppressed) =>
        reader.TokenType == JsonTokenType.Number ? isSuppressed(kind, reader.ValueSpan) : UploadFilter.IsSuppressed(ref reader, kind, isSuppressed);
}
