using System.Text.Json;
using Miso.Emulator.Interactions;
using Miso.Emulator.Schemas;

namespace Miso.Emulator.Pipeline;

/// <summary>The <c>{"data": [...]}</c> envelope shared by Miso's bulk upload APIs.</summary>
static class BatchShape
{
    public static bool TryGetDataArray(JsonElement root, SchemaErrors errors, out JsonElement data)
    {
        data = default;
        if (root.ValueKind != JsonValueKind.Object)
            errors.Add("data", $"The request body should be an object with a 'data' list but type '{SchemaErrors.KindName(root)}' was given.");
        else if (!root.TryGetProperty("data", out data))
            errors.Required("data");
        else if (data.ValueKind != JsonValueKind.Array)
            errors.Type("data", data, false, "array");
        else
            return true;
        return false;
    }

    /// <summary>
    /// The records of a <c>{"data": [...]}</c> upload checked against a schema of Miso's OpenAPI document
    /// (<c>UserRecord</c>, <c>ProductRecord</c>); null when any record is invalid (then <paramref name="errors"/> says why).
    /// </summary>
    public static List<JsonElement>? ValidRecords(JsonElement root, string schemaName, string recordKind, out SchemaErrors errors)
    {
        errors = new SchemaErrors();
        if (!TryGetDataArray(root, errors, out var data))
            return null;

        var api = MisoOpenApi.Instance;
        var schema = api.Schema(schemaName);
        var records = new List<JsonElement>(data.GetArrayLength());
        foreach (var record in data.EnumerateArray())
        {
            foreach (var problem in SchemaValidator.Validate(api, record, schema))
                problem.AddTo(errors, $"data.{records.Count}", recordKind);
            records.Add(record);
        }
        return errors.Any ? null : records;
    }
}
