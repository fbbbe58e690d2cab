using Miso.Privacy.Reports;

namespace Miso.Privacy.Tests.Reports;

public sealed class SpreadsheetCellsTests
{
    [Fact]
    public void AShortValue_IsOnePart() => Assert.Equal(["{\"a\":1}"], SpreadsheetCells.Parts("{\"a\":1}"));

    [Fact]
    public void ALongValue_IsCutIntoPartsThatFitACell_AndJoinBackExactly()
    {
        var text = "{\"subject_hashes\":[" + string.Join(",", Enumerable.Range(0, 2_500).Select(i => $"\"{i:x64}\"")) + "]}";
        var parts = SpreadsheetCells.Parts(text).ToList();
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, SpreadsheetCells.MaxCharacters));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void NoPart_StartsWithAFormulaCharacter_OrSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("ab-=+@\U0001F600", 3_000));
        var parts = SpreadsheetCells.Parts(text, 100).ToList();
        Assert.Equal(text, string.Concat(parts));
        Assert.All(parts, p => Assert.False(p[0] is '=' or '@' or '+' or '-' || char.IsLowSurrogate(p[0]), p));
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 100));
    }
}
