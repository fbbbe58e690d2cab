namespace Miso.Emulator;

public static class Program
{
    public static void Main(string[] args) => WebApplication.CreateBuilder(args).Build().Run();
}
