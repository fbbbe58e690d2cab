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
    public void The_same_text_as_a_user_id_and_as_an_anonymous_id_gets_different_keys()
    {
        var hasher = Hasher(1);

        Assert.NotEqual(hasher.LookupKey(SubjectKind.UserId, "5b09700"), hasher.LookupKey(SubjectKind.AnonymousId, "5b09700"));
    }

    [Fact]
    public void The_key_depends_on_the_server_secret_and_on_nothing_else()
    {
        Assert.Equal(Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"), Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"));
        Assert.NotEqual(Hasher(1).LookupKey(SubjectKind.UserId, "5b09700"), Hasher(2).LookupKey(SubjectKind.UserId, "5b09700"));
    }

    [Fact]
    public void Written_from_a_string_and_read_from_upload_bytes_the_key_is_the_same()
    {
        var hasher = Hasher(1);
        const string id = "użytkownik-ü-5b09700";

        Assert.Equal(hasher.LookupKey(SubjectKind.UserId, id), hasher.LookupKey(SubjectKind.UserId, Encoding.UTF8.GetBytes(id).AsSpan()));
    }
}
