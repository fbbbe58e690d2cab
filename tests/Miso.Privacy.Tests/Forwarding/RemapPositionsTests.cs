using Miso.Privacy.Forwarding;
using static Miso.Privacy.Tests.Forwarding.Uploads;

namespace Miso.Privacy.Tests.Forwarding;

public class RemapPositionsTests
{
    // Records 0 and 2 of 5 dropped: forwarded 0, 1, 2 were sent as 1, 3, 4.
    static readonly UploadFilterResult Result = Filter(
        """{"data":[{"user_id":"x"},{"user_id":"k1"},{"user_id":"x"},{"user_id":"k3"},{"user_id":"k4"}]}""", Users("x"));

    [Fact]
    public void MapToOriginalIndex_MapsForwardedPositions_BackToTheCallers()
    {
        Assert.Equal([1, 3, 4], Result.KeptOriginalIndexes);
        Assert.Equal(3, Result.MapToOriginalIndex(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Result.MapToOriginalIndex(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Result.MapToOriginalIndex(-1));
    }

    [Theory]
    [InlineData("data.1.rating is invalid", "data.3.rating is invalid")]
    [InlineData("data.0 is invalid. The attribute should be an object.", "data.1 is invalid. The attribute should be an object.")]
    [InlineData("data.2.user_id is invalid; data.0.type is invalid; data.1.rating is invalid", "data.4.user_id is invalid; data.1.type is invalid; data.3.rating is invalid")]
    [InlineData("[\"data.1.product_ids.0 is invalid\"]", "[\"data.3.product_ids.0 is invalid\"]")]
    public void RemapPositions_RewritesEveryDataPosition_InAMessage(string message, string expected) =>
        Assert.Equal(expected, UploadFilter.RemapPositions(message, Result));

    [Theory]
    [InlineData("success")]
    [InlineData("data is invalid. The attribute is required.")]
    [InlineData("metadata.1 is invalid")]
    [InlineData("context.data.1 is invalid")]
    [InlineData("data.7.rating is invalid")]
    [InlineData("data.99999999999999999999 is invalid")]
    [InlineData("data.x is invalid")]
    public void RemapPositions_LeavesOtherTextAlone(string message) =>
        Assert.Equal(message, UploadFilter.RemapPositions(message, Result));

    [Fact]
    public void RemapPositions_RewritesNothing_WhenNothingWasDropped()
    {
        var result = Filter("""{"data":[{"user_id":"a"},{"user_id":"b"}]}""", Nobody);
        Assert.Equal("data.1.rating is invalid", UploadFilter.RemapPositions("data.1.rating is invalid", result));
        Assert.Equal(1, result.MapToOriginalIndex(1));
    }
}
