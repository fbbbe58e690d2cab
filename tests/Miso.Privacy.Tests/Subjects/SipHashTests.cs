using Miso.Privacy.Subjects;

namespace Miso.Privacy.Tests.Subjects;

public class SipHashTests
{
    // The reference vectors (github.com/veorq/SipHash, vectors.h): key 00..0f, message 00..(n-1).
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    [InlineData(16, 0x3f2acc7f57c29bdbUL)]
    [InlineData(17, 0x699ae9f52cbe4794UL)]
    [InlineData(63, 0x958a324ceb064572UL)]
    public void Hash_MatchesTheReferenceVectors(int length, ulong expected)
    {
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        Assert.Equal(expected, SipHash.Hash(0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL, message));
    }
}
