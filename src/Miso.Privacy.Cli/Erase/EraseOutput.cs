using System.Text.Json;

namespace Miso.Privacy.Cli.Erase;

sealed record FiledRequest(ErasureChunk Chunk, JsonElement Request, bool Replayed);

/// <summary>One line per request: its id, state and size, and whether this run filed it or found it filed before. No ids.</summary>
sealed class EraseOutput(CliConsole console, bool json, int subjects)
{
    public void Write(IReadOnlyList<FiledRequest> filed)
    {
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                Subjects = subjects,
                Requests = filed.Select(f => new
                {
                    Id = f.Request.Text("id"), Status = f.Request.Text("status"), Type = f.Request.Text("type"),
                    Regulation = f.Request.Text("regulation"), DueAt = f.Request.Text("due_at"), Subjects = f.Chunk.Ids.Count,
                    IdempotencyKey = f.Chunk.IdempotencyKey, f.Replayed,
                }),
            });
            return;
        }
        if (filed.Count == 0)
            return;
        var table = new Table("REQUEST", "STATUS", "SUBJECTS", "DUE", "");
        foreach (var f in filed)
            table.Add(f.Request.Text("id"), f.Request.Text("status"), Show.Count(f.Chunk.Ids.Count), f.Request.Minute("due_at"),
                f.Replayed ? "filed before (replayed)" : "filed");
        table.WriteTo(console.Out);
        var replayed = filed.Count(f => f.Replayed);
        console.Out.WriteLine($"{filed.Count} request{(filed.Count == 1 ? "" : "s")} for {Show.Count(filed.Sum(f => f.Chunk.Ids.Count))} subjects: "
            + $"{filed.Count - replayed} filed now, {replayed} filed before.");
    }
}
