using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Tests.Subjects;

public class LookupKeyTests
{
    static SubjectHasher Hasher(byte seed) => new(Options.Create(new SubjectHashingOptions
    {
        SubjectHashKey = Convert.ToBase64String(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray()),
    }));

    [Fact]
    public void LookupKey_Differs_ForTheSameTextAsUserIdAndAnonymousId()
    {
        var hasher = Hasher(1);

        Assert.NotEqual(hasher.LookupKey(SubjectKind.UserId, "5b09700"), hasher.LookupKey(SubjectKind.AnonymousId, "5b09700"));
    }

    [Fact]
    public void LookupKey_DependsOnTheServerSecret_AndOnNothingElse()
    {
        Assert.Equal(Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"), Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"));
        Assert.NotEqual(Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"), Hasher(2).LookupKey(SubjectKind.UserId, "5b09700"));
    }

    [Fact]
    public void LookupKey_IsTheSame_FromAStringAndFromUploadBytes()
    {
        var hasher = Hasher(1);
        const string id = "użytkownik-ü-5b09700";

        Assert.Equal(hasher.LookupKey(SubjectKind.UserId, id), hasher.LookupKey(SubjectKind.UserId, Encoding.UTF8.GetBytes(id).AsSpan()));
    }
}
