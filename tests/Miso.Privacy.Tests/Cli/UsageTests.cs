using System.Net;
using System.Net.Sockets;
using Miso.Privacy.Cli;

namespace Miso.Privacy.Tests.Cli;

/// <summary>What miso-privacy does before it calls anything: help, version, and usage errors (exit 2) on stderr.</summary>
public sealed class UsageTests
{
    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task HelpAndVersion_GoToStdout_WithExit0()
    {
        var help = await CliRun.OfflineAsync("--help");
        Assert.Equal((0, ""), (help.ExitCode, help.Error));
        foreach (var command in new[] { "erase", "status", "list", "lookup", "extend", "report", "verify-report", "audit", "keys", "webhooks" })
            Assert.Contains($"\n  {command} ", help.Out);
        Assert.Contains("--csv <csv>", (await CliRun.OfflineAsync("erase", "--help")).Out);
        Assert.Equal("1.0.0", (await CliRun.OfflineAsync("--version")).Out.Trim());
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided.")]
    [InlineData(new[] { "forget", "x" }, "Unrecognized command or argument 'forget'")]
    [InlineData(new[] { "status", "x", "--verbose" }, "Unrecognized command or argument '--verbose'")]
    [InlineData(new[] { "status" }, "Required argument missing for command: 'status'")]
    [InlineData(new[] { "status", "0193" }, "<id> must be a UUID")]
    [InlineData(new[] { "extend", "01932c4a-5d6e-7f80-9a1b-2c3d4e5f6a7b", "--notified-at", "2026-01-01T00:00:00Z" }, "Option '--reason' is required.")]
    [InlineData(new[] { "audit", "verify", "--checkpoint", "12:abc" }, "--checkpoint must be seq:hash")]
    [InlineData(new[] { "keys", "create", "ops", "--scope", "everything" }, "everything")]
    [InlineData(new[] { "webhooks", "add", "ftp://example.com", "--event", "request.created" }, "<url> must be an absolute http(s) URL")]
    [InlineData(new[] { "erase", "@alice" }, "No service URL: set MISO_PRIVACY_URL or pass --url")]
    [InlineData(new[] { "list", "--url", "ftp://example.com" }, "must be an absolute http(s) URL")]
    [InlineData(new[] { "list", "--url", "http://127.0.0.1:5080" }, "No API key: set MISO_PRIVACY_KEY or pass --key.")]
    public async Task UsageErrors_AreExit2_OnStderr_BeforeAnythingIsSent(string[] args, string message)
    {
        var run = await CliRun.OfflineAsync(args);
        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task AServiceNobodyListensOn_IsExit5()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";

        var run = await CliRun.OfflineAsync("list", "--url", url, "--key", "k");

        Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
        Assert.Contains($"Cannot reach {url}/: Connection refused", run.Error);
    }
}
