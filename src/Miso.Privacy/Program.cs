using Miso.Privacy.ApiKeys;
using Miso.Privacy.Audit;
using Miso.Privacy.Dashboard;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Infrastructure.Auth;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Health;
using Miso.Privacy.Infrastructure.Http;
using Miso.Privacy.Infrastructure.RateLimiting;
using Miso.Privacy.Infrastructure.Telemetry;
using Miso.Privacy.Miso;
using Miso.Privacy.OpenDsr;
using Miso.Privacy.Reports;
using Miso.Privacy.Retention;
using Miso.Privacy.Signing;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Sweeps;
using Miso.Privacy.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddPrivacyLogging(builder.Environment);

builder.Services
    .AddApiConventions()
    .AddPrivacyDatabase(builder.Configuration)
    .AddScopeAuthorization()
    .AddApiKeys()
    .AddApiRateLimiting(builder.Configuration)
    .AddHealth()
    .AddSubjects()
    .AddSuppressions()
    .AddErasure()
    .AddMisoClient()
    .AddExecution(builder.Configuration)
    .AddRetention()
    .AddSweeps()
    .AddForwarding()
    .AddSigning()
    .AddDashboard()
    .AddWebhooks(builder.Configuration)
    .AddOpenDsr()
    .AddTelemetry(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseCors();
app.UseMisoRoutes();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealth();
app.MapTelemetry();
app.MapApiDocs();
app.MapApiKeys();
app.MapErasureEndpoints();
app.MapSuppressions();
app.MapExecution();
app.MapSweeps();
app.MapForwarding();
app.MapAuditEndpoints();
app.MapReportsEndpoints();
app.MapSigning();
app.MapDashboard();
app.MapWebhooks();
app.MapOpenDsr();

app.Run();

public partial class Program;
