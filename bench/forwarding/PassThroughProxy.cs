using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace ForwardingBench;

/// <summary>The baseline: forwards every request as it is, deciding nothing from the body.</summary>
static class PassThroughProxy
{
    public static async Task<int> RunAsync(int port, string target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false,
        });
        // Returns nothing, so that minimal APIs do not append the forwarder's result to the relayed body.
        app.Map("/{**catch-all}", async Task (HttpContext context, IHttpForwarder forwarder) => await forwarder.SendAsync(context, target, invoker));
        await app.RunAsync();
        return 0;
    }
}
