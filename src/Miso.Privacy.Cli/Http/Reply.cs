using System.Net;
using System.Text.Json;

namespace Miso.Privacy.Cli.Http;

/// <summary>A successful answer: its status (201 and 200 differ for a replayed create) and its JSON, if it had a body.</summary>
sealed record Reply(HttpStatusCode Status, JsonElement Body)
{
    public bool HasBody => Body.ValueKind != JsonValueKind.Undefined;
}
