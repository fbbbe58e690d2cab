using System.Security.Cryptography;
using Miso.Privacy.Retention;

namespace Miso.Privacy.Tests.Retention;

public sealed class RetentionEnvelopeTests
{
    static readonly RetentionEnvelope Envelope = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    static readonly Guid Request = Guid.Parse("0193a0c4-7e5f-7000-8000-000000000001");

    [Theory]
    [InlineData("user-1")]
    [InlineData("")]
    [InlineData("名前 ü 🙂 \u0000 tab\t")]
    public void SealedId_OpensToTheSameId_UnderTheUnwrappedKey(string userId)
    {
        var (dataKey, wrapped) = Envelope.NewDataKey(Request);
        var sealedValue = RetentionEnvelope.Seal(dataKey, Request, 42, userId);

        Assert.Equal(userId, RetentionEnvelope.Open(Envelope.Unwrap(Request, wrapped), Request, 42, sealedValue));
        Assert.False(sealedValue.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(userId)) >= 0 && userId.Length > 0);
    }

    [Fact]
    public void LongestId_FitsTheColumn()
    {
        var (dataKey, _) = Envelope.NewDataKey(Request);
        Assert.True(RetentionEnvelope.Seal(dataKey, Request, 1, string.Concat(Enumerable.Repeat("\U0001F642", 512))).Length <= 4096 + 28);
    }

    [Fact]
    public void SameIdTwice_SealsToDifferentBytes()
    {
        var (dataKey, _) = Envelope.NewDataKey(Request);
        Assert.NotEqual(RetentionEnvelope.Seal(dataKey, Request, 1, "same"), RetentionEnvelope.Seal(dataKey, Request, 1, "same"));
    }

    [Fact]
    public void EveryAlteredByte_FailsToOpen()
    {
        var (dataKey, _) = Envelope.NewDataKey(Request);
        var sealedValue = RetentionEnvelope.Seal(dataKey, Request, 7, "user-7");
        for (var i = 0; i < sealedValue.Length; i++)
        {
            var altered = (byte[])sealedValue.Clone();
            altered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(dataKey, Request, 7, altered));
        }
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(dataKey, Request, 7, sealedValue[..^1]));
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(dataKey, Request, 7, sealedValue[..10]));
    }

    [Fact]
    public void AValueMovedToAnotherRequestOrSubject_FailsToOpen()
    {
        var (dataKey, _) = Envelope.NewDataKey(Request);
        var sealedValue = RetentionEnvelope.Seal(dataKey, Request, 7, "user-7");
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(dataKey, Guid.CreateVersion7(), 7, sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(dataKey, Request, 8, sealedValue));
    }

    [Fact]
    public void AWrappedKeyMovedToAnotherRequest_OrAltered_FailsToUnwrap()
    {
        var (_, wrapped) = Envelope.NewDataKey(Request);
        Assert.ThrowsAny<CryptographicException>(() => Envelope.Unwrap(Guid.CreateVersion7(), wrapped));
        var altered = (byte[])wrapped.Clone();
        altered[20] ^= 0x80;
        Assert.ThrowsAny<CryptographicException>(() => Envelope.Unwrap(Request, altered));
    }

    [Fact]
    public void AnotherRetentionKey_CannotUnwrap()
    {
        var (_, wrapped) = Envelope.NewDataKey(Request);
        var other = new RetentionEnvelope(RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => other.Unwrap(Request, wrapped));
    }

    [Fact]
    public void OnceTheWrappedKeyIsGone_NoOtherKeyOpensTheValue()
    {
        var (dataKey, _) = Envelope.NewDataKey(Request);
        var sealedValue = RetentionEnvelope.Seal(dataKey, Request, 3, "user-3");
        // Shredded: the only copy of the data key was the wrapped one. A fresh key (even for the same request) is no substitute.
        var (replacement, _) = Envelope.NewDataKey(Request);
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(replacement, Request, 3, sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => RetentionEnvelope.Open(new byte[32], Request, 3, sealedValue));
    }

    [Fact]
    public void ARetentionKeyOfAnyOtherLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RetentionEnvelope(new byte[16]));
}
