namespace Miso.Emulator;

public static class Program
{
    public const int DefaultPort = 5090;

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var port = int.TryParse(Environment.GetEnvironmentVariable("MISO_EMULATOR_PORT"), out var configured)
            ? configured
            : DefaultPort;
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        EmulatorApp.Build(builder, EmulatorSettings.FromConfiguration(builder.Configuration)).Run();
    }
}
