using System.ComponentModel.DataAnnotations;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Tests.Erasure;

public sealed class ComplianceOptionsTests
{
    static string[] Problems(ComplianceOptions options) =>
        options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!).ToArray();

    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/London")]
    [InlineData("America/Los_Angeles")]
    [InlineData("Pacific/Kiritimati")]
    public void AnIanaZone_IsAccepted(string zone) => Assert.Empty(Problems(new ComplianceOptions { TimeZone = zone }));

    [Theory]
    [InlineData("")]
    [InlineData("Mars/Olympus")]
    [InlineData("Pacific Standard Time")]
    [InlineData("+02:00")]
    public void AnythingElse_StopsTheStart_NamingTheSetting(string zone) =>
        Assert.StartsWith("Compliance:TimeZone", Assert.Single(Problems(new ComplianceOptions { TimeZone = zone })));

    [Fact]
    public void TheDays_StayWithinAYear()
    {
        Assert.Empty(Problems(new ComplianceOptions()));
        Assert.StartsWith("Compliance:Deadlines:Other", Assert.Single(Problems(new ComplianceOptions { Deadlines = new() { Other = 0 } })));
        Assert.StartsWith("Compliance:Extensions:Other", Assert.Single(Problems(new ComplianceOptions { Extensions = new() { Other = 367 } })));
        Assert.Empty(Problems(new ComplianceOptions { Deadlines = new() { Other = 366 }, Extensions = new() { Other = 0 } }));
    }
}
