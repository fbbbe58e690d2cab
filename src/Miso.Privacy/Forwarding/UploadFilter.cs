using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// Drops from an interaction upload every record that names a suppressed subject, in one forward-only pass
/// over the buffered body, and keeps offsets so the kept records can be forwarded as the bytes they were sent as.
/// </summary>
public static partial class UploadFilter
{
    const int StackScratch = 256;

    static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static UploadFilterResult Filter(ReadOnlyMemory<byte> body, SubjectPredicate isSuppressed)
    {
        ArgumentNullException.ThrowIfNull(isSuppressed);
        // The reader does not check UTF-8 inside strings, and an id we cannot decode is an id we cannot judge.
        if (!Utf8.IsValid(body.Span))
            return UploadFilterResult.Failed(UploadFilterError.Malformed("The input is not valid UTF-8."));
        try
        {
            return Scan(body, isSuppressed);
        }
        catch (JsonException exception)
        {
            return UploadFilterResult.Failed(UploadFilterError.Malformed(exception.Message));
        }
    }

    static UploadFilterResult Scan(ReadOnlyMemory<byte> body, SubjectPredicate isSuppressed)
    {
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = KindName(ref reader);
            reader.Skip();
            ReadToEnd(ref reader);
            return UploadFilterResult.Failed(UploadFilterError.NotAnObject(kind));
        }

        var edits = new ForwardEdits();
        var received = 0;
        string? dataKind = null;
        var repeated = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (!isData)
            {
                reader.Skip();
                continue;
            }
            repeated |= dataKind is not null;
            if (dataKind is null && reader.TokenType == JsonTokenType.StartArray)
            {
                dataKind = "array";
                received = FilterRecords(ref reader, isSuppressed, ref edits);
            }
            else
            {
                dataKind ??= KindName(ref reader);
                reader.Skip();
            }
        }
        // Malformed JSON anywhere outranks a shape problem, as it does for Miso, which parses before it validates.
        ReadToEnd(ref reader);

        if (dataKind is null) return UploadFilterResult.Failed(UploadFilterError.DataMissing());
        if (repeated) return UploadFilterResult.Failed(UploadFilterError.DataRepeated());
        if (dataKind != "array") return UploadFilterResult.Failed(UploadFilterError.DataNotAList(dataKind));
        return new UploadFilterResult(body, received, edits.DroppedIndexes, edits.Cuts);
    }

    static int FilterRecords(ref Utf8JsonReader reader, SubjectPredicate isSuppressed, ref ForwardEdits edits)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var drop = false;
            // Anything but an object is Miso's to reject; it names nobody, so it is never ours to drop.
            if (reader.TokenType == JsonTokenType.StartObject) drop = JudgeRecord(ref reader, isSuppressed);
            else reader.Skip();
            edits.Element(index++, start, (int)reader.BytesConsumed, drop);
        }
        edits.EndOfArray(index);
        return index;
    }

    /// <summary>Reads one record to its closing brace; true when any top-level id in it is suppressed.</summary>
    static bool JudgeRecord(ref Utf8JsonReader reader, SubjectPredicate isSuppressed)
    {
        var drop = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = drop ? null : SubjectOf(ref reader);
            reader.Read();
            // Every occurrence counts: with duplicate keys we cannot know which one Miso would keep.
            if (kind is { } subject && reader.TokenType == JsonTokenType.String)
                drop = IsSuppressed(ref reader, subject, isSuppressed);
            else
                reader.Skip();
        }
        return drop;
    }

    internal static SubjectKind? SubjectOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            if (name.SequenceEqual("user_id"u8)) return SubjectKind.UserId;
            if (name.SequenceEqual("anonymous_id"u8)) return SubjectKind.AnonymousId;
            return null;
        }
        if (reader.ValueTextEquals("user_id"u8)) return SubjectKind.UserId;
        if (reader.ValueTextEquals("anonymous_id"u8)) return SubjectKind.AnonymousId;
        return null;
    }

    internal static bool IsSuppressed(ref Utf8JsonReader reader, SubjectKind kind, SubjectPredicate isSuppressed) =>
        reader.ValueIsEscaped ? IsEscapedSuppressed(ref reader, kind, isSuppressed) : isSuppressed(kind, reader.ValueSpan);

    static bool IsEscapedSuppressed(ref Utf8JsonReader reader, SubjectKind kind, SubjectPredicate isSuppressed)
    {
        // Unescaping never lengthens a string, so the escaped length bounds the scratch needed.
        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var scratch = length <= StackScratch ? stackalloc byte[StackScratch] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            int written;
            try
            {
                written = reader.CopyString(scratch);
            }
            catch (InvalidOperationException exception)
            {
                // A lone surrogate escape (\ud800) has no UTF-8 form, so the id cannot be judged: refuse the body.
                throw new JsonException(exception.Message, exception);
            }
            return isSuppressed(kind, scratch[..written]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read()) { }
    }

    static string KindName(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => reader.TryGetInt64(out _) ? "integer" : "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        _ => "null",
    };
}
