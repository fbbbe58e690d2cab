using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Telemetry;

namespace Miso.Privacy.Tests.Infrastructure;

/// <summary>The line the console prints for one entry, as the service configures its console in each environment.</summary>
public sealed class PrivacyLoggingTests
{
    [Fact]
    public void Production_PrintsJsonLines_WithUtcTimestamps()
    {
        var line = Render("Production");

        using var entry = JsonDocument.Parse(line);
        Assert.Equal("Miso.Privacy.Sample", entry.RootElement.GetProperty("Category").GetString());
        Assert.Equal("Now listening on: http://127.0.0.1:5080", entry.RootElement.GetProperty("Message").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z $", entry.RootElement.GetProperty("Timestamp").GetString());
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Testing", null)]
    [InlineData("Production", "simple")] // what scripts/run.sh sets when its output is a terminal
    public void ForAPerson_PrintsOnePlainLinePerEntry(string environment, string? formatter)
    {
        var line = Render(environment, formatter);

        Assert.Matches(new Regex(@"^\d\d:\d\d:\d\d info: Miso\.Privacy\.Sample\[14\] Now listening on: http://127\.0\.0\.1:5080\r?\n$"), line);
    }

    [Fact]
    public void Production_KeepsJson_WhenConfiguredSo()
    {
        using var entry = JsonDocument.Parse(Render("Production", "json"));
        Assert.Equal("Information", entry.RootElement.GetProperty("LogLevel").GetString());
    }

    static string Render(string environment, string? formatterName = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (formatterName is not null)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Console:FormatterName"] = formatterName });
        builder.Logging.AddPrivacyLogging(builder.Environment);
        using var services = builder.Services.BuildServiceProvider();

        var name = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        var entry = new LogEntry<string>(LogLevel.Information, "Miso.Privacy.Sample", new EventId(14), "Now listening on: http://127.0.0.1:5080", null, (s, _) => s);
        using var text = new StringWriter();
        formatter.Write(entry, new LoggerExternalScopeProvider(), text);
        return Regex.Replace(text.ToString(), "\u001b\\[[0-9;]*m", "");
    }
}
