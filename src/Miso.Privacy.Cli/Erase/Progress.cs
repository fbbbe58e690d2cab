namespace Miso.Privacy.Cli.Erase;

/// <summary>
/// A bar on stderr, redrawn in place, for a person at a terminal; nothing when stderr is a file or a pipe. It shows
/// counts only, never an id.
/// </summary>
sealed class Progress(TextWriter error, bool enabled, int subjects, int requests)
{
    const int Width = 30;

    public void Draw(int done, int request)
    {
        if (!enabled)
            return;
        var filled = subjects == 0 ? Width : (int)((long)done * Width / subjects);
        error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {Show.Count(done)}/{Show.Count(subjects)} subjects, request {request} of {requests}");
        error.Flush();
    }

    public void End()
    {
        if (enabled)
            error.WriteLine();
    }
}
