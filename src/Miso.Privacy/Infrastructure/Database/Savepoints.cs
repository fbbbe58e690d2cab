using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Miso.Privacy.Infrastructure.Database;

public static class Savepoints
{
    /// <summary>
    /// Turns off EF Core's savepoint before each SaveChanges in a transaction until disposed: for transactions that a
    /// failed save fails as a whole (rolled back, or written again in a new one), where the savepoint, two extra round
    /// trips per save, would never be rolled back to.
    /// </summary>
    public static Off TurnOff(DatabaseFacade database)
    {
        var before = database.AutoSavepointsEnabled;
        database.AutoSavepointsEnabled = false;
        return new Off(database, before);
    }

    public readonly struct Off(DatabaseFacade database, bool before) : IDisposable
    {
        public void Dispose() => database.AutoSavepointsEnabled = before;
    }
}
