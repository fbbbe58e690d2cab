using System.Text;
using Miso.Privacy.Forwarding;
using static Miso.Privacy.Tests.Forwarding.Uploads;

namespace Miso.Privacy.Tests.Forwarding;

public class MisoRelayTests
{
    // Records 0 and 2 of 5 dropped: forwarded 0, 1, 2 were sent as 1, 3, 4.
    static readonly UploadFilterResult Dropped = Filter(
        """{"data":[{"user_id":"x"},{"user_id":"k1"},{"user_id":"x"},{"user_id":"k3"},{"user_id":"k4"}]}""", Users("x"));

    [Fact]
    public void Remap_RewritesEveryStringOfMisosAnswer_AndKeepsTheRest()
    {
        var miso = """{"errors": true, "message": "None of the records were inserted.", "data": ["data.1.product_ids is invalid. type ''array''", "data.2 is invalid"], "count": 2.50, "x": null}""";

        var relayed = Encoding.UTF8.GetString(MisoRelay.Remap(Encoding.UTF8.GetBytes(miso), Dropped));

        Assert.Equal("""{"errors":true,"message":"None of the records were inserted.","data":["data.3.product_ids is invalid. type ''array''","data.4 is invalid"],"count":2.50,"x":null}""", relayed);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"message": "data.1 is invalid",""")]
    public void Remap_PassesTheAnswerOnAsItCame_WhenItIsNotJson(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.Same(bytes, MisoRelay.Remap(bytes, Dropped));
    }

    [Fact]
    public void Remap_ReturnsTheSameBytesUnparsed_WhenNothingWasDropped()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"message" :  "data.1 is invalid"}""");
        Assert.Same(bytes, MisoRelay.Remap(bytes, Filter("""{"data":[{"user_id":"a"},{"user_id":"b"}]}""", Nobody)));
    }
}
