using System.Collections.Concurrent;
using System.Text.Json;

namespace Miso.Emulator.Engine;

/// <summary>Questions submitted to <c>/v1/ask/questions</c>, by question_id, for the answer route to read.</summary>
sealed class AskedQuestions
{
    readonly ConcurrentDictionary<Guid, JsonElement> _questions = new();

    public void Add(Guid questionId, JsonElement request) => _questions[questionId] = request.Clone();

    public JsonElement? Find(Guid questionId) => _questions.TryGetValue(questionId, out var request) ? request : null;

    public void Clear() => _questions.Clear();
}
