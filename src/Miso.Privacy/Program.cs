using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Health;
using Miso.Privacy.Infrastructure.Http;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApiConventions()
    .AddPrivacyDatabase(builder.Configuration)
    .AddApiKeyAuth()
    .AddHealth()
    .AddErasure();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapApiDocs();
app.MapErasureEndpoints();
app.MapAuditEndpoints();

app.Run();

public partial class Program;
