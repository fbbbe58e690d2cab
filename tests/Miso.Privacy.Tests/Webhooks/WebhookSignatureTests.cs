using System.Net;
using System.Text;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.Tests.Webhooks;

/// <summary>The signer against the test vector every Standard Webhooks reference library checks (its "sign function works" test).</summary>
public sealed class WebhookSignatureTests
{
    const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long Timestamp = 1614265330;
    const string Payload = "{\"test\": 2432232314}";

    [Fact]
    public void Sign_ReproducesTheSpecsPublishedVector()
    {
        var signature = WebhookSignature.Sign(WebhookSignature.KeyOf(Secret), MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload));
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Sign_ChangesWithTheId_TheTimestamp_TheBody_AndTheKey()
    {
        var key = WebhookSignature.KeyOf(Secret);
        var body = Encoding.UTF8.GetBytes(Payload);
        var reference = WebhookSignature.Sign(key, MessageId, Timestamp, body);
        Assert.NotEqual(reference, WebhookSignature.Sign(key, MessageId + "x", Timestamp, body));
        Assert.NotEqual(reference, WebhookSignature.Sign(key, MessageId, Timestamp + 1, body));
        Assert.NotEqual(reference, WebhookSignature.Sign(key, MessageId, Timestamp, Encoding.UTF8.GetBytes(Payload + " ")));
        Assert.NotEqual(reference, WebhookSignature.Sign(WebhookSignature.KeyOf(WebhookSignature.NewSecret().Shown), MessageId, Timestamp, body));
    }

    [Fact]
    public void NewSecret_IsWhsecAndBase64OfThirtyTwoRandomBytes_AndMessageIdsHoldNoDelimiter()
    {
        var (shown, key) = WebhookSignature.NewSecret();
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", shown);
        Assert.Equal(key, WebhookSignature.KeyOf(shown));
        Assert.NotEqual(shown, WebhookSignature.NewSecret().Shown);
        Assert.Matches("^msg_[0-9a-f]{32}$", WebhookSignature.MessageId(Guid.NewGuid()));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("192.0.2.10")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2001:db8::1")]
    public void SpecialPurposeAddresses_AreRefused(string address) => Assert.False(OutboundAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddresses_AreAllowed(string address) => Assert.True(OutboundAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://0x7f000001/hook")]
    public void LiteralAndLocalhostDestinations_AreRefusedWhenPrivateNetworksAreOff(string url)
    {
        Assert.Equal(Destinations.Refused, Destinations.Problem(url, allowPrivateNetworks: false));
        Assert.Null(Destinations.Problem(url, allowPrivateNetworks: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://example.com/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    [InlineData("/relative/path")]
    [InlineData("http://user:pw@example.com/")]
    [InlineData("http://exa mple.com/")]
    public void NonHttpOrMalformedDestinations_AreRefusedEvenWithPrivateNetworksOn(string url) =>
        Assert.NotNull(Destinations.Problem(url, allowPrivateNetworks: true));
}
