using Miso.Privacy.Subjects;

namespace Miso.Privacy.Tests.Subjects;

public sealed class SubjectPathTests
{
    [Theory]
    [InlineData("user_id", "5b09700", SubjectKind.UserId, "5b09700")]
    [InlineData("anonymous_id", "86D5%2F1273", SubjectKind.AnonymousId, "86D5/1273")]
    [InlineData("user_id", "a/b", SubjectKind.UserId, "a/b")]
    public void Parse_ReadsTheKindAndTheValue(string kind, string value, SubjectKind expectedKind, string expectedValue) =>
        Assert.Equal(((SubjectKind?)expectedKind, expectedValue, (string?)null), SubjectPath.Parse(kind, value));

    [Theory]
    [InlineData("email", "x", "kind")]
    [InlineData("User_Id", "x", "kind")]
    [InlineData("0", "x", "kind")]
    [InlineData("user_id", " ", "value")]
    [InlineData("user_id", "nul\0", "value")]
    public void Parse_NamesThePartAtFault(string kind, string value, string part) =>
        Assert.Equal(part, SubjectPath.Parse(kind, value).Error);

    [Fact]
    public void Parse_HoldsEachKindToMisosLengthLimit()
    {
        Assert.Null(SubjectPath.Parse("user_id", new string('u', 512)).Error);
        Assert.Equal("value", SubjectPath.Parse("user_id", new string('u', 513)).Error);
        Assert.Null(SubjectPath.Parse("anonymous_id", new string('a', 1024)).Error);
        Assert.Equal("value", SubjectPath.Parse("anonymous_id", new string('a', 1025)).Error);
    }
}
