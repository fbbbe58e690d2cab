namespace Miso.Privacy.Forwarding;

/// <summary>Why a body cannot be filtered: 400 when it is not JSON, 422 when it is not a <c>{"data": [...]}</c> upload.</summary>
public sealed record UploadFilterError(int StatusCode, string Message)
{
    // Worded as Miso (and our emulator of it) words them, so a client sees the same answer either way.
    internal static UploadFilterError Malformed(string detail) => new(400, $"Request body is not valid JSON. {detail}");

    internal static UploadFilterError NotAnObject(string kind) =>
        new(422, $"data is invalid. The request body should be an object with a 'data' list but type '{kind}' was given.");

    internal static UploadFilterError DataMissing() => new(422, "data is invalid. The attribute is required.");

    internal static UploadFilterError DataNotAList(string kind) =>
        new(422, $"data is invalid. The attribute was expected to be of type ''array'' but type '{kind}' was given.");

    // Miso would read only one of them, so which records it would take is ours to guess; refusing is the safe answer.
    internal static UploadFilterError DataRepeated() => new(422, "data is invalid. The attribute is given more than once.");
}
