namespace Miso.Emulator.Engine;

sealed record BankedQuestion(string Question, double Weight);

/// <summary>The question bank of <c>/v1/qa/questions</c>: each upload replaces it whole, as Miso's does.</summary>
sealed class QuestionBank
{
    IReadOnlyList<BankedQuestion> _questions = [];

    public IReadOnlyList<BankedQuestion> Questions => Volatile.Read(ref _questions);

    public void Replace(IReadOnlyList<BankedQuestion> questions) => Volatile.Write(ref _questions, questions);

    public void Clear() => Replace([]);
}
